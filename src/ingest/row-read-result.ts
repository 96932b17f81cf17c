/** One row read from an input with its place, or the problem that kept it from being a row. */
export type RowReadResult =
  | { readonly ok: true; readonly line: number; readonly row: Record<string, unknown> }
  | { readonly ok: false; readonly line: number; readonly reason: RowReadProblem; readonly detail: string };

export type RowReadProblem =
  | 'JSON_SYNTAX'
  | 'ROW_NOT_OBJECT'
  | 'UTF8_INVALID'
  | 'CSV_SYNTAX'
  | 'CSV_UNCLOSED_QUOTE'
  | 'CSV_COLUMN_COUNT';
