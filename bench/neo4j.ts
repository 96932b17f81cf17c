/**
 * Neo4j benchmarks on a real local server (the launcher, as tests use it, with a benchmark-sized
 * heap):
 * - lookups (BENCH_ONLY=neo4j; BENCH_NEO4J_RECORDS, default 1,000,000): N synthetic records
 *   first-loaded through the offline importer, then the API serving lookups by email under
 *   autocannon (a Zipf spread of known emails, read cache off then on);
 * - one-record ingest calls (BENCH_ONLY=ingest-api-neo4j) on a store bulk-loaded through Bolt.
 * NEO4J_URI points at another server instead (the graph there must be empty; everything is then
 * loaded through Bolt).
 */
import { Neo4jStore } from '../src/store/neo4j/neo4j-store.js';
import { startNeo4j } from '../test/support/neo4j-server.js';
import { type BenchStore, benchApiLookups } from './api-load.js';
import { benchIngestApi } from './ingest-api.js';
import { importedGraph } from './neo4j-import.js';

async function onNeo4j(run: (target: BenchStore) => Promise<void>): Promise<void> {
  const server = await startNeo4j({ heap: '4g', pageCacheMb: 4096 });
  try {
    await run({
      label: 'Neo4j store',
      open: () =>
        Neo4jStore.open({
          uri: server.uri,
          user: process.env.NEO4J_USER,
          password: process.env.NEO4J_PASSWORD,
          database: process.env.NEO4J_DATABASE ?? 'neo4j',
        }),
    });
  } finally {
    await server.stop();
  }
}

/**
 * Lookups by email drawn from a Zipf distribution over BENCH_LOOKUP_DISTINCT (default 100,000) known
 * emails, exponent BENCH_LOOKUP_ZIPF (default 1), with the read cache off and then on, each run
 * after BENCH_LOOKUP_WARMUP seconds (default 10) of the same load.
 */
export async function benchNeo4j(records: number, seconds: number): Promise<void> {
  const spread = {
    distinct: Number(process.env.BENCH_LOOKUP_DISTINCT ?? 100_000),
    exponent: Number(process.env.BENCH_LOOKUP_ZIPF ?? 1),
    warmUp: Number(process.env.BENCH_LOOKUP_WARMUP ?? 10),
  };
  if (process.env.NEO4J_URI) return onNeo4j((target) => benchApiLookups(records, seconds, target, spread));
  // The graph is first-loaded as the README recommends for a first load (through the offline
  // importer: minutes faster than through Bolt, whose figure BENCH_NEO4J_IMPORT_BOLT=1 prints).
  const graph = await importedGraph(records);
  try {
    await benchApiLookups(
      records,
      seconds,
      {
        label: 'Neo4j store',
        preloaded: true,
        open: () => Neo4jStore.open({ uri: graph.uri, database: 'neo4j' }),
      },
      spread,
    );
  } finally {
    await graph.stop();
  }
}

export function benchIngestApiNeo4j(records: number, seconds: number, connections: number): Promise<void> {
  return onNeo4j((target) => benchIngestApi(records, seconds, connections, target));
}
