/**
 * Neo4j benchmarks: a real local server (the launcher, as tests use it, with a benchmark-sized heap),
 * N synthetic records bulk-loaded into it through the Neo4j store, then the API serving lookups by
 * email from it under autocannon (a Zipf spread of known emails, read cache off then on) (BENCH_NEO4J_RECORDS, default 1,000,000), or taking one-record
 * ingest calls (BENCH_ONLY=ingest-api-neo4j). NEO4J_URI points at another server instead (the
 * graph there must be empty).
 */
import { Neo4jStore } from '../src/store/neo4j/neo4j-store.js';
import { startNeo4j } from '../test/support/neo4j-server.js';
import { type BenchStore, benchApiLookups } from './api-load.js';
import { benchIngestApi } from './ingest-api.js';

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
export function benchNeo4j(records: number, seconds: number): Promise<void> {
  const spread = {
    distinct: Number(process.env.BENCH_LOOKUP_DISTINCT ?? 100_000),
    exponent: Number(process.env.BENCH_LOOKUP_ZIPF ?? 1),
    warmUp: Number(process.env.BENCH_LOOKUP_WARMUP ?? 10),
  };
  return onNeo4j((target) => benchApiLookups(records, seconds, target, spread));
}

export function benchIngestApiNeo4j(records: number, seconds: number, connections: number): Promise<void> {
  return onNeo4j((target) => benchIngestApi(records, seconds, connections, target));
}
