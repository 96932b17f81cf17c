/**
 * Rows through DuckDB (the DuckDB Node API): a table or query of a DuckDB database file, opened
 * read-only, and Parquet files (`read_parquet`), read column chunk by column chunk (2,048 rows) as
 * DuckDB streams its result, so memory stays that of a few chunks. Values come as JSON would hold
 * them (DuckDB's own JSON conversion: big integers and decimals as text, lists and structs as
 * arrays and objects), timestamps as ISO 8601 text (timestamp-text.ts).
 */
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBResult, DuckDBTypeId } from '@duckdb/node-api';
import type { DatabaseLocation } from './database-url.js';
import { InputError } from './input.js';
import { sourceQueries } from './source-sql.js';
import type { OpenDatabaseTableOptions, TableSource } from './table-source.js';
import { isoTimestamp } from './timestamp-text.js';

const TIMESTAMP_TYPES = new Set([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

export async function openDuckdbTable(
  location: Extract<DatabaseLocation, { kind: 'duckdb' }>,
  options: OpenDatabaseTableOptions,
): Promise<TableSource> {
  const what = 'table' in options.rows ? `table ${options.rows.table}` : 'the query';
  const fail = (error: unknown) => duckdbError(error, `DuckDB file ${location.shown}`, what);
  await access(location.file).catch(() => {
    throw new InputError('SOURCE_NOT_FOUND', `cannot read from ${location.shown}: no such file`);
  });
  const { watermark } = options;
  const since = watermark?.since;
  return openWithDuckdb(location.file, fail, async (connection) => {
    const probe = await connection.stream(sourceQueries(options.rows).columns);
    const columns = probe.columnNames();
    if (watermark && !columns.includes(watermark.column)) {
      throw new InputError(
        'SOURCE_NOT_FOUND',
        `${what} has no column "${watermark.column}" (the source's timestamp in the rules, or --since-column)`,
      );
    }
    // The remembered value (text) goes back cast to the column's own type, so it is compared as one of its values.
    const type = watermark ? String(probe.columnType(columns.indexOf(watermark.column))) : '';
    const queries = sourceQueries(
      options.rows,
      watermark
        ? { column: watermark.column, since: since !== undefined, cast: (parameter) => `CAST(${parameter} AS ${type})` }
        : undefined,
    );
    const values = since !== undefined ? [since] : [];
    let newest: string | undefined;
    if (queries.newest) {
      const answer = await connection.runAndReadAll(queries.newest, values);
      newest = (answer.getRowObjectsJson()[0]?.mark as string | null | undefined) ?? undefined;
    }
    const result = await connection.stream(queries.rows, values);
    return {
      path: location.shown,
      name: 'table' in options.rows ? options.rows.table : 'query',
      result,
      ...(watermark ? { watermark: { origin: watermark.origin, column: watermark.column, since, newest } } : {}),
    };
  });
}

/** A Parquet file's rows, in file order. */
export async function openParquetFile(path: string): Promise<TableSource> {
  await access(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError('INPUT_UNREADABLE', `cannot read ${path}: ${error.code ?? 'error'}`);
  });
  const name = basename(path);
  const fail = (error: unknown) => duckdbError(error, name, 'the file');
  return openWithDuckdb(':memory:', fail, async (connection) => ({
    path,
    name,
    result: await connection.stream('SELECT * FROM read_parquet($1)', [path]),
  }));
}

interface Opened {
  readonly path: string;
  readonly name: string;
  readonly result: DuckDBResult;
  readonly watermark?: TableSource['watermark'];
}

async function openWithDuckdb(
  file: string,
  fail: (error: unknown) => unknown,
  open: (connection: DuckDBConnection) => Promise<Opened>,
): Promise<TableSource> {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  const release = () => {
    connection?.closeSync();
    instance?.closeSync();
  };
  let opened: Opened;
  try {
    instance = await DuckDBInstance.create(file, file === ':memory:' ? {} : { access_mode: 'READ_ONLY' });
    connection = await instance.connect();
    // Timestamps with a time zone printed in UTC, so the same row reads the same wherever the job runs.
    await connection.run(`SET TimeZone = 'UTC'`);
    opened = await open(connection);
  } catch (error) {
    release();
    throw fail(error);
  }
  const { result } = opened;
  const columns = result.columnNames();
  const timestamps = columns.filter((_, index) => TIMESTAMP_TYPES.has(result.columnTypeId(index)));
  let taken = false;
  let closed = false;
  return {
    kind: 'table',
    path: opened.path,
    name: opened.name,
    size: undefined,
    columns,
    ...(opened.watermark ? { watermark: opened.watermark } : {}),
    bytesRead: () => 0,
    async *batches() {
      if (taken) throw new InputError('INPUT_UNREADABLE', `${opened.name} can be read only once`);
      taken = true;
      const chunks = result.yieldRowObjectJson()[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<Record<string, unknown>[]>;
        try {
          next = await chunks.next();
        } catch (error) {
          throw fail(error);
        }
        if (next.done) return;
        const rows = next.value;
        for (const column of timestamps) {
          for (const row of rows) {
            const value = row[column];
            if (typeof value === 'string') row[column] = isoTimestamp(value);
          }
        }
        yield rows;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      release();
    },
  };
}

/**
 * DuckDB's failures as one-line InputErrors. Its message is quoted for errors about the SQL
 * (parser, binder, catalog: they name tables and columns), never for errors about the data
 * (conversion, invalid input), whose messages quote values.
 */
function duckdbError(error: unknown, at: string, what: string): unknown {
  if (error instanceof InputError) return error;
  const message = String((error as Error)?.message ?? error);
  const kind = /^([A-Za-z ]+) Error:/.exec(message)?.[1] ?? '';
  const first = message.split('\n')[0] as string;
  if (kind === 'Catalog' && what.startsWith('table '))
    return new InputError('SOURCE_NOT_FOUND', `${at} has no ${what}`);
  if (kind === 'IO' && /lock/i.test(message)) {
    return new InputError('SOURCE_UNREACHABLE', `cannot open ${at}: another process has it open to write`);
  }
  if (kind === 'IO') return new InputError('INPUT_UNREADABLE', `cannot read ${at}: ${first}`);
  if (kind === 'Catalog' || kind === 'Binder' || kind === 'Parser') {
    return new InputError('SOURCE_QUERY_FAILED', `${at} refused ${what}: ${first}`);
  }
  if (kind === 'Invalid Input' && /magic bytes|parquet|footer/i.test(message)) {
    return new InputError('PARQUET_INVALID', `cannot read ${at}: not a valid Parquet file`);
  }
  if (kind !== '') {
    return new InputError(
      'SOURCE_QUERY_FAILED',
      `${at} could not read ${what} (${kind} Error; the message is not shown, it may quote personal data)`,
    );
  }
  return error;
}
