/**
 * Where a Neo4j commit's time goes (BENCH_ONLY=commit-neo4j; BENCH_INGEST_API_RECORDS, default
 * 100,000, bulk-loaded through Bolt first): 64 callers (BENCH_INGEST_API_CONNECTIONS) each ingest
 * one new record at a time straight through the engine, no HTTP, as group commit gathers them, for
 * BENCH_API_SECONDS after 5 s of warm-up. Prints records/s, records a commit, and per commit each
 * read statement's count and mean time and the write transaction's, from the store's statement
 * observer, with the server's and this process's CPU seconds.
 */
import { loadavg } from 'node:os';
import { Engine } from '../src/engine/engine.js';
import type { StatementTiming } from '../src/store/neo4j/connection.js';
import { Neo4jStore } from '../src/store/neo4j/neo4j-store.js';
import { startNeo4j } from '../test/support/neo4j-server.js';
import { preloadSynthetic } from './preload.js';
import { cpuSecondsOf, loadDefaultRules, procOf, report } from './support.js';

export async function benchCommitNeo4j(records: number, seconds: number, callers: number): Promise<void> {
  const server = await startNeo4j({ heap: '4g', pageCacheMb: 4096, own: true });
  const timings: StatementTiming[] = [];
  let measuring = false;
  try {
    const store = await Neo4jStore.open({
      uri: server.uri,
      database: 'neo4j',
      onStatement: (timing) => {
        if (measuring) timings.push(timing);
      },
    });
    const engine = new Engine(store, loadDefaultRules());
    const { emails } = await preloadSynthetic(engine, records, 20_000);
    let sequence = 0;
    const record = () => {
      const n = sequence++;
      return {
        customer_id: `BENCH-COMMIT-${n}`,
        email: n % 2 === 0 ? emails[(n / 2) % emails.length] : `bench-commit-${n}@bench.example`,
        first_name: 'Sam',
        last_name: `Bench${n % 997}`,
        country: 'GB',
      };
    };
    let commits = 0;
    let written = 0;
    engine.onCommit((commit) => {
      commits++;
      written += commit.records;
    });
    const drive = async (forSeconds: number) => {
      const end = performance.now() + forSeconds * 1000;
      await Promise.all(
        Array.from({ length: callers }, async () => {
          while (performance.now() < end) await engine.ingest('crm', [record()], 'bench');
        }),
      );
    };
    await drive(5);
    commits = 0;
    written = 0;
    measuring = true;
    const serverCpu = cpuSecondsOf(procOf(server.pid)).own;
    const ownCpu = process.cpuUsage();
    const started = performance.now();
    await drive(seconds);
    const elapsed = (performance.now() - started) / 1000;
    measuring = false;
    const own = process.cpuUsage(ownCpu);
    report(
      `engine one-record ingest on a ${records}-record Neo4j store, ${callers} callers (no HTTP): ` +
        `${Math.round(written / elapsed)} records/s, ${commits} commits of ${(written / Math.max(commits, 1)).toFixed(1)} ` +
        `records, ${((elapsed * 1000) / Math.max(commits, 1)).toFixed(1)} ms a commit; CPU a commit: server ` +
        `${((1000 * (cpuSecondsOf(procOf(server.pid)).own - serverCpu)) / Math.max(commits, 1)).toFixed(1)} ms, idgraph ` +
        `${((own.user + own.system) / 1000 / Math.max(commits, 1)).toFixed(1)} ms; load average ${(loadavg()[0] as number).toFixed(1)}`,
    );
    const byName = new Map<string, { count: number; ms: number }>();
    for (const { name, ms } of timings) {
      const entry = byName.get(name) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += ms;
      byName.set(name, entry);
    }
    for (const [name, { count, ms }] of [...byName].sort((a, b) => b[1].ms - a[1].ms)) {
      report(`  ${name}: ${(count / Math.max(commits, 1)).toFixed(2)} a commit, mean ${(ms / count).toFixed(1)} ms`);
    }
    await store.close();
  } finally {
    await server.stop();
  }
}
