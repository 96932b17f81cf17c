/**
 * `idgraph export resolved` into a real PostgreSQL: every input row of a synthetic data set is found
 * in P_resolved with its profile; the tables follow merges, chains of merges and an erasure run after
 * run, rewriting only what changed; and what cannot be done (a bad URL, a refused connection, a table
 * of another shape, a run already under way) is one line with an exit code, the password never shown.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import { freePort } from '../support/free-port.js';
import { type PostgresServer, startPostgres } from '../support/postgres-server.js';
import { expectTablesMatchStore, profilesOfRecords, resolvedTablesScenario } from '../support/resolved-scenario.js';
import { postgresReader, type TablesReader } from '../support/resolved-tables.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const KEYS: Record<string, string> = { crm: 'customer_id', web: 'session_id', app: 'install_id', orders: 'order_id' };

let server: PostgresServer;
let reader: TablesReader;

beforeAll(async () => {
  server = await startPostgres();
  reader = await postgresReader(server.url);
}, 90_000);

afterAll(async () => {
  await reader?.close();
  await server?.stop();
}, 60_000);

/** A database of its own for one test, and its URL. */
async function database(name: string): Promise<string> {
  await reader.query(`CREATE DATABASE ${name}`);
  return server.url.replace(/\/postgres$/, `/${name}`);
}

describe('export resolved to PostgreSQL', () => {
  it('writes every input row to P_resolved with its profile, and profiles and identifiers as the store has them', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    expect((await cli('synth', '--out', join(dir, 'data'), '--people', '200', '--seed', '11')).code).toBe(0);
    for (const source of Object.keys(KEYS)) {
      const run = await cli(
        'ingest',
        '--rules',
        RULES,
        '--store',
        store,
        '--source',
        source,
        join(dir, 'data', `${source}.ndjson`),
      );
      expect(run.code, run.err).toBe(0);
    }
    const url = await database('synthetic');
    const run = await cli('export', 'resolved', '--store', store, '--to', url, '--prefix', 'synth');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /^run 1 to PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:\d+\/synthetic \(synth_\*\): full/,
    );

    const tables = await postgresReader(url);
    try {
      const resolved = await tables.query('SELECT source, record_id, profile_id FROM synth_resolved');
      const inTable = new Map(resolved.map((row) => [`${row.source}:${row.record_id}`, row.profile_id]));
      const profileOf = await profilesOfRecords(store);
      let inputRows = 0;
      for (const [source, key] of Object.entries(KEYS)) {
        const lines = (await readFile(join(dir, 'data', `${source}.ndjson`), 'utf8')).trim().split('\n');
        for (const line of lines) {
          const ref = `${source}:${JSON.parse(line)[key]}`;
          expect(inTable.get(ref), ref).toBe(profileOf.get(ref));
          expect(inTable.get(ref), ref).toMatch(/^p_/);
          inputRows++;
        }
      }
      expect(inputRows).toBeGreaterThan(500);
      expect(resolved.length).toBe(inputRows);
      // The prefix's tables answer as the scenario's reader expects.
      await expectTablesMatchStore(
        { query: (sql) => tables.query(sql.replaceAll('idg_', 'synth_')), close: async () => undefined },
        store,
      );
      // The join a data engineer runs next (README): orders with their profile's golden attributes.
      const joined = await tables.query(
        `SELECT r.record_id AS order_id, p.profile_id, p.first_name, p.record_count
         FROM synth_resolved r JOIN synth_profiles p ON p.profile_id = r.profile_id
         WHERE r.source = 'orders'`,
      );
      expect(joined.length).toBe(resolved.filter((row) => row.source === 'orders').length);
      expect(joined.every((row) => Number(row.record_count) >= 1)).toBe(true);
    } finally {
      await tables.close();
    }
  }, 120_000);

  it('follows merges, a merge into an older profile and an erasure, rewriting only the profiles that changed', async () => {
    const url = await database('scenario');
    const tables = await postgresReader(url);
    try {
      await resolvedTablesScenario({ to: url, reader: tables }, await tempDir());
    } finally {
      await tables.close();
    }
  }, 120_000);

  it('refuses in one line, with an exit code and no password: a bad URL, a refused connection, another shape, a run under way', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const rows = join(dir, 'crm.ndjson');
    await import('node:fs/promises').then((fs) => fs.writeFile(rows, '{"customer_id":"c1","email":"ann@x.co"}\n'));
    expect((await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', rows)).code).toBe(0);
    const url = await database('refusals');
    const exportTo = (to: string, prefix = 'ok') =>
      cli('export', 'resolved', '--store', store, '--to', to, '--prefix', prefix);
    const oneLine = (run: { err: string; out: string }) => {
      expect(run.out).toBe('');
      expect(run.err.trim().split('\n')).toHaveLength(1);
      expect(run.err).not.toMatch(/\n\s+at /);
      expect(run.err).not.toContain('s3cret');
    };

    const scheme = await exportTo('mysql://u:s3cret@db/x');
    expect(scheme.code).toBe(2);
    oneLine(scheme);
    expect(scheme.err).toContain('unknown scheme "mysql:"');
    expect(scheme.err).toContain('mysql://u:***@db/x');

    const prefix = await exportTo(url, 'Bad-Prefix');
    expect(prefix.code).toBe(2);
    oneLine(prefix);
    expect(prefix.err).toContain('[DESTINATION_URL]');

    const closed = await freePort();
    const refused = await exportTo(`postgres://etl:s3cret@127.0.0.1:${closed}/warehouse`);
    expect(refused.code).toBe(1);
    oneLine(refused);
    expect(refused.err).toBe(
      `idgraph: cannot connect to PostgreSQL at postgres://etl:***@127.0.0.1:${closed}/warehouse: connection refused [DESTINATION_UNREACHABLE]\n`,
    );

    const missing = await exportTo(url.replace(/\/refusals$/, '/no_such_database'));
    expect(missing.code).toBe(1);
    oneLine(missing);
    expect(missing.err).toContain('"no_such_database" does not exist');

    // A table of the prefix's name that is not the export's: refused, and nothing of the run is left.
    const tables = await postgresReader(url);
    try {
      await tables.query('CREATE TABLE shop_resolved (source integer, record_id text)');
      const shape = await exportTo(url, 'shop');
      expect(shape.code).toBe(1);
      oneLine(shape);
      expect(shape.err).toContain('column shop_resolved.source is integer, the export writes text');
      expect(shape.err).toContain('[DESTINATION_SHAPE]');
      const left = await tables.query(
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'shop%' ORDER BY table_name",
      );
      expect(left.map((row) => row.table_name)).toEqual(['shop_resolved']);

      // Another run holds the prefix's lock: this one says so at once.
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query("SELECT pg_advisory_xact_lock(hashtext('idgraph export resolved busy'))");
        const busy = await exportTo(url, 'busy');
        expect(busy.code).toBe(1);
        oneLine(busy);
        expect(busy.err).toContain('another export to busy_* is running [DESTINATION_BUSY]');
        await holder.query('ROLLBACK');
      } finally {
        await holder.end();
      }
      // Once it is free, the same command works.
      expect((await exportTo(url, 'busy')).code).toBe(0);
      const written = await tables.query('SELECT count(*)::int AS n FROM busy_resolved');
      expect(written).toEqual([{ n: 1 }]);
    } finally {
      await tables.close();
    }
  }, 60_000);
});
