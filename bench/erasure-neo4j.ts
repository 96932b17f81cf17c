/**
 * Erasures on a loaded Neo4j graph (part of BENCH_ONLY=neo4j-import, on its 1M graph), timed by
 * erasures.ts: their time is what grows if finding the events to redact reads the whole history
 * rather than the erased people's own.
 *
 * For scale, the read the graph walk replaced (every event's body searched for one record) is timed
 * once beside it; nothing uses that read any more.
 */
import neo4j from 'neo4j-driver';
import { Engine } from '../src/engine/engine.js';
import { Neo4jStore } from '../src/store/neo4j/neo4j-store.js';
import { describeErasures, timeErasures } from './erasures.js';
import { loadDefaultRules, report } from './support.js';

/** Erasures timed after the first (the first also reads what the engine needs to start). */
const TIMED = 20;

export async function benchErasuresNeo4j(uri: string, loaded: number): Promise<void> {
  const profiles = await someLiveProfiles(uri, TIMED + 1);
  const store = await Neo4jStore.open({ uri, database: 'neo4j' });
  try {
    const times = await timeErasures(new Engine(store, loadDefaultRules()), profiles);
    const scan = await scanForOneRecord(uri);
    report(
      `erasure of a whole profile on the ${loaded}-record Neo4j graph, one commit each: ${describeErasures(times)}. ` +
        `Reading every event for one record, as erasures did before the walk: ${ms(scan.ms)} ms over ` +
        `${scan.events} events (${scan.found} found)`,
    );
  } finally {
    await store.close();
  }
}

/** Profiles still in force, spread over the graph (their IDs are hashes, so their order is not the load's). */
async function someLiveProfiles(uri: string, count: number): Promise<string[]> {
  const driver = neo4j.driver(uri);
  try {
    const { records } = await driver.executeQuery(
      'MATCH (p:Profile) WHERE NOT p.retired RETURN p.id AS id ORDER BY id LIMIT $count',
      { count: neo4j.int(count) },
      { database: 'neo4j' },
    );
    return records.map((record) => record.get('id') as string);
  } finally {
    await driver.close();
  }
}

/** The scan erasures used until the walk: every event's body searched for one record's reference. */
async function scanForOneRecord(uri: string): Promise<{ ms: number; events: number; found: number }> {
  const driver = neo4j.driver(uri);
  try {
    const { records } = await driver.executeQuery(
      'MATCH (r:Record) RETURN r.ref AS ref LIMIT 1',
      {},
      { database: 'neo4j' },
    );
    const quoted = JSON.stringify(records[0]?.get('ref') as string);
    const started = performance.now();
    const scanned = await driver.executeQuery(
      'MATCH (e:Event) WHERE e.data CONTAINS $quoted RETURN count(e) AS found',
      { quoted },
      { database: 'neo4j' },
    );
    const took = performance.now() - started;
    const all = await driver.executeQuery('MATCH (e:Event) RETURN count(e) AS events', {}, { database: 'neo4j' });
    return {
      ms: took,
      events: Number(all.records[0]?.get('events')),
      found: Number(scanned.records[0]?.get('found')),
    };
  } finally {
    await driver.close();
  }
}

const ms = (value: number | undefined) => (value ?? 0).toFixed(0);
