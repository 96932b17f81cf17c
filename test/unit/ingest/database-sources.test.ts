/**
 * The pure parts of reading databases: URLs (kinds, redaction, the watermark's origin), the SQL
 * sent to read a table or query with or without a watermark, and timestamps made ISO 8601.
 */
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../src/engine/prepare/prepare-record.js';
import { originOf, parseDatabaseUrl, redactUrl } from '../../../src/ingest/database-url.js';
import { fromClause, quoteName, sourceQueries } from '../../../src/ingest/source-sql.js';
import { isoTimestamp } from '../../../src/ingest/timestamp-text.js';

describe('database URLs', () => {
  it('hide the password in messages, in the user part and as a parameter', () => {
    expect(redactUrl('postgresql://reader:s3cr@t@db:5432/shop')).toBe('postgresql://reader:***@db:5432/shop');
    expect(redactUrl('postgres://db/shop?sslmode=require&password=hunter2')).toBe(
      'postgres://db/shop?sslmode=require&password=***',
    );
    expect(redactUrl('postgresql://reader@db/shop')).toBe('postgresql://reader@db/shop');
    expect(redactUrl('postgresql://reader:p:w/x@db/shop')).toBe('postgresql://reader:***@db/shop');
    expect(redactUrl('postgresql://db/shop')).toBe('postgresql://db/shop');
    expect(redactUrl('crm=postgresql://reader:pw@db/shop')).toBe('crm=postgresql://reader:***@db/shop');
  });

  it('keep the watermark under an origin without credentials, per table or query', () => {
    const a = parseDatabaseUrl('postgresql://reader:one@db:5432/shop?sslmode=require');
    const b = parseDatabaseUrl('postgres://other:two@db:5432/shop');
    expect(a).toMatchObject({ kind: 'postgresql', origin: 'postgresql://db:5432/shop' });
    expect(originOf(a, { table: 'orders' })).toBe(originOf(b, { table: 'orders' }));
    expect(originOf(a, { table: 'orders' })).toBe('postgresql://db:5432/shop#table:orders');
    expect(originOf(a, { query: 'SELECT 1' })).toMatch(/^postgresql:\/\/db:5432\/shop#query:[0-9a-f]{16}$/);
    expect(originOf(a, { query: 'SELECT 1' })).not.toBe(originOf(a, { query: 'SELECT 2' }));
  });

  it('read duckdb:/// paths relative to the working folder, duckdb://// absolute', () => {
    expect(parseDatabaseUrl('duckdb:////data/w.duckdb')).toMatchObject({ kind: 'duckdb', file: '/data/w.duckdb' });
    expect(parseDatabaseUrl('duckdb:///w.duckdb')).toMatchObject({ file: `${process.cwd()}/w.duckdb` });
    expect(() => parseDatabaseUrl('duckdb://w.duckdb')).toThrow(/duckdb:\/\/\/file\.duckdb/);
    expect(() => parseDatabaseUrl('mysql://root:pw@db/shop')).toThrow(/mysql:\/\/root:\*\*\*@db\/shop/);
  });
});

describe('the SQL sent to read a source', () => {
  it('quotes table names as SQL folds them, keeping a quoted part’s case', () => {
    expect(quoteName('orders')).toBe('"orders"');
    expect(quoteName('Sales.Orders')).toBe('"sales"."orders"');
    expect(quoteName('sales."Orders"')).toBe('"sales"."Orders"');
    expect(quoteName('order')).toBe('"order"');
    expect(fromClause({ query: 'SELECT * FROM t;  ' })).toBe('(SELECT * FROM t) AS idgraph_rows');
  });

  it('reads every row without a watermark, and rows at or after it with one', () => {
    expect(sourceQueries({ table: 'orders' })).toEqual({
      columns: 'SELECT * FROM "orders" LIMIT 0',
      rows: 'SELECT * FROM "orders"',
    });
    expect(sourceQueries({ table: 'orders' }, { column: 'updated_at', since: false })).toEqual({
      columns: 'SELECT * FROM "orders" LIMIT 0',
      newest: 'SELECT CAST(max("updated_at") AS VARCHAR) AS mark FROM "orders"',
      rows: 'SELECT * FROM "orders"',
    });
    const since = sourceQueries(
      { query: 'SELECT * FROM t' },
      { column: 'v', since: true, cast: (p) => `CAST(${p} AS BIGINT)` },
    );
    expect(since.rows).toBe('SELECT * FROM (SELECT * FROM t) AS idgraph_rows WHERE "v" >= CAST($1 AS BIGINT)');
    expect(since.newest).toBe(
      'SELECT CAST(max("v") AS VARCHAR) AS mark FROM (SELECT * FROM t) AS idgraph_rows WHERE "v" >= CAST($1 AS BIGINT)',
    );
  });
});

describe('timestamps as databases print them', () => {
  it('become ISO 8601, a timestamp without a zone read as UTC', () => {
    expect(isoTimestamp('2024-01-02 03:04:05')).toBe('2024-01-02T03:04:05Z');
    expect(isoTimestamp('2024-01-02 03:04:05.123456+00')).toBe('2024-01-02T03:04:05.123456Z');
    expect(isoTimestamp('2024-01-02 03:04:05+05:30')).toBe('2024-01-02T03:04:05+05:30');
    expect(isoTimestamp('2024-01-02 03:04:05-08')).toBe('2024-01-02T03:04:05-08:00');
    expect(parseTimestamp(isoTimestamp('2024-01-02 03:04:05-08'))).toBe(Date.parse('2024-01-02T11:04:05Z'));
    expect(parseTimestamp(isoTimestamp('2024-01-02 03:04:05'))).toBe(Date.parse('2024-01-02T03:04:05Z'));
  });

  it('are left as they are when they are not one (infinity, dates before the Common Era)', () => {
    expect(isoTimestamp('infinity')).toBe('infinity');
    expect(isoTimestamp('0044-03-15 12:00:00 BC')).toBe('0044-03-15 12:00:00 BC');
    expect(isoTimestamp('1900-01-01 00:00:00+00:09:21')).toBe('1900-01-01 00:00:00+00:09:21');
  });
});
