/**
 * Neo4j failures a user meets, against a real server of this file's own (authentication on, so the
 * credentials path is real): wrong or missing credentials, a database without the constraints, and
 * an ingest cut off because the server died, which a second run finishes without duplicates.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { Neo4jStore } from '../../src/store/neo4j/neo4j-store.js';
import { cli } from '../support/capture-io.js';
import { cliInChild, ingestArgs } from '../support/cli-child.js';
import { engineOn, rulesFrom } from '../support/engine.js';
import { type Neo4jServer, startNeo4j } from '../support/neo4j-server.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const PASSWORD = 'launcher-secret-4711';
const WRONG = 'not-the-password-0815';

let server: Neo4jServer;
let data: string;
let port: number;
let driver: Driver;
const uri = () => `bolt://127.0.0.1:${port}`;
const saved = { user: process.env.NEO4J_USER, password: process.env.NEO4J_PASSWORD };

beforeAll(async () => {
  // Not a per-test temporary folder: the server's data outlives each test, and a restart reopens it.
  data = await mkdtemp(join(tmpdir(), 'idgraph-neo4j-kept-'));
  server = await startNeo4j({ own: true, password: PASSWORD, data });
  port = Number(new URL(server.uri.replace('bolt:', 'http:')).port);
  driver = neo4j.driver(uri(), neo4j.auth.basic('neo4j', PASSWORD));
  // The in-process CLI reads credentials from the environment, as a user's shell would give them.
  process.env.NEO4J_USER = 'neo4j';
  process.env.NEO4J_PASSWORD = PASSWORD;
}, 300_000);

afterAll(async () => {
  process.env.NEO4J_USER = saved.user;
  process.env.NEO4J_PASSWORD = saved.password;
  if (saved.user === undefined) delete process.env.NEO4J_USER;
  if (saved.password === undefined) delete process.env.NEO4J_PASSWORD;
  await driver?.close();
  await server?.stop();
  await rm(data, { recursive: true, force: true });
}, 60_000);

const count = async (query: string) =>
  Number((await driver.executeQuery(query, {}, { database: 'neo4j' })).records[0]?.get(0));

describe('Neo4j store failures', () => {
  it('says which credentials to set when they are missing or wrong, without echoing the password', async () => {
    const wrong = Neo4jStore.open({ uri: uri(), user: 'neo4j', password: WRONG });
    await expect(wrong).rejects.toMatchObject({
      name: 'StoreError',
      code: 'STORE_AUTH',
      message: expect.stringContaining('refused the password of user "neo4j": check NEO4J_PASSWORD'),
    });
    const message = await wrong.catch((error: Error) => error.message);
    expect(message).not.toContain(WRONG);

    await expect(Neo4jStore.open({ uri: uri() })).rejects.toMatchObject({
      code: 'STORE_AUTH',
      message: expect.stringContaining('requires authentication: set NEO4J_USER and NEO4J_PASSWORD'),
    });

    const store = await Neo4jStore.open({ uri: uri(), user: 'neo4j', password: PASSWORD });
    expect(await store.lastCommit()).toBe(0);
    await store.close();
  });

  it('refuses a database without the uniqueness constraints and names the command that adds them', async () => {
    await (await Neo4jStore.open({ uri: uri(), user: 'neo4j', password: PASSWORD })).close();
    await driver.executeQuery('DROP CONSTRAINT idgraph_identifier_key', {}, { database: 'neo4j' });

    // A store that may not change the schema (IDGRAPH_NEO4J_MIGRATE=false) only checks it.
    const unmanaged = { uri: uri(), user: 'neo4j', password: PASSWORD, migrate: false };
    await expect(Neo4jStore.open(unmanaged)).rejects.toMatchObject({
      code: 'STORE_SCHEMA',
      message: expect.stringMatching(/idgraph_identifier_key \(:Identifier\.key\).*idgraph graph migrate/),
    });

    const migrated = await cli('graph', 'migrate', '--store', uri());
    expect(migrated.code).toBe(0);
    const store = await Neo4jStore.open(unmanaged);
    await store.close();
    expect(await count("SHOW CONSTRAINTS YIELD name WHERE name = 'idgraph_identifier_key' RETURN count(*)")).toBe(1);
  });

  it('finishes an ingest the server crash cut off, without duplicates, as one uninterrupted run would', async () => {
    const dir = await tempDir();
    const synth = join(dir, 'demo');
    expect((await cli('synth', '--out', synth, '--people', '1000', '--seed', '5')).code).toBe(0);
    const ingest = (store: string) =>
      ingestArgs({
        store,
        source: 'crm',
        file: join(synth, 'crm.ndjson'),
        rejects: join(dir, `rejects-${Math.random()}.ndjson`),
        batchSize: 10,
      });
    await driver.executeQuery('MATCH (n) DETACH DELETE n', {}, { database: 'neo4j' });

    // An API instance on the same server: ready now, alive but not ready while the server is gone.
    const instanceStore = await Neo4jStore.open({ uri: uri(), user: 'neo4j', password: PASSWORD });
    const instance = await buildApp({
      engine: engineOn(instanceStore, rulesFrom()),
      keys: [],
      audiences: instanceStore,
    });
    const ready = async () => (await instance.inject({ method: 'GET', url: '/v1/ready' })).statusCode;
    expect(await ready()).toBe(200);

    const child = runInChild(ingest(uri()));
    // Cut the server off once a few commits have landed, while the ingest is still writing.
    while ((await count("OPTIONAL MATCH (m:Meta {id: 'meta'}) RETURN coalesce(m.lastCommit, 0)")) < 3) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await driver.close();
    await server.kill();
    const cut = await child;
    expect(cut.code).not.toBe(0);
    expect(cut.err).toContain('cannot reach Neo4j');
    expect(await ready()).toBe(503);
    expect((await instance.inject({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);

    server = await startNeo4j({ own: true, password: PASSWORD, data, port });
    driver = neo4j.driver(uri(), neo4j.auth.basic('neo4j', PASSWORD));
    // Back once the server is: the driver reconnects on its own.
    for (let tries = 0; (await ready()) !== 200 && tries < 30; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(await ready()).toBe(200);
    await instance.close();
    await instanceStore.close();
    const landed = await count('MATCH (r:Record) RETURN count(r)');
    const again = await runInChild(ingest(uri()));
    expect(again.code).toBe(0);

    const uninterrupted = join(dir, 'uninterrupted');
    expect((await cli(...ingest(uninterrupted))).code).toBe(0);
    const expected = await clusters(uninterrupted);
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(Object.values(expected).flat().length);
    expect(await clusters(uri())).toEqual(expected);
    expect(await count('MATCH (r:Record) RETURN count(r)')).toBe(Object.values(expected).flat().length);
    expect(await count('MATCH (i:Identifier) WITH i.key AS key, count(*) AS n WHERE n > 1 RETURN count(key)')).toBe(0);
  }, 240_000);
});

/** `source:id` lists per profile ID, from `idgraph export records`: the partition and its profile IDs. */
async function clusters(store: string): Promise<Record<string, string[]>> {
  const exported = await cli('export', 'records', '--store', store);
  expect(exported.code).toBe(0);
  const byProfile: Record<string, string[]> = {};
  for (const row of exported.out.trim().split('\n').slice(1)) {
    const [source, id, profile] = row.split(',') as [string, string, string];
    byProfile[profile] = [...(byProfile[profile] ?? []), `${source}:${id}`].sort();
  }
  return byProfile;
}

/** The CLI in a child process (so the test can crash the server under it), with the credentials. */
function runInChild(args: string[]): Promise<{ code: number; err: string }> {
  return cliInChild(args, { ...process.env, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: PASSWORD });
}
