/**
 * Loads a rules file in two passes, shape (zod) then meaning, gathering every problem with its line
 * and column. The CLI's `rules validate`, every command that takes --rules and the server share it.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { checkMeaning } from './meaning.js';
import { parseYaml } from './parse.js';
import { formatPath, type PathSegment, type RuleProblem } from './problems.js';
import { type RulesFile, rulesFileSchema } from './schema.js';

export type LoadRulesResult =
  | { readonly ok: true; readonly rules: RulesFile; readonly version: string; readonly warnings: RuleProblem[] }
  | { readonly ok: false; readonly problems: RuleProblem[] };

export function loadRules(text: string): LoadRulesResult {
  const parsed = parseYaml(text);
  if (parsed.syntaxProblems.length > 0) return { ok: false, problems: parsed.syntaxProblems };

  const shape = rulesFileSchema.safeParse(parsed.value);
  if (!shape.success) {
    return {
      ok: false,
      problems: sortProblems(shape.error.issues.flatMap((issue) => shapeProblems(issue, parsed.locate))),
    };
  }
  const meaning = checkMeaning(shape.data).map(
    (problem): RuleProblem => ({
      ...parsed.locate(problem.path),
      path: formatPath(problem.path),
      message: problem.message,
      code: problem.code,
      severity: problem.severity,
    }),
  );
  const errors = meaning.filter((problem) => problem.severity === 'error');
  const warnings = meaning.filter((problem) => problem.severity === 'warning');
  if (errors.length > 0) return { ok: false, problems: sortProblems(meaning) };
  return { ok: true, rules: shape.data, version: rulesVersion(shape.data), warnings: sortProblems(warnings) };
}

/**
 * The rule-set version recorded on every event: a hash of the parsed rules in a canonical JSON form,
 * so comments, key order and formatting do not change it, and any change of meaning does.
 */
export function rulesVersion(rules: RulesFile): string {
  return createHash('sha256').update(canonicalJson(rules)).digest('hex').slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function shapeProblems(issue: z.core.$ZodIssue, locate: ReturnType<typeof parseYaml>['locate']): RuleProblem[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      ...locate(path, { key }),
      path: formatPath([...path, key]),
      message: `unknown key "${key}"`,
      code: 'RULES_UNKNOWN_FIELD',
      severity: 'error',
    }));
  }
  if (issue.code === 'invalid_union' && 'errors' in issue && issue.errors.length > 0) {
    // A discriminated union reports the discriminator; others nest one issue list per option.
    const nested = withoutWrongKinds(issue.errors.flat());
    if (nested.length > 0 && nested.length <= 3) {
      return nested.flatMap((inner) =>
        shapeProblems({ ...inner, path: [...path, ...inner.path] } as z.core.$ZodIssue, locate),
      );
    }
  }
  return [
    {
      ...locate(path),
      path: formatPath(path),
      message: issue.message,
      code: 'RULES_SHAPE',
      severity: 'error',
    },
  ];
}

/**
 * In a union of a string and an object (a bare field name or `{field, comparator}`), the option of
 * the other kind only says "expected string": when an option of the right kind explains the problem
 * deeper down, that is the one to show; when none is of the right kind, one line names them all.
 */
function withoutWrongKinds(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const wrongKind = (inner: z.core.$ZodIssue) => inner.code === 'invalid_type' && inner.path.length === 0;
  const deeper = issues.filter((inner) => !wrongKind(inner));
  if (deeper.length > 0) return deeper;
  const expected = [...new Set(issues.map((inner) => (inner.code === 'invalid_type' ? inner.expected : '')))];
  const first = issues[0];
  if (!first || expected.length < 2) return issues;
  return [{ ...first, message: `Invalid input: expected ${expected.join(' or ')}` }];
}

function sortProblems(problems: RuleProblem[]): RuleProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
