/**
 * Opens rows of a database named by URL (database-url.ts): PostgreSQL or a DuckDB file. The
 * drivers are loaded on first use, so commands that read only files never load them (DuckDB's
 * native library alone takes a fifth of a second).
 */
import { parseDatabaseUrl } from './database-url.js';
import type { OpenDatabaseTableOptions, TableSource } from './table-source.js';

export type { OpenDatabaseTableOptions } from './table-source.js';

export async function openDatabaseTable(url: string, options: OpenDatabaseTableOptions): Promise<TableSource> {
  const location = parseDatabaseUrl(url);
  if (location.kind === 'postgresql') {
    const { openPostgresTable } = await import('./postgres-table.js');
    return openPostgresTable(location, options);
  }
  const { openDuckdbTable } = await import('./duckdb-table.js');
  return openDuckdbTable(location, options);
}
