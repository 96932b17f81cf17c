/**
 * `idgraph ingest --from postgresql://...` against a real PostgreSQL (the project's launcher): a
 * table and a query read as a file's rows would be, the watermark making the next run read only
 * new and changed rows, --since-column, a bad row rejected alone with its place, the column
 * checks, a failure mid-read that remembers nothing, and the one-line errors of a server that is
 * not there, a table that is not, or a query PostgreSQL refuses, none of them quoting the password.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSourceStates } from '../../src/store/embedded/source-states-file.js';
import { cli } from '../support/capture-io.js';
import { freePort } from '../support/free-port.js';
import { type PostgresServer, startPostgres } from '../support/postgres-server.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
/** Never printed: the server trusts loopback, so any password is accepted, and none may leak. */
const PASSWORD = 'Sup3r-secret-pw';

let server: PostgresServer;
let db: pg.Client;
/** The server's URL with a user and password, as a job would give it. */
let url: string;

beforeAll(async () => {
  server = await startPostgres();
  url = server.url.replace('postgres@', `postgres:${PASSWORD}@`);
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
}, 90_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
});

interface Customer {
  readonly id: string;
  readonly email: string | null;
  readonly at: string;
  readonly phone?: string;
}

const customers: Customer[] = [
  { id: 'c1', email: 'Ann.Lee@GoogleMail.com', at: '2024-03-01T09:00:00Z', phone: '020 7946 0123' },
  { id: 'c2', email: 'annlee@gmail.com', at: '2024-03-02T09:00:00Z' },
  { id: 'c3', email: 'tom@mailbox.co', at: '2024-03-03T09:00:00Z' },
  { id: 'c4', email: 'zoe@mailbox.co', at: '2024-03-04T09:00:00Z' },
];

/** A table with the crm source's columns (rules/default.yaml), and the rows given. */
async function customerTable(name: string, rows: readonly Customer[]): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${name}`);
  await db.query(
    `CREATE TABLE ${name} (customer_id text, updated_at timestamptz, email text, phone text, first_name text,
       last_name text, postcode text, country text, dob date)`,
  );
  for (const row of rows) await insertCustomer(name, row);
}

async function insertCustomer(table: string, row: Customer): Promise<void> {
  await db.query(
    `INSERT INTO ${table} (customer_id, updated_at, email, phone, first_name, country, dob)
     VALUES ($1, $2, $3, $4, 'Ann', 'GB', '1988-04-12')`,
    [row.id, row.at, row.email, row.phone ?? null],
  );
}

/** The same rows as an NDJSON file, as a database would have exported them. */
async function customerFile(dir: string, rows: readonly Customer[]): Promise<string> {
  const path = join(dir, 'crm.ndjson');
  const lines = rows.map((row) =>
    JSON.stringify({
      customer_id: row.id,
      updated_at: row.at,
      email: row.email,
      ...(row.phone ? { phone: row.phone } : {}),
      first_name: 'Ann',
      country: 'GB',
      dob: '1988-04-12',
    }),
  );
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

async function ingest(store: string, ...args: string[]) {
  const run = await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', '--json', ...args);
  return { ...run, summary: run.out ? JSON.parse(run.out) : undefined };
}

describe('ingest --from postgresql://', () => {
  it('reads a table as the same rows in a file would be read: the same records and profiles', async () => {
    const dir = await tempDir();
    await customerTable('crm_same', customers);
    const fromTable = await ingest(join(dir, 'a'), '--from', url, '--table', 'crm_same');
    expect(fromTable.code).toBe(0);
    expect(fromTable.summary).toMatchObject({ rows: 4, accepted: 4, rejected: 0, profilesCreated: 3 });
    expect(fromTable.summary.watermark).toEqual({
      column: 'updated_at',
      since: null,
      newest: '2024-03-04 09:00:00+00',
    });
    const fromFile = await ingest(join(dir, 'b'), await customerFile(dir, customers));
    expect(fromFile.code).toBe(0);
    for (const what of ['records', 'profiles']) {
      const a = await cli('export', what, '--store', join(dir, 'a'));
      const b = await cli('export', what, '--store', join(dir, 'b'));
      expect(a.out.trim().split('\n').length).toBe(what === 'records' ? 5 : 3);
      expect(a.out).toBe(b.out);
    }
  });

  it('reads the rows of a query instead of a table', async () => {
    const dir = await tempDir();
    await customerTable('crm_query', customers);
    const run = await ingest(
      join(dir, 'store'),
      '--from',
      url,
      '--query',
      "SELECT * FROM crm_query WHERE email LIKE '%mailbox.co';",
    );
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ rows: 2, accepted: 2, profilesCreated: 2 });
    const records = await cli('export', 'records', '--store', join(dir, 'store'));
    expect(records.out).toContain('crm,c3,');
    expect(records.out).toContain('crm,c4,');
    expect(records.out).not.toContain('crm,c1,');
  });

  it('a second run reads only rows at or after the watermark and commits only what changed', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await customerTable('crm_incremental', customers);
    const first = await ingest(store, '--from', url, '--table', 'crm_incremental');
    expect(first.summary).toMatchObject({ rows: 4, accepted: 4, unchanged: 0 });

    // Nothing new: only the row at the watermark is read again, and found unchanged.
    const idle = await ingest(store, '--from', url, '--table', 'crm_incremental');
    expect(idle.code).toBe(0);
    expect(idle.summary).toMatchObject({ rows: 1, accepted: 1, unchanged: 1, commits: 0 });
    expect(idle.summary.watermark).toMatchObject({ since: '2024-03-04 09:00:00+00', newest: '2024-03-04 09:00:00+00' });

    // Two new rows, one changed row (newer timestamp), one row changed without a newer timestamp (not read).
    await insertCustomer('crm_incremental', { id: 'c5', email: 'new@mailbox.co', at: '2024-03-05T09:00:00Z' });
    await insertCustomer('crm_incremental', { id: 'c6', email: 'zoe@mailbox.co', at: '2024-03-05T10:00:00Z' });
    await db.query(
      `UPDATE crm_incremental SET email = 'tom.new@mailbox.co', updated_at = '2024-03-06T09:00:00Z' WHERE customer_id = 'c3'`,
    );
    await db.query(`UPDATE crm_incremental SET email = 'old@mailbox.co' WHERE customer_id = 'c1'`);
    const next = await ingest(store, '--from', url, '--table', 'crm_incremental');
    expect(next.code).toBe(0);
    // c4 (at the old watermark, unchanged), c5, c6 and c3.
    expect(next.summary).toMatchObject({ rows: 4, accepted: 4, unchanged: 1, profilesCreated: 1 });
    expect(next.summary.watermark).toMatchObject({ newest: '2024-03-06 09:00:00+00' });
    const profiles = await cli('export', 'profiles', '--store', store);
    expect(profiles.out).toContain('tom.new@mailbox.co');
    expect(profiles.out).not.toContain('old@mailbox.co');
    // c6 shares c4's email: it joined c4's profile.
    const records = await cli('export', 'records', '--store', store);
    const profileOf = (id: string) => new RegExp(`^crm,${id},(\\S+)$`, 'm').exec(records.out)?.[1];
    expect(profileOf('c6')).toBe(profileOf('c4'));
    expect(profileOf('c5')).not.toBe(profileOf('c4'));

    // The watermark is kept in the store, under the table's origin, without the credentials.
    const states = await readSourceStates(store);
    expect(states.get('crm')).toMatchObject({
      source: 'crm',
      column: 'updated_at',
      watermark: '2024-03-06 09:00:00+00',
      origin: expect.stringMatching(/^postgresql:\/\/127\.0\.0\.1:\d+\/postgres#table:crm_incremental$/),
    });
    expect(JSON.stringify([...states.values()])).not.toContain(PASSWORD);

    // --full reads every row again, whatever the watermark: c1, changed without a newer timestamp, is taken now.
    const full = await ingest(store, '--from', url, '--table', 'crm_incremental', '--full');
    expect(full.summary).toMatchObject({ rows: 6, accepted: 6, unchanged: 5, commits: 1 });
    expect((await cli('export', 'profiles', '--store', store)).out).toContain('old@mailbox.co');
  });

  it('--since-column takes the watermark from another column', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await customerTable('crm_version', customers);
    await db.query('ALTER TABLE crm_version ADD COLUMN row_version bigint');
    await db.query(`UPDATE crm_version SET row_version = substr(customer_id, 2)::bigint * 10`);
    const first = await ingest(store, '--from', url, '--table', 'crm_version', '--since-column', 'row_version');
    expect(first.code).toBe(0);
    expect(first.summary.watermark).toEqual({ column: 'row_version', since: null, newest: '40' });
    // Read for the watermark, the column is not reported as one no mapping reads.
    expect(first.err).toBe('');
    // The rows' timestamps say nothing here: a row with an old timestamp and a new version is read.
    await db.query(`UPDATE crm_version SET email = 'zed@mailbox.co', row_version = 50 WHERE customer_id = 'c1'`);
    const next = await ingest(store, '--from', url, '--table', 'crm_version', '--since-column', 'row_version');
    expect(next.summary).toMatchObject({ rows: 2, accepted: 2, unchanged: 1 });
    expect(next.summary.watermark).toEqual({ column: 'row_version', since: '40', newest: '50' });
    // The rules' timestamp column names another watermark: that read starts over, and says so.
    const byTimestamp = await ingest(store, '--from', url, '--table', 'crm_version');
    expect(byTimestamp.err).toContain('note: the watermark of source crm is for column row_version');
    expect(byTimestamp.summary).toMatchObject({ rows: 4, unchanged: 4 });
    expect((await readSourceStates(store)).get('crm')?.column).toBe('updated_at');
  });

  it('rejects a row without its key alone, named by table and row, and commits the others (exit 3)', async () => {
    const dir = await tempDir();
    const rejects = join(dir, 'rejects.ndjson');
    await customerTable('crm_bad', customers);
    await db.query(`UPDATE crm_bad SET customer_id = NULL WHERE customer_id = 'c3'`);
    const ordered = 'SELECT * FROM crm_bad ORDER BY updated_at';
    const run = await ingest(join(dir, 'store'), '--from', url, '--query', ordered, '--rejects', rejects);
    expect(run.code).toBe(3);
    expect(run.summary).toMatchObject({ rows: 4, accepted: 3, rejected: 1 });
    const lines = (await readFile(rejects, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        file: 'query',
        row: 3,
        source: 'crm',
        code: 'MISSING_KEY',
        field: 'customer_id',
        message: expect.any(String),
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('tom@mailbox.co');
    // --max-rejects allows it.
    const allowed = await ingest(join(dir, 'store'), '--from', url, '--query', ordered, '--max-rejects', '1');
    expect(allowed.code).toBe(0);
  });

  it('checks the columns against the mapping before reading; --strict refuses a mismatch', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await db.query('DROP TABLE IF EXISTS crm_columns');
    await db.query('CREATE TABLE crm_columns (customer_id text, updated_at timestamptz, "e-mail" text)');
    await db.query(`INSERT INTO crm_columns VALUES ('c1', '2024-01-01T00:00:00Z', 'ann@mailbox.co')`);
    const warned = await ingest(store, '--from', url, '--table', 'crm_columns');
    expect(warned.code).toBe(0);
    expect(warned.err).toContain(
      'warning: crm_columns: field "email" mapped by source crm is not a column of crm_columns (did you mean "e-mail"?)',
    );
    const strict = await ingest(join(dir, 'strict'), '--from', url, '--table', 'crm_columns', '--strict');
    expect(strict.code).toBe(2);
    expect(strict.err).toContain('--strict: the columns do not match the rules');
    const nothing = await cli('export', 'records', '--store', join(dir, 'strict'));
    expect(nothing.out.trim().split('\n')).toHaveLength(1);
  });

  it('a failure mid-read keeps the committed batches and remembers no watermark; the next run reads them again', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    // 6,000 rows: the first fetch (5,000) is committed in batches before the row that fails is reached.
    await db.query('DROP VIEW IF EXISTS crm_flaky; DROP TABLE IF EXISTS crm_many');
    await db.query(
      `CREATE TABLE crm_many AS SELECT 'c' || i AS customer_id, '2024-01-01T00:00:00Z'::timestamptz + i * interval '1 minute' AS updated_at,
         'person' || i || '@mailbox.co' AS email, i FROM generate_series(1, 6000) i`,
    );
    await db.query(`CREATE VIEW crm_flaky AS SELECT customer_id, updated_at, email, 1 / (5500 - i) AS n FROM crm_many`);
    const failed = await ingest(store, '--from', url, '--table', 'crm_flaky', '--batch-size', '1000');
    expect(failed.code).toBe(2);
    expect(failed.err).toMatch(/could not read a value of table crm_flaky \(SQLSTATE 22012/);
    expect(
      failed.err
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('idgraph:')),
    ).toHaveLength(1);
    expect(failed.err).not.toContain('    at ');
    expect((await readSourceStates(store)).has('crm')).toBe(false);
    const kept = await cli('export', 'records', '--store', store);
    expect(kept.out.trim().split('\n')).toHaveLength(1 + 5000);

    await db.query(`CREATE OR REPLACE VIEW crm_flaky AS SELECT customer_id, updated_at, email, 1 AS n FROM crm_many`);
    const again = await ingest(store, '--from', url, '--table', 'crm_flaky', '--batch-size', '1000');
    expect(again.code).toBe(0);
    expect(again.summary).toMatchObject({ rows: 6000, accepted: 6000, unchanged: 5000 });
    expect((await readSourceStates(store)).get('crm')?.watermark).toBe('2024-01-05 04:00:00+00');
  });
});

describe('ingest --from: what cannot be read is one line, an exit code, and no password', () => {
  const refused = async (args: string[]) => {
    const dir = await tempDir();
    const run = await cli('ingest', '--rules', RULES, '--store', join(dir, 'store'), '--source', 'crm', ...args);
    expect(run.err).not.toContain(PASSWORD);
    expect(run.err).not.toContain('    at ');
    // One error line, the last (column warnings may come before it).
    const errors = run.err
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('idgraph:'));
    expect(errors).toHaveLength(1);
    expect(run.err.trim().endsWith(errors[0] as string)).toBe(true);
    return run;
  };

  it('a server that refuses the connection', async () => {
    const port = await freePort();
    const run = await refused([
      '--from',
      `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
      '--table',
      't',
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      `idgraph: cannot connect to PostgreSQL at postgresql://postgres:***@127.0.0.1:${port}/postgres: connection refused (is the server running?) [SOURCE_UNREACHABLE]\n`,
    );
  });

  it('an unknown table, database or column', async () => {
    await customerTable('crm_known', customers);
    const table = await refused(['--from', url, '--table', 'no_such_table']);
    expect(table.code).toBe(2);
    expect(table.err).toMatch(/has no table no_such_table \[SOURCE_NOT_FOUND\]/);
    const database = await refused(['--from', url.replace(/\/postgres$/, '/nowhere'), '--table', 'crm_known']);
    expect(database.code).toBe(2);
    expect(database.err).toMatch(/has no such database \[SOURCE_NOT_FOUND\]/);
    const column = await refused(['--from', url, '--table', 'crm_known', '--since-column', 'changed']);
    expect(column.code).toBe(2);
    expect(column.err).toContain('table crm_known has no column "changed"');
  });

  it('a user that may not log in, or may not read the table', async () => {
    await customerTable('crm_private', customers);
    await db.query('DROP ROLE IF EXISTS idgraph_nologin; CREATE ROLE idgraph_nologin NOLOGIN');
    await db.query('DROP ROLE IF EXISTS idgraph_reader; CREATE ROLE idgraph_reader LOGIN');
    const as = (user: string) => server.url.replace('postgres@', `${user}:${PASSWORD}@`);
    const login = await refused(['--from', as('idgraph_nologin'), '--table', 'crm_private']);
    expect(login.code).toBe(2);
    expect(login.err).toMatch(/refused the credentials .*\[SOURCE_AUTH\]/);
    const read = await refused(['--from', as('idgraph_reader'), '--table', 'crm_private']);
    expect(read.code).toBe(2);
    expect(read.err).toMatch(/the user may not read table crm_private \(42501\) \[SOURCE_AUTH\]/);
  });

  it('SQL that PostgreSQL refuses, and a value it cannot read (not quoted: it may be personal data)', async () => {
    await customerTable('crm_sql', customers);
    const syntax = await refused(['--from', url, '--query', 'SELEC customer_id FROM crm_sql']);
    expect(syntax.code).toBe(2);
    expect(syntax.err).toMatch(/refused the query: syntax error .*\(42601\) \[SOURCE_QUERY_FAILED\]/);
    const value = await refused([
      '--from',
      url,
      '--query',
      'SELECT customer_id, updated_at, email::int AS n FROM crm_sql',
    ]);
    expect(value.code).toBe(2);
    expect(value.err).toContain('SQLSTATE 22P02');
    for (const { email } of customers) expect(value.err).not.toContain(email);
  });

  it('a URL idgraph does not read, and options that do not go together', async () => {
    const mysql = await refused(['--from', `mysql://root:${PASSWORD}@db/shop`, '--table', 't']);
    expect(mysql.code).toBe(2);
    expect(mysql.err).toContain('[SOURCE_URL_INVALID]');
    const neither = await refused(['--from', url]);
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('--from needs --table NAME or --query SQL');
    const both = await refused(['--from', url, '--table', 't', 'crm.ndjson']);
    expect(both.code).toBe(2);
    const loose = await refused(['--table', 't', 'crm.ndjson']);
    expect(loose.err).toContain('--table goes with --from URL');
  });
});
