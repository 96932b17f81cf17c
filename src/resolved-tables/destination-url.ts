/**
 * Where `export resolved --to` writes, from its URL:
 *   postgres://USER:PASSWORD@HOST:PORT/DB (or postgresql://)   PostgreSQL
 *   duckdb:PATH or duckdb://PATH (duckdb:///abs/file.duckdb)   a DuckDB database file (made if missing)
 *   parquet:PATH or parquet://PATH, or a plain folder path      a folder of Parquet files (made if missing)
 * A PATH is relative to the working directory unless absolute; `duckdb:///tmp/x.duckdb` is /tmp/x.duckdb.
 */
import { resolve } from 'node:path';
import { ExportError } from './export-error.js';

export type DestinationSpec =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'duckdb'; readonly path: string }
  | { readonly kind: 'parquet'; readonly folder: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

export function parseDestination(to: string): DestinationSpec {
  const scheme = SCHEME.exec(to)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (to.trim() === '')
      throw new ExportError('DESTINATION_URL', '--to is empty: give a PostgreSQL URL, duckdb:FILE or a folder');
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
        `--to ${redactUrl(to)} names no host (postgres://USER@HOST:PORT/DATABASE)`,
      );
    }
    return { kind: 'postgres', url: to };
  }
  if (scheme === 'duckdb' || scheme === 'parquet') {
    const path = pathOf(to.slice(scheme.length + 1));
    if (path === '')
      throw new ExportError('DESTINATION_URL', `--to ${to} names no ${scheme === 'duckdb' ? 'file' : 'folder'}`);
    return scheme === 'duckdb' ? { kind: 'duckdb', path: resolve(path) } : { kind: 'parquet', folder: resolve(path) };
  }
  throw new ExportError(
    'DESTINATION_URL',
    `--to ${redactUrl(to)}: unknown scheme "${scheme}:" (use postgres://, duckdb:FILE, parquet:FOLDER or a folder path)`,
  );
}

/** `//` then a path: `duckdb:///abs` is /abs, `duckdb://rel` is rel; without `//` the rest is the path. */
function pathOf(rest: string): string {
  return decodeURIComponent(rest.startsWith('//') ? rest.slice(2) : rest);
}

/** A URL as messages show it: its password (and a `password=` parameter) as `***`. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^/:@?#]*:)[^/?#]*@/, '$1***@').replace(/(password=)[^&#]*/gi, '$1***');
}
