/** Problems found in a rules file, located so an editor (or a person) can jump to them. */

export type RuleProblemCode =
  | 'RULES_YAML_SYNTAX'
  | 'RULES_SHAPE'
  | 'RULES_UNKNOWN_FIELD'
  | 'RULES_UNKNOWN_REFERENCE'
  | 'RULES_DUPLICATE_ID'
  | 'RULES_NAME_CLASH'
  | 'RULES_RANGE'
  | 'RULES_UNREACHABLE_SCORE'
  | 'RULES_NOT_APPLICABLE'
  | 'RULES_NO_COUNTRY';

export type Severity = 'error' | 'warning';

export interface RuleProblem {
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. rules[2].compare[0].field */
  readonly path: string;
  readonly message: string;
  readonly code: RuleProblemCode;
  readonly severity: Severity;
}

export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment),
    '',
  );
}

/** `FILE:LINE:COL message [code]`, the form compilers use, so terminals and editors link it. */
export function formatProblem(file: string, problem: RuleProblem): string {
  const prefix = problem.severity === 'warning' ? 'warning: ' : '';
  const where = problem.path ? `${problem.path}: ` : '';
  return `${file}:${problem.line}:${problem.column} ${prefix}${where}${problem.message} [${problem.code}]`;
}
