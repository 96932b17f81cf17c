/** The destination a `--to` URL names, connected or opened (see destination-url.ts for the forms). */
import type { Destination } from './destination.js';
import { parseDestination } from './destination-url.js';
import { DuckDbDestination } from './duckdb-destination.js';
import { ParquetDestination } from './parquet-destination.js';
import { PostgresDestination } from './postgres-destination.js';

export async function openDestination(to: string): Promise<Destination> {
  const spec = parseDestination(to);
  switch (spec.kind) {
    case 'postgres':
      return PostgresDestination.open(spec.url);
    case 'duckdb':
      return DuckDbDestination.open(spec.path);
    case 'parquet':
      return ParquetDestination.open(spec.folder);
  }
}
