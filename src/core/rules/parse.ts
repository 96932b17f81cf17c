/**
 * YAML parsing that remembers where every node came from, so problems found later in the parsed
 * object can be reported at a line and column of the file.
 */
import { isAlias, isMap, isPair, isScalar, LineCounter, type Node, parseDocument, visit } from 'yaml';
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

  let value: unknown;
  if (syntaxProblems.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // The parser lets some mistakes through that only building the value finds: an alias (`*a`)
      // whose anchor was never set, or aliases past the limit (a "billion laughs" document).
      syntaxProblems.push({
        ...position(firstAliasOffset(document.contents) ?? 0),
        path: '',
        message: (error as Error).message.split('\n')[0] ?? 'invalid YAML',
        code: 'RULES_YAML_SYNTAX',
        severity: 'error',
      });
    }
  }
  return { value, syntaxProblems, locate };
}

/** Where the document's first alias starts, to point a problem that names no place at it. */
function firstAliasOffset(contents: Node | null): number | undefined {
  if (!contents) return undefined;
  if (isAlias(contents)) return contents.range?.[0];
  let offset: number | undefined;
  visit(contents, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

export { formatPath };
