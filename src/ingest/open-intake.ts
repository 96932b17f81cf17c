/**
 * What a file argument of ingest or load names, opened: a database table (`URL#TABLE`,
 * database-url.ts), a Parquet file (`.parquet`), or bytes of a file or stdin (input.ts).
 */
import { openDatabaseTable } from './database-table.js';
import { isDatabaseUrl, originOf, parseDatabaseUrl, redactUrl } from './database-url.js';
import { InputError, openInput } from './input.js';
import type { Intake } from './table-source.js';

export interface OpenIntakeOptions {
  /** For a database table: the column whose newest value becomes the source's watermark. */
  readonly watermarkColumn?: string | undefined;
}

export async function openIntake(spec: string, options: OpenIntakeOptions = {}): Promise<Intake> {
  if (isDatabaseUrl(spec)) {
    const hash = spec.lastIndexOf('#');
    const table = hash === -1 ? '' : spec.slice(hash + 1);
    if (table === '') {
      throw new InputError(
        'SOURCE_URL_INVALID',
        `${redactUrl(spec)} names no table: add #TABLE (crm=postgresql://host/db#customers)`,
      );
    }
    const url = spec.slice(0, hash);
    const rows = { table: decodeURIComponent(table) };
    const column = options.watermarkColumn;
    return openDatabaseTable(url, {
      rows,
      ...(column ? { watermark: { origin: originOf(parseDatabaseUrl(url), rows), column, since: undefined } } : {}),
    });
  }
  if (/\.parquet$/i.test(spec)) {
    // Loaded on first use, as database-table.ts loads the drivers.
    const { openParquetFile } = await import('./duckdb-table.js');
    return openParquetFile(spec);
  }
  return openInput(spec);
}
