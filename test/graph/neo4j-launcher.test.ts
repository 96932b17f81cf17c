/** The local Neo4j launcher gives a real server: Bolt answers, constraints hold, writes are read back. */
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Neo4jServer, startNeo4j } from '../support/neo4j-server.js';

let server: Neo4jServer;
let driver: Driver;
const database = 'neo4j';

beforeAll(async () => {
  server = await startNeo4j();
  // The local server runs without authentication on loopback; NEO4J_USER/NEO4J_PASSWORD are for others.
  driver = process.env.NEO4J_USER
    ? neo4j.driver(server.uri, neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? ''))
    : neo4j.driver(server.uri);
}, 300_000);

afterAll(async () => {
  await driver?.close();
  await server?.stop();
}, 60_000);

describe('local Neo4j server', () => {
  it('answers Cypher over Bolt', async () => {
    const result = await driver.executeQuery('RETURN 1 + 1 AS two', {}, { database });
    expect(result.records[0]?.get('two').toNumber()).toBe(2);
  });

  it('enforces a uniqueness constraint and reads back a parameterized write', async () => {
    await driver.executeQuery(
      'CREATE CONSTRAINT launcher_probe_id IF NOT EXISTS FOR (n:LauncherProbe) REQUIRE n.id IS UNIQUE',
      {},
      { database },
    );
    const session = driver.session({ database });
    try {
      await session.executeWrite((tx) =>
        tx.run('CREATE (:LauncherProbe {id: $id, value: $value})', { id: 'p1', value: 'x' }),
      );
      const value = await session.executeRead(async (tx) => {
        const result = await tx.run('MATCH (n:LauncherProbe {id: $id}) RETURN n.value AS value', { id: 'p1' });
        return result.records[0]?.get('value');
      });
      expect(value).toBe('x');
      await expect(
        session.executeWrite((tx) => tx.run('CREATE (:LauncherProbe {id: $id})', { id: 'p1' })),
      ).rejects.toMatchObject({ code: 'Neo.ClientError.Schema.ConstraintValidationFailed' });
    } finally {
      await session.close();
    }
  });
});
