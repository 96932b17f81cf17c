/**
 * Rows that arrive as values rather than bytes: a table or query of a database (PostgreSQL,
 * DuckDB) or a Parquet file. Their columns are known before any row is read, and a row's place is
 * its ordinal in the result: rejects name it `row` where a text file's name `line`. Intake takes
 * either kind of input (`Intake`) and treats them alike from there: the same column checks,
 * mapping, rejects and commits.
 */
import type { RowsOf } from './database-url.js';
import type { Input } from './input.js';

export interface TableSource {
  readonly kind: 'table';
  /** As given, for messages: a URL without its password, or a file's path. */
  readonly path: string;
  /** As its rows are named in rejects and messages: the table, `query`, or the file's name. */
  readonly name: string;
  /** Unknown in bytes: progress counts rows. */
  readonly size: undefined;
  readonly columns: readonly string[];
  /** For a database read with a watermark column: what to remember once the rows are committed. */
  readonly watermark?: PendingWatermark;
  bytesRead(): number;
  /** The rows in result order, a batch at a time. Can be taken once. */
  batches(): AsyncIterable<readonly Record<string, unknown>[]>;
  /** Ends the read (and the connection), read to its end or not. */
  close(): Promise<void>;
}

/** The watermark of a database read: the newest value of its column among the rows it reads. */
export interface PendingWatermark {
  /** Which rows of which database (database-url.ts, originOf). */
  readonly origin: string;
  readonly column: string;
  /** The lower bound this read used, when it read incrementally. */
  readonly since: string | undefined;
  /** The newest value read, as the database prints it; undefined when no row has one. */
  readonly newest: string | undefined;
}

/** What intake reads: bytes of a file or stdin (input.ts), or rows of a table. */
export type Intake = Input | TableSource;

export function isTable(intake: Intake): intake is TableSource {
  return 'kind' in intake && intake.kind === 'table';
}

/** How a database table is opened: which rows, and the watermark to read from. */
export interface OpenDatabaseTableOptions {
  readonly rows: RowsOf;
  /** The watermark column, and the remembered value to read from (inclusive); none reads every row. */
  readonly watermark?: { readonly origin: string; readonly column: string; readonly since: string | undefined };
}
