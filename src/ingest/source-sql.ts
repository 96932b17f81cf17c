/**
 * The SQL idgraph sends to read a source, the same for PostgreSQL and DuckDB: every row of a table
 * or of the caller's query, or for an incremental read only those whose timestamp column is at or
 * after the watermark (`>=`: rows that share the newest timestamp may not all have been committed
 * when it was taken), and the newest value of that column among them, as text.
 */
import type { RowsOf } from './database-url.js';

/**
 * A table's name as SQL reads it: `orders`, `sales.orders`, a part quoted already keeping its case
 * (`sales."Orders"`). Each part goes out quoted, so a name that is also a keyword (`order`) works;
 * an unquoted part is lowercased first, as PostgreSQL folds it (DuckDB ignores case either way).
 */
export function quoteName(name: string): string {
  const parts = name.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [name];
  return parts.map((part) => (part.startsWith('"') ? part : quoteIdentifier(part.toLowerCase()))).join('.');
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** What follows FROM: the table, or the query as a subquery (a trailing `;` dropped). */
export function fromClause(rows: RowsOf): string {
  if ('table' in rows) return quoteName(rows.table);
  return `(${rows.query.trim().replace(/;+\s*$/, '')}) AS idgraph_rows`;
}

export interface SourceQueries {
  /** No rows, only the columns: checks the table or query before anything is read. */
  readonly columns: string;
  /** The newest value of the watermark column among the rows to read, as text (column `mark`). */
  readonly newest?: string;
  /** The rows to read. */
  readonly rows: string;
}

/**
 * `since` is given as the first parameter (`$1`); `cast` turns it into the column's type where
 * the database does not infer a parameter's type from the comparison (DuckDB).
 */
export function sourceQueries(
  rows: RowsOf,
  watermark?: { readonly column: string; readonly since: boolean; readonly cast?: (parameter: string) => string },
): SourceQueries {
  const from = fromClause(rows);
  if (!watermark) return { columns: `SELECT * FROM ${from} LIMIT 0`, rows: `SELECT * FROM ${from}` };
  const column = quoteIdentifier(watermark.column);
  const parameter = watermark.cast ? watermark.cast('$1') : '$1';
  const where = watermark.since ? ` WHERE ${column} >= ${parameter}` : '';
  return {
    columns: `SELECT * FROM ${from} LIMIT 0`,
    newest: `SELECT CAST(max(${column}) AS VARCHAR) AS mark FROM ${from}${where}`,
    rows: `SELECT * FROM ${from}${where}`,
  };
}
