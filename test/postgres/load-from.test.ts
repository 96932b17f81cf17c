/**
 * `idgraph load SOURCE=postgresql://...#TABLE` against a real PostgreSQL: a first load of
 * synthetic data from tables gives the profiles the same rows give from NDJSON files, with and
 * without worker threads; the sources' watermarks are remembered once the load is written, so a
 * scheduled `ingest --from` then reads only newer rows; a pair without its table, or a server that
 * is not there, stops the load before anything is written.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSourceStates } from '../../src/store/embedded/source-states-file.js';
import { writeSyntheticFiles } from '../../src/synth/write-files.js';
import { cli } from '../support/capture-io.js';
import { freePort } from '../support/free-port.js';
import { type PostgresServer, startPostgres } from '../support/postgres-server.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const SOURCES = ['crm', 'web', 'app', 'orders'] as const;
/** The synthetic sources' columns (src/synth/write-files.ts): the timestamp typed, the rest text. */
const TABLES: Record<(typeof SOURCES)[number], string> = {
  crm: 'customer_id text, updated_at timestamptz, email text, phone text, first_name text, last_name text, postcode text, country text, dob text',
  web: 'session_id text, seen_at timestamptz, cookie_id text, email text',
  app: 'install_id text, seen_at timestamptz, idfa text, gaid text, email text, phone text, first_name text, country text',
  orders:
    'order_id text, ordered_at timestamptz, email text, phone text, first_name text, last_name text, postcode text, country text',
};

let server: PostgresServer;
let db: pg.Client;
let data: string;

beforeAll(async () => {
  server = await startPostgres();
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
  // Made here and removed in afterAll: the tests' own folders go after each test.
  data = await mkdtemp(join(tmpdir(), 'idgraph-load-from-'));
  await writeSyntheticFiles(data, { seed: 11, records: 3000 }, 'ndjson');
  // Each NDJSON line made a row of its source's table by PostgreSQL itself.
  for (const source of SOURCES) {
    await db.query(`CREATE TABLE ${source} (${TABLES[source]}); CREATE TEMP TABLE raw (j jsonb)`);
    const copy = db.query(copyFrom(`COPY raw FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`));
    await pipeline(createReadStream(join(data, `${source}.ndjson`)), copy);
    await db.query(
      `INSERT INTO ${source} SELECT r.* FROM raw, jsonb_populate_record(NULL::${source}, raw.j) AS r; DROP TABLE raw`,
    );
  }
}, 120_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
  if (data) await rm(data, { recursive: true, force: true });
});

const tablePairs = (url: string) => SOURCES.map((source) => `${source}=${url}#${source}`);
const filePairs = () => SOURCES.map((source) => `${source}=${join(data, `${source}.ndjson`)}`);

async function load(store: string, pairs: readonly string[], ...flags: string[]) {
  const run = await cli('load', '--rules', RULES, '--store', store, '--json', '--no-progress', ...flags, ...pairs);
  return { ...run, summary: run.out ? JSON.parse(run.out) : undefined };
}

describe('load SOURCE=postgresql://...#TABLE', () => {
  for (const workers of ['0', '2']) {
    it(`a first load from tables makes the profiles the NDJSON files make (${workers} workers)`, async () => {
      const dir = await tempDir();
      const fromTables = await load(join(dir, 'tables'), tablePairs(server.url), '--workers', workers);
      expect(fromTables.code).toBe(0);
      const fromFiles = await load(join(dir, 'files'), filePairs(), '--workers', workers);
      expect(fromFiles.code).toBe(0);
      expect(fromTables.summary).toMatchObject({ path: 'bulk', rows: 3000, accepted: 3000, rejected: 0 });
      expect(fromTables.summary.profilesCreated).toBe(fromFiles.summary.profilesCreated);
      expect(fromTables.summary.refusedValuesByReason).toEqual(fromFiles.summary.refusedValuesByReason);
      const a = await cli('export', 'records', '--store', join(dir, 'tables'));
      const b = await cli('export', 'records', '--store', join(dir, 'files'));
      expect(a.out.trim().split('\n')).toHaveLength(3001);
      expect(a.out).toBe(b.out);
    });
  }

  it('remembers each source’s watermark once written; a scheduled ingest --from then reads only newer rows', async () => {
    const store = join(await tempDir(), 'store');
    const loaded = await load(store, tablePairs(server.url));
    expect(loaded.code).toBe(0);
    const newest = await db.query<{ mark: string }>('SELECT max(ordered_at)::text AS mark FROM orders');
    expect(loaded.summary.watermarks).toContainEqual({
      source: 'orders',
      column: 'ordered_at',
      watermark: newest.rows[0]?.mark,
    });
    const states = await readSourceStates(store);
    expect([...states.keys()].sort()).toEqual(['app', 'crm', 'orders', 'web']);

    await db.query(
      `INSERT INTO orders (order_id, ordered_at, email, country) VALUES ('new-1', now(), 'fresh.buyer@mailbox.co', 'GB')`,
    );
    const scheduled = await cli(
      'ingest',
      '--store',
      store,
      '--source',
      'orders',
      '--from',
      server.url,
      '--table',
      'orders',
      '--json',
    );
    expect(scheduled.code).toBe(0);
    const summary = JSON.parse(scheduled.out);
    // The new order, and the rows at the old watermark (found unchanged).
    const atWatermark = await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE ordered_at = $1`, [
      newest.rows[0]?.mark,
    ]);
    expect(summary).toMatchObject({
      rows: 1 + Number(atWatermark.rows[0]?.n),
      unchanged: Number(atWatermark.rows[0]?.n),
    });
    expect(summary.accepted - summary.unchanged).toBe(1);
    await db.query(`DELETE FROM orders WHERE order_id = 'new-1'`);
  });

  it('refuses a pair without its table, and a server that is not there, before anything is written', async () => {
    const dir = await tempDir();
    const noTable = await load(join(dir, 'a'), [`crm=${server.url.replace('postgres@', 'postgres:pw-9x7@')}`]);
    expect(noTable.code).toBe(2);
    expect(noTable.err).toContain('names no table: add #TABLE');
    expect(noTable.err).not.toContain('pw-9x7');
    const port = await freePort();
    const away = await load(join(dir, 'b'), [
      ...filePairs(),
      `crm=postgresql://postgres@127.0.0.1:${port}/postgres#crm`,
    ]);
    expect(away.code).toBe(2);
    expect(away.err).toContain('connection refused');
    const nothing = await cli('export', 'records', '--store', join(dir, 'b'));
    expect(nothing.out.trim().split('\n')).toHaveLength(1);
  });
});
