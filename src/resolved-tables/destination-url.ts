/**
 * Where `export resolved --to` writes, written as `ingest --from` reads (src/ingest/database-url.ts):
 *   postgresql://USER:PASSWORD@HOST:PORT/DATABASE (or postgres://, with any `pg` parameter)
 *   duckdb:///file.duckdb                 a DuckDB file, relative to the working folder, made if missing
 *                                         (duckdb:////abs/file.duckdb for an absolute path)
 *   parquet:///folder, or a folder path   a folder of Parquet files, made if missing
 *                                         (parquet:////abs/folder for an absolute path)
 */
import { resolve } from 'node:path';
import { redactUrl } from '../ingest/database-url.js';
import { ExportError } from './export-error.js';

export { redactUrl };

export type DestinationSpec =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'duckdb'; readonly path: string }
  | { readonly kind: 'parquet'; readonly folder: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

export function parseDestination(to: string): DestinationSpec {
  const scheme = SCHEME.exec(to)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (to.trim() === '') {
      throw new ExportError('DESTINATION_URL', '--to is empty: give a PostgreSQL URL, duckdb:///FILE or a folder');
    }
    return { kind: 'parquet', folder: resolve(to) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(to);
    } catch {
      throw new ExportError('DESTINATION_URL', `--to ${redactUrl(to)} is not a valid PostgreSQL URL`);
    }
    if (!url.hostname && !url.searchParams.get('host')) {
      throw new ExportError(
        'DESTINATION_URL',
        `--to ${redactUrl(to)} names no host (postgresql://USER@HOST:PORT/DATABASE)`,
      );
    }
    return { kind: 'postgres', url: to };
  }
  if (scheme === 'duckdb' || scheme === 'parquet') {
    const rest = to.slice(scheme.length + 1);
    const what = scheme === 'duckdb' ? 'file.duckdb' : 'folder';
    if (!rest.startsWith('///') || rest.length === 3) {
      throw new ExportError(
        'DESTINATION_URL',
        `--to ${to}: write ${scheme}:///${what} (relative to the working folder) or ${scheme}:////absolute/${what}`,
      );
    }
    const path = resolve(decodeURIComponent(rest.slice(3)));
    return scheme === 'duckdb' ? { kind: 'duckdb', path } : { kind: 'parquet', folder: path };
  }
  throw new ExportError(
    'DESTINATION_URL',
    `--to ${redactUrl(to)}: unknown scheme "${scheme}:" (use postgresql://, duckdb:///FILE, parquet:///FOLDER or a folder path)`,
  );
}
