/**
 * DuckDB database files (`ingest --from duckdb:///...`) and Parquet files (`ingest x.parquet`,
 * `load crm=x.parquet`) read through the real DuckDB engine: the same records as the rows in
 * NDJSON, rows streamed chunk by chunk with their place kept for rejects, the watermark making a
 * second run read only newer rows, and clear errors for what cannot be read. The DuckDB and
 * Parquet files are made here with DuckDB itself (`COPY ... TO ... (FORMAT parquet)`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { readSourceStates } from '../../src/store/embedded/source-states-file.js';
import { cli } from '../support/capture-io.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;

/** Opens a DuckDB file, runs `work`, and closes it: the CLI (in this process) opens it read-only after. */
async function withDuckdb(file: string, work: (connection: DuckDBConnection) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const CUSTOMERS = `
  CREATE TABLE customers AS SELECT * FROM (VALUES
    ('c1', TIMESTAMP '2024-03-01 09:00:00', 'Ann.Lee@GoogleMail.com', '020 7946 0123', 'Ann', 'GB', DATE '1988-04-12'),
    ('c2', TIMESTAMP '2024-03-02 09:00:00', 'annlee@gmail.com', NULL, 'Ann', 'GB', DATE '1988-04-12'),
    ('c3', TIMESTAMP '2024-03-03 09:00:00', 'tom@mailbox.co', NULL, 'Tom', 'GB', NULL)
  ) AS t(customer_id, updated_at, email, phone, first_name, country, dob)`;

/** The same rows as NDJSON: a timestamp without a time zone is read as UTC. */
const CUSTOMER_LINES = [
  {
    customer_id: 'c1',
    updated_at: '2024-03-01T09:00:00Z',
    email: 'Ann.Lee@GoogleMail.com',
    phone: '020 7946 0123',
    first_name: 'Ann',
    country: 'GB',
    dob: '1988-04-12',
  },
  {
    customer_id: 'c2',
    updated_at: '2024-03-02T09:00:00Z',
    email: 'annlee@gmail.com',
    first_name: 'Ann',
    country: 'GB',
    dob: '1988-04-12',
  },
  { customer_id: 'c3', updated_at: '2024-03-03T09:00:00Z', email: 'tom@mailbox.co', first_name: 'Tom', country: 'GB' },
];

async function ingest(store: string, ...args: string[]) {
  const run = await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', '--json', ...args);
  return { ...run, summary: run.out ? JSON.parse(run.out) : undefined };
}

async function sameAsNdjson(dir: string, store: string): Promise<void> {
  const file = join(dir, 'crm.ndjson');
  await writeFile(file, `${CUSTOMER_LINES.map((line) => JSON.stringify(line)).join('\n')}\n`);
  const fromFile = await ingest(join(dir, 'from-ndjson'), file);
  expect(fromFile.code).toBe(0);
  for (const what of ['records', 'profiles']) {
    const a = await cli('export', what, '--store', store);
    const b = await cli('export', what, '--store', join(dir, 'from-ndjson'));
    expect(a.out).toBe(b.out);
  }
}

describe('ingest --from duckdb:///', () => {
  it('reads a table of a DuckDB file as NDJSON rows would be read, then only newer rows', async () => {
    const dir = await tempDir();
    const database = join(dir, 'warehouse.duckdb');
    await withDuckdb(database, (c) => c.run(CUSTOMERS).then(() => undefined));
    const store = join(dir, 'store');
    const first = await ingest(store, '--from', `duckdb:///${database}`, '--table', 'customers');
    expect(first.code).toBe(0);
    expect(first.summary).toMatchObject({ rows: 3, accepted: 3, rejected: 0, profilesCreated: 2 });
    expect(first.summary.watermark).toEqual({ column: 'updated_at', since: null, newest: '2024-03-03 09:00:00' });
    await sameAsNdjson(dir, store);

    await withDuckdb(database, async (c) => {
      await c.run(
        `INSERT INTO customers VALUES ('c4', TIMESTAMP '2024-03-04 09:00:00', 'zoe@mailbox.co', NULL, 'Zoe', 'GB', NULL)`,
      );
      await c.run(`UPDATE customers SET email = 'old@mailbox.co' WHERE customer_id = 'c1'`);
    });
    const next = await ingest(store, '--from', `duckdb:///${database}`, '--table', 'customers');
    expect(next.code).toBe(0);
    // c3 at the old watermark (unchanged) and c4; c1 changed without a newer timestamp is not read.
    expect(next.summary).toMatchObject({ rows: 2, accepted: 2, unchanged: 1, profilesCreated: 1 });
    expect(next.summary.watermark).toEqual({
      column: 'updated_at',
      since: '2024-03-03 09:00:00',
      newest: '2024-03-04 09:00:00',
    });
    expect((await readSourceStates(store)).get('crm')).toMatchObject({
      origin: `duckdb://${database}#table:customers`,
      watermark: '2024-03-04 09:00:00',
    });
  });

  it('reads the rows of a query, and names a missing file or table', async () => {
    const dir = await tempDir();
    const database = join(dir, 'warehouse.duckdb');
    await withDuckdb(database, (c) => c.run(CUSTOMERS).then(() => undefined));
    const query = await ingest(
      join(dir, 'store'),
      '--from',
      `duckdb:///${database}`,
      '--query',
      `SELECT * FROM customers WHERE first_name = 'Ann'`,
    );
    expect(query.code).toBe(0);
    expect(query.summary).toMatchObject({ rows: 2, accepted: 2, profilesCreated: 1 });

    const noTable = await ingest(join(dir, 'store'), '--from', `duckdb:///${database}`, '--table', 'nope');
    expect(noTable.code).toBe(2);
    expect(noTable.err).toBe(`idgraph: DuckDB file duckdb:///${database} has no table nope [SOURCE_NOT_FOUND]\n`);
    const noFile = await ingest(join(dir, 'store'), '--from', `duckdb:///${join(dir, 'none.duckdb')}`, '--table', 't');
    expect(noFile.code).toBe(2);
    expect(noFile.err).toContain('no such file [SOURCE_NOT_FOUND]');
    const badValue = await ingest(
      join(dir, 'store'),
      '--from',
      `duckdb:///${database}`,
      '--query',
      'SELECT customer_id, updated_at, CAST(email AS INTEGER) AS n FROM customers',
    );
    expect(badValue.code).toBe(2);
    expect(badValue.err).toContain('[SOURCE_QUERY_FAILED]');
    expect(badValue.err).not.toContain('GoogleMail');
  });
});

describe('Parquet files', () => {
  it('are read as rows, as NDJSON would be', async () => {
    const dir = await tempDir();
    const parquet = join(dir, 'crm.parquet');
    await withDuckdb(':memory:', async (c) => {
      await c.run(CUSTOMERS);
      await c.run(`COPY customers TO '${parquet}' (FORMAT parquet)`);
    });
    const run = await ingest(join(dir, 'store'), parquet);
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ rows: 3, accepted: 3, profilesCreated: 2 });
    // A file is read in full each time: no watermark.
    expect(run.summary.watermark).toBeNull();
    await sameAsNdjson(dir, join(dir, 'store'));
  });

  it('are streamed chunk by chunk: a bad row deep in the file is rejected alone, by its row number', async () => {
    const dir = await tempDir();
    const parquet = join(dir, 'orders.parquet');
    const rejects = join(dir, 'rejects.ndjson');
    await withDuckdb(':memory:', async (c) => {
      await c.run(
        `COPY (SELECT CASE WHEN i = 7777 THEN NULL ELSE 'o' || i END AS order_id,
                      TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS ordered_at,
                      'buyer' || i || '@mailbox.co' AS email, 'GB' AS country
               FROM range(1, 10001) r(i) ORDER BY i)
         TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      );
    });
    const run = await cli(
      'ingest',
      '--rules',
      RULES,
      '--store',
      join(dir, 'store'),
      '--source',
      'orders',
      '--json',
      '--rejects',
      rejects,
      parquet,
    );
    expect(run.code).toBe(3);
    expect(JSON.parse(run.out)).toMatchObject({ rows: 10000, accepted: 9999, rejected: 1 });
    const lines = (await readFile(rejects, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        file: 'orders.parquet',
        row: 7777,
        source: 'orders',
        code: 'MISSING_KEY',
        field: 'order_id',
        message: expect.any(String),
      },
    ]);
  });

  it('go into a first load beside NDJSON (load crm=x.parquet)', async () => {
    const dir = await tempDir();
    const parquet = join(dir, 'crm.parquet');
    await withDuckdb(':memory:', async (c) => {
      await c.run(CUSTOMERS);
      await c.run(`COPY customers TO '${parquet}' (FORMAT parquet)`);
    });
    const web = join(dir, 'web.ndjson');
    await writeFile(
      web,
      `${JSON.stringify({ session_id: 's1', seen_at: '2024-01-01T00:00:00Z', email: 'tom@mailbox.co' })}\n`,
    );
    const run = await cli(
      'load',
      '--rules',
      RULES,
      '--store',
      join(dir, 'store'),
      '--json',
      '--no-progress',
      `crm=${parquet}`,
      `web=${web}`,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ path: 'bulk', rows: 4, accepted: 4, profilesCreated: 2 });
  });

  it('that are not Parquet, or missing, stop the run with exit 2', async () => {
    const dir = await tempDir();
    const fake = join(dir, 'crm.parquet');
    await writeFile(fake, 'customer_id\nc1\n');
    const bad = await ingest(join(dir, 'store'), fake);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('idgraph: cannot read crm.parquet: not a valid Parquet file [PARQUET_INVALID]\n');
    const missing = await ingest(join(dir, 'store'), join(dir, 'none.parquet'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('ENOENT');
  });
});
