/**
 * Rows of a PostgreSQL table or query, streamed through a server-side cursor (pg-cursor): a batch
 * at a time, the next one fetched while the last is used, so memory stays that of a couple of
 * batches however large the table. Values come as the mapping reads a file's: numbers, booleans,
 * JSON as objects, arrays, timestamps as ISO 8601 text (timestamp-text.ts) and every other type as
 * PostgreSQL prints it (numeric, date, uuid, interval...).
 *
 * For an incremental read the newest value of the watermark column is asked for first, then the
 * rows at or after the remembered one are read: a row committed in between is read now and again
 * next time (and found unchanged), never skipped.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { DatabaseLocation } from './database-url.js';
import { InputError } from './input.js';
import { sourceQueries } from './source-sql.js';
import type { OpenDatabaseTableOptions, TableSource } from './table-source.js';
import { isoTimestamp } from './timestamp-text.js';

/** Rows per fetch: a round trip per 5,000 rows, a few MB in memory at a time. */
const ROWS_PER_FETCH = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** Types whose JavaScript value pg makes is what a row of a file would hold: booleans, numbers, JSON, arrays of them. */
const PARSED_BY_PG = new Set([
  16, // bool
  20, // int8 (as text: it may not fit a number)
  21, // int2
  23, // int4
  26, // oid
  700, // float4
  701, // float8
  114, // json
  3802, // jsonb
  199, // json[]
  3807, // jsonb[]
  1000, // bool[]
  1005, // int2[]
  1007, // int4[]
  1016, // int8[]
  1021, // float4[]
  1022, // float8[]
  1009, // text[]
  1015, // varchar[]
]);
const TIMESTAMPS = new Set([1114, 1184]);
const asText = (text: string) => text;

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (TIMESTAMPS.has(oid)) return isoTimestamp;
    if (PARSED_BY_PG.has(oid)) return pg.types.getTypeParser(oid, format as 'text');
    return asText;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openPostgresTable(
  location: Extract<DatabaseLocation, { kind: 'postgresql' }>,
  options: OpenDatabaseTableOptions,
): Promise<TableSource> {
  const what = 'table' in options.rows ? `table ${options.rows.table}` : 'the query';
  let connected = false;
  const fail = (error: unknown) => postgresError(error, location.shown, what, connected);
  const client = new pg.Client({
    connectionString: location.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'idgraph',
  });
  // A connection lost while idle is met by the next query; without a listener it would end the process.
  client.on('error', () => {});
  let cursor: Cursor;
  let columns: string[];
  let newest: string | undefined;
  const { watermark } = options;
  const since = watermark?.since;
  try {
    await client.connect();
    connected = true;
    // Timestamps with a time zone printed in UTC, so the same row reads the same wherever the job runs.
    await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'`);
    const queries = sourceQueries(
      options.rows,
      watermark ? { column: watermark.column, since: since !== undefined } : undefined,
    );
    columns = (await client.query({ text: queries.columns, types })).fields.map((field) => field.name);
    if (watermark && !columns.includes(watermark.column)) throw noColumn(what, watermark.column);
    const values = since !== undefined ? [since] : [];
    if (queries.newest) {
      const answer = await client.query<{ mark: string | null }>({ text: queries.newest, values });
      newest = answer.rows[0]?.mark ?? undefined;
    }
    cursor = client.query(new Cursor(queries.rows, values, { types }));
  } catch (error) {
    await client.end().catch(() => {});
    throw fail(error);
  }

  let taken = false;
  let closed = false;
  let inFlight: Promise<unknown> | undefined;
  const fetch = (): Promise<Record<string, unknown>[]> => {
    const rows = cursor.read(ROWS_PER_FETCH).catch((error: unknown) => {
      throw fail(error);
    });
    // Fetched ahead: a read left unawaited (the run stopped) must not count as unhandled.
    rows.catch(() => {});
    inFlight = rows;
    return rows;
  };
  return {
    kind: 'table',
    path: location.shown,
    name: 'table' in options.rows ? options.rows.table : 'query',
    size: undefined,
    columns,
    ...(watermark ? { watermark: { origin: watermark.origin, column: watermark.column, since, newest } } : {}),
    bytesRead: () => 0,
    async *batches() {
      if (taken) throw new InputError('INPUT_UNREADABLE', `${what} of ${location.shown} can be read only once`);
      taken = true;
      let next = fetch();
      for (;;) {
        const rows = await next;
        if (rows.length === 0) return;
        // The next batch is on its way while this one is used; a short batch was the last.
        next = rows.length < ROWS_PER_FETCH ? Promise.resolve([]) : fetch();
        yield rows;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await inFlight?.catch(() => {});
      // Ending the connection ends the cursor and its transaction with it.
      await client.end().catch(() => {});
    },
  };
}

function noColumn(what: string, column: string): InputError {
  return new InputError(
    'SOURCE_NOT_FOUND',
    `${what} has no column "${column}" (the source's timestamp in the rules, or --since-column)`,
  );
}

const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

/**
 * A driver failure as a one-line InputError naming the server (no password) and what was read.
 * PostgreSQL's message is quoted only for errors about the SQL itself (SQLSTATE class 42: syntax,
 * unknown names, types), never for errors about the data (class 22), whose messages quote values.
 */
export function postgresError(error: unknown, shown: string, what: string, connected: boolean): unknown {
  if (error instanceof InputError) return error;
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = (error as Error)?.message ?? String(error);
  const at = `PostgreSQL at ${shown}`;
  if (code === 'ECONNREFUSED') {
    return new InputError('SOURCE_UNREACHABLE', `cannot connect to ${at}: connection refused (is the server running?)`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new InputError('SOURCE_UNREACHABLE', `cannot connect to ${at}: unknown host`);
  }
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return new InputError('SOURCE_UNREACHABLE', `cannot connect to ${at}: no answer (timed out)`);
  }
  if (CONNECTION_LOST.has(code) || /Connection terminated/i.test(message)) {
    return new InputError(
      'SOURCE_UNREACHABLE',
      `lost the connection to ${at} while reading ${what}; the rows committed before stay, run again to read the rest`,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new InputError('SOURCE_AUTH', `${at} refused the credentials (check the user and password in the URL)`);
  }
  if (code === '42501') {
    return new InputError('SOURCE_AUTH', `${at}: the user may not read ${what} (${code})`);
  }
  if (code === '3D000') return new InputError('SOURCE_NOT_FOUND', `${at} has no such database`);
  if (code === '42P01' && what.startsWith('table ')) {
    return new InputError('SOURCE_NOT_FOUND', `${at} has no ${what}`);
  }
  if (code.startsWith('42')) {
    return new InputError('SOURCE_QUERY_FAILED', `${at} refused ${what}: ${message} (${code})`);
  }
  if (code.startsWith('22')) {
    return new InputError(
      'SOURCE_QUERY_FAILED',
      `${at} could not read a value of ${what} (SQLSTATE ${code}; the value is not shown, it may be personal data)`,
    );
  }
  if (/^[0-9A-Z]{5}$/.test(code)) {
    return new InputError('SOURCE_QUERY_FAILED', `${at} refused to read ${what} (SQLSTATE ${code})`);
  }
  // Failures before a connection exists (TLS refused, say): the driver's words hold no password.
  if (!connected || code.startsWith('E')) {
    return new InputError('SOURCE_UNREACHABLE', `cannot connect to ${at}: ${message.split('\n')[0]}`);
  }
  return error;
}
