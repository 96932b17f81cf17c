/**
 * YAML parsing that remembers where every node came from, so problems found later in the parsed
 * object can be reported at a line and column of the file.
 */
import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { PathSegment, RuleProblem } from './problems.js';
import { formatPath } from './problems.js';

export interface ParsedYaml {
  readonly value: unknown;
  readonly syntaxProblems: RuleProblem[];
  /** Line and column (1-based) of the node at a path, or of its nearest existing ancestor. */
  locate(path: readonly PathSegment[], options?: { key?: string }): { line: number; column: number };
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntaxProblems: RuleProblem[] = document.errors.map((error) => ({
    ...position(error.pos[0]),
    path: '',
    message: error.message.split('\n')[0] ?? error.message,
    code: 'RULES_YAML_SYNTAX',
    severity: 'error',
  }));

  const locate: ParsedYaml['locate'] = (path, options = {}) => {
    for (let length = path.length; length >= 0; length--) {
      const node = (length === 0 ? document.contents : document.getIn(path.slice(0, length), true)) as Node | null;
      if (!node?.range) continue;
      // For an unexpected key, point at the key itself rather than at its parent map.
      if (options.key && length === path.length && isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === options.key);
        const keyNode = pair && isPair(pair) && isScalar(pair.key) ? pair.key : undefined;
        if (keyNode?.range) return position(keyNode.range[0]);
      }
      return position(node.range[0]);
    }
    return { line: 1, column: 1 };
  };

  const value = syntaxProblems.length > 0 ? undefined : document.toJS({ maxAliasCount: 100 });
  return { value, syntaxProblems, locate };
}

export { formatPath };
