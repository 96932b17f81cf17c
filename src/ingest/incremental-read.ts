/**
 * Opens a database source the way `idgraph ingest --from` reads it: from the source's watermark
 * (watermark.ts) when one is remembered for these rows and this column, else every row.
 */
import type { SourceStates } from '../store/graph-store.js';
import { openDatabaseTable } from './database-table.js';
import { originOf, parseDatabaseUrl, type RowsOf } from './database-url.js';
import type { TableSource } from './table-source.js';
import { watermarkStart } from './watermark.js';

export interface IncrementalRead {
  readonly source: string;
  /** postgresql://... or duckdb:///... */
  readonly from: string;
  readonly rows: RowsOf;
  /** The watermark column: --since-column, else the source's timestamp; none reads every row each time. */
  readonly column: string | undefined;
  /** Read every row, whatever watermark is remembered (the new one replaces it all the same). */
  readonly full?: boolean;
}

export async function openIncrementalRead(
  states: Pick<SourceStates, 'sourceState'>,
  read: IncrementalRead,
): Promise<{ readonly table: TableSource; readonly note?: string }> {
  const location = parseDatabaseUrl(read.from);
  const { column } = read;
  if (!column) {
    const table = await openDatabaseTable(read.from, { rows: read.rows });
    return {
      table,
      note:
        `source ${read.source} has no timestamp column in the rules: every row is read each run (rows already ` +
        'in are found unchanged); set its `timestamp:` or pass --since-column to read only new rows',
    };
  }
  const origin = originOf(location, read.rows);
  const start = read.full ? { since: undefined } : await watermarkStart(states, read.source, origin, column);
  const table = await openDatabaseTable(read.from, {
    rows: read.rows,
    watermark: { origin, column, since: start.since },
  });
  return { table, ...(start.note ? { note: start.note } : {}) };
}
