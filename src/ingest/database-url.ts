/**
 * Where database rows come from, as `--from` (and `load`'s `SOURCE=URL#TABLE`) names it:
 * `postgresql://user:password@host:port/database` (or `postgres://`, with any query parameters
 * `pg` understands, such as `sslmode`), or `duckdb:///file.duckdb` (relative to the working
 * folder; `duckdb:////abs/file.duckdb` for an absolute path, as SQLAlchemy's DuckDB dialect writes it).
 * Messages show the URL without its password; the watermark is kept under an origin that holds
 * neither the user nor the password, so changing credentials keeps it.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { InputError } from './input.js';

export type DatabaseLocation =
  | {
      readonly kind: 'postgresql';
      /** The URL as given, password included: for the driver only. */
      readonly url: string;
      /** For messages: without the password. */
      readonly shown: string;
      /** `postgresql://host:port/database`, for the watermark's origin. */
      readonly origin: string;
    }
  | {
      readonly kind: 'duckdb';
      readonly file: string;
      readonly shown: string;
      readonly origin: string;
    };

/** What rows to read: a table (`orders`, `sales.orders`) or a query of the caller's. */
export type RowsOf = { readonly table: string } | { readonly query: string };

const DATABASE_URL = /^(postgres|postgresql|duckdb):/i;

export function isDatabaseUrl(text: string): boolean {
  return DATABASE_URL.test(text);
}

export function parseDatabaseUrl(text: string): DatabaseLocation {
  const scheme = DATABASE_URL.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'duckdb') {
    const path = text.slice('duckdb:'.length);
    if (!path.startsWith('///') || path.length === 3) {
      throw invalid(text, 'a DuckDB URL is duckdb:///file.duckdb (or duckdb:////absolute/path/file.duckdb)');
    }
    const file = resolve(decodeURIComponent(path.slice(3)));
    return { kind: 'duckdb', file, shown: `duckdb:///${path.slice(3)}`, origin: `duckdb://${file}` };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalid(text, 'not a valid URL');
    }
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username);
    const host = url.host || 'localhost';
    return {
      kind: 'postgresql',
      url: text,
      shown: redactUrl(text),
      origin: `postgresql://${host}/${database}`,
    };
  }
  throw invalid(text, 'idgraph reads postgresql:// and duckdb:/// URLs');
}

/** The URL for messages: the password (in the user part or a `password` parameter) replaced by `***`. */
export function redactUrl(text: string): string {
  const redacted = text.replace(/([?&]password=)[^&#]*/gi, '$1***');
  const authority = redacted.indexOf('://') + 3;
  if (authority === 2) return redacted;
  // The user part ends at the last `@` before the query, as URL parsers read it: a password may hold `@` or `/`.
  const query = redacted.slice(authority).search(/[?#]/);
  const at = redacted.lastIndexOf('@', query === -1 ? redacted.length : authority + query);
  const colon = redacted.indexOf(':', authority);
  if (at < authority || colon === -1 || colon > at) return redacted;
  return `${redacted.slice(0, colon)}:***${redacted.slice(at)}`;
}

/** The watermark's origin: which rows of which database, never the credentials. */
export function originOf(location: DatabaseLocation, rows: RowsOf): string {
  if ('table' in rows) return `${location.origin}#table:${rows.table}`;
  const digest = createHash('sha256').update(rows.query.trim()).digest('hex').slice(0, 16);
  return `${location.origin}#query:${digest}`;
}

function invalid(text: string, reason: string): InputError {
  return new InputError('SOURCE_URL_INVALID', `cannot read from ${redactUrl(text)}: ${reason}`);
}
