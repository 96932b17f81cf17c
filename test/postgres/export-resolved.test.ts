/**
 * `idgraph export resolved` into a real PostgreSQL: tables of that PostgreSQL ingested with
 * `ingest --from` and written back, every row of them found in P_resolved with its profile; the
 * tables follow merges, chains of merges and an erasure run after run, rewriting only what changed;
 * and what cannot be done (a bad URL, a refused connection, a table of another shape, a run already
 * under way) is one line with an exit code, the password never shown.
 */
import { readFile, writeFile } from 'node:fs/promises';
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
  it("writes every row of tables ingested from PostgreSQL to P_resolved with its profile, and the README's queries answer", async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    expect((await cli('synth', '--out', join(dir, 'data'), '--people', '200', '--seed', '11')).code).toBe(0);
    const url = await database('synthetic');
    const tables = await postgresReader(url);
    try {
      // The shop's own tables, one per source, every column as text: what `ingest --from` reads.
      const orders: { order_id: string; ordered_at: string }[] = [];
      for (const source of Object.keys(KEYS)) {
        const rows = (await readFile(join(dir, 'data', `${source}.ndjson`), 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, string>);
        if (source === 'orders') orders.push(...(rows as unknown as typeof orders));
        const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
        await tables.query(`CREATE TABLE shop_${source} (${columns.map((column) => `${column} text`).join(', ')})`);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const placeholders = columns.map((_, n) => `$${n + 1}`).join(', ');
          for (const row of rows) {
            await client.query(
              `INSERT INTO shop_${source} (${columns.join(', ')}) VALUES (${placeholders})`,
              columns.map((column) => row[column] ?? null),
            );
          }
        } finally {
          await client.end();
        }
        const args = ['--store', store, '--source', source, '--from', url, '--table', `shop_${source}`];
        const run = await cli('ingest', '--rules', RULES, ...args);
        expect(run.code, run.err).toBe(0);
      }

      const exported = await cli('export', 'resolved', '--store', store, '--to', url, '--prefix', 'idgraph');
      expect(exported.err).toBe('');
      expect(exported.code).toBe(0);
      expect(exported.out).toMatch(
        /^run 1 to PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:\d+\/synthetic \(idgraph_\*\): full/,
      );

      // Every row of every table is in P_resolved, under the profile the store gives its record.
      const profileOf = await profilesOfRecords(store);
      let inputRows = 0;
      for (const [source, key] of Object.entries(KEYS)) {
        const rows = await tables.query(
          `SELECT t.${key} AS record_id, r.profile_id FROM shop_${source} t
           LEFT JOIN idgraph_resolved r ON r.source = '${source}' AND r.record_id = t.${key}`,
        );
        for (const row of rows) {
          const ref = `${source}:${row.record_id}`;
          expect(row.profile_id, ref).toBe(profileOf.get(ref));
          expect(row.profile_id, ref).toMatch(/^p_/);
        }
        inputRows += rows.length;
      }
      expect(inputRows).toBeGreaterThan(500);
      const resolved = await tables.query('SELECT source, record_id, profile_id FROM idgraph_resolved');
      expect(resolved.length).toBe(inputRows);
      const inTable = new Map(resolved.map((row) => [`${row.source}:${row.record_id}`, row.profile_id as string]));
      await expectTablesMatchStore(tables, store, 'idgraph');
      // The full run built its indexes after loading: all there, the keys unique.
      const indexes = await tables.query(
        "SELECT indexname, indexdef LIKE 'CREATE UNIQUE%' AS is_unique FROM pg_indexes WHERE tablename LIKE 'idgraph_%' ORDER BY indexname",
      );
      expect(indexes).toEqual(
        [
          ['idgraph_export_state_key', true],
          ['idgraph_identifiers_profile', false],
          ['idgraph_identifiers_value', false],
          ['idgraph_profiles_key', true],
          ['idgraph_redirects_key', true],
          ['idgraph_redirects_profile', false],
          ['idgraph_resolved_key', true],
          ['idgraph_resolved_profile', false],
        ].map(([indexname, is_unique]) => ({ indexname, is_unique })),
      );

      // The README's queries, as written, on an orders table of the shop's own and a kept list of IDs.
      await tables.query('CREATE TABLE orders (order_id text PRIMARY KEY, ordered_at timestamptz)');
      for (const order of orders) {
        await tables.query(`INSERT INTO orders VALUES ('${order.order_id}', '${order.ordered_at}')`);
      }
      const merged = await tables.query('SELECT old_profile_id, profile_id FROM idgraph_redirects');
      expect(merged.length).toBeGreaterThan(0);
      const live = resolved[0]?.profile_id as string;
      await tables.query('CREATE TABLE campaign_list (profile_id text)');
      for (const id of [live, ...merged.map((row) => row.old_profile_id as string)]) {
        await tables.query(`INSERT INTO campaign_list VALUES ('${id}')`);
      }
      const [withCustomer, perPerson, kept] = await readmeQueries(tables);
      expect(withCustomer?.length).toBe(orders.length);
      for (const row of withCustomer ?? []) expect(row.profile_id).toBe(inTable.get(`orders:${row.order_id}`));
      const ordersOf = new Map<string, number>();
      for (const order of orders) {
        const id = inTable.get(`orders:${order.order_id}`) as string;
        ordersOf.set(id, (ordersOf.get(id) ?? 0) + 1);
      }
      expect(perPerson?.length).toBe(Math.min(20, ordersOf.size));
      for (const row of perPerson ?? []) expect(Number(row.orders)).toBe(ordersOf.get(row.profile_id as string));
      expect(Number(perPerson?.[0]?.orders)).toBe(Math.max(...ordersOf.values()));
      const leadsTo = new Map(merged.map((row) => [row.old_profile_id, row.profile_id]));
      expect(kept?.length).toBe(merged.length + 1);
      for (const row of kept ?? []) expect(row.profile_id).toBe(leadsTo.get(row.kept_id) ?? live);
    } finally {
      await tables.close();
    }
  }, 120_000);

  it('writes into the schema the URL names', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await writeFile(join(dir, 'crm.ndjson'), '{"customer_id":"c1","email":"ann@x.co"}\n');
    expect(
      (await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', join(dir, 'crm.ndjson'))).code,
    ).toBe(0);
    const url = await database('schemas');
    const tables = await postgresReader(url);
    try {
      await tables.query('CREATE SCHEMA analytics');
      const run = await cli(
        'export',
        'resolved',
        '--store',
        store,
        '--to',
        `${url}?options=-csearch_path%3Danalytics`,
        '--prefix',
        'idgraph',
      );
      expect(run.code, run.err).toBe(0);
      const placed = await tables.query(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_name LIKE 'idgraph%' ORDER BY table_name",
      );
      expect(placed).toEqual(
        [
          'idgraph_export_state',
          'idgraph_identifiers',
          'idgraph_profiles',
          'idgraph_redirects',
          'idgraph_resolved',
        ].map((table_name) => ({ table_schema: 'analytics', table_name })),
      );
    } finally {
      await tables.close();
    }
  });

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
    await writeFile(rows, '{"customer_id":"c1","email":"ann@x.co"}\n');
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

    const tls = await exportTo(`${url.replace('postgres@', 'postgres:s3cret@')}?sslmode=require`);
    expect(tls.code).toBe(1);
    oneLine(tls);
    expect(tls.err).toContain('does not support SSL connections [DESTINATION_UNREACHABLE]');

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

      // A table the rows cannot go into (a column of its own that must be filled): the server refuses
      // the COPY under way, the run is rolled back, and the message quotes no row (its detail would).
      await tables.query(
        'CREATE TABLE strict_identifiers (profile_id text, type text, value text, records integer, ' +
          'first_seen timestamptz, last_seen timestamptz, updated_at timestamptz, owner text NOT NULL)',
      );
      const refusedRows = await exportTo(url, 'strict');
      expect(refusedRows.code).toBe(1);
      oneLine(refusedRows);
      expect(refusedRows.err).toContain('violates not-null constraint (SQLSTATE 23502) [DESTINATION_FAILED]');
      expect(refusedRows.err).not.toContain('ann@x.co');
      const strict = await tables.query(
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'strict%' ORDER BY table_name",
      );
      expect(strict.map((row) => row.table_name)).toEqual(['strict_identifiers']);

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

/** The statements of the README's `sql` block after "Then, in the warehouse", each run as written. */
async function readmeQueries(tables: TablesReader): Promise<Record<string, unknown>[][]> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const after = readme.slice(readme.indexOf('Then, in the warehouse'));
  const block = after.slice(
    after.indexOf('```sql\n') + '```sql\n'.length,
    after.indexOf('\n```', after.indexOf('```sql')),
  );
  const statements = block
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
  expect(statements).toHaveLength(3);
  const answers = [];
  for (const statement of statements) answers.push(await tables.query(statement));
  return answers;
}
