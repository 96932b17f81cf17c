/**
 * Real-time API ingest benchmark: a store bulk-loaded with N synthetic records
 * (BENCH_INGEST_API_RECORDS), the API served in this process, and autocannon in a child process with
 * 64 connections (BENCH_INGEST_API_CONNECTIONS) each POSTing one new record per request to
 * /v1/sources/crm/records. Each call is answered once its commit is durable, so records/s and the
 * commits written show how many calls share a commit. The service's CPU a record is printed, and the
 * main thread's share of a core: near 1, that one thread is the bound. The figures are of the
 * measured run, after the load generator's warm-up of the same load (whose latencies are printed too):
 * the first seconds of HTTP load compile the request path, and are no service's steady state.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/engine/engine.js';
import { buildApp } from '../src/http/app.js';
import { type BenchStore, EMBEDDED } from './api-load.js';
import { overviewAfterStart } from './console-timings.js';
import { preloadSynthetic } from './preload.js';
import { cpuSecondsOf, loadDefaultRules, report, serviceLog } from './support.js';

const WRITE_KEY = 'bench-write-key-0123456789';
const REPORT_KEY = 'bench-report-key-0123456789';

export async function benchIngestApi(
  records: number,
  seconds: number,
  connections: number,
  target: BenchStore = EMBEDDED,
): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-ingest-api-bench-'));
  try {
    const store = await target.open(join(folder, 'store'));
    const engine = new Engine(store, loadDefaultRules());
    const { emails, seconds: loadSeconds } = await preloadSynthetic(engine, records, 20_000);
    // The first read builds the in-memory indexes after a bulk load, as a running service has.
    await store.getRecords([]);
    report(`${records} records bulk-loaded into the ${target.label} in ${loadSeconds.toFixed(1)} s`);

    const app = await buildApp({
      engine,
      audiences: store,
      keys: [
        { key: WRITE_KEY, scope: 'write' },
        { key: REPORT_KEY, scope: 'report' },
      ],
      rateLimitPerMinute: 100_000_000,
      log: serviceLog(folder),
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    // The service counts the overview's figures in the background from start-up: over before the clock.
    await overviewAfterStart(address, REPORT_KEY, `${records}-record ${target.label}`);
    // A service that has been running: the term counts counted, queries planned (Neo4j), code compiled.
    const warmStart = performance.now();
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: connections }, (_, n) =>
          engine.ingest('crm', [{ customer_id: `WARM-${round}-${n}`, email: emails[n], country: 'GB' }], 'api'),
        ),
      );
    }
    report(
      `  warm-up (${5 * connections} one-record calls) took ${((performance.now() - warmStart) / 1000).toFixed(1)} s`,
    );

    let commits = 0;
    let written = 0;
    // The queue stays busy under this load, so the time between one commit's end and the next one's
    // is a commit's time (its reads, resolution and write): a call waits for at most two of them.
    const commitGaps: number[] = [];
    let lastCommitAt: number | undefined;
    // Counted from the measured run's start: the client's HTTP warm-up runs first.
    let measuring = false;
    engine.onCommit((commit) => {
      if (!measuring) return;
      commits++;
      written += commit.records;
      const now = performance.now();
      if (lastCommitAt !== undefined) commitGaps.push(now - lastCommitAt);
      lastCommitAt = now;
    });
    const child = fork(
      new URL('./ingest-api-client.mjs', import.meta.url),
      [address, WRITE_KEY, String(seconds), String(connections)],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    child.send(emails);
    const [started] = (await once(child, 'message')) as [{ started: true }];
    if (!started.started) throw new Error('the load generator did not start its measured run');
    measuring = true;
    const phasesBefore = { ...engine.timings.ms };
    // CPU of this process (the service, every thread of it), apart from the load generator's.
    const cpuBefore = process.cpuUsage();
    // The main thread's own CPU: every request and commit passes through it, so near a whole core it
    // is what bounds records/s (rather than the disk or the other cores).
    const mainBefore = cpuSecondsOf(`/proc/self/task/${process.pid}`).own;
    const [result] = (await once(child, 'message')) as [
      {
        ok: number;
        seconds: number;
        p50: number;
        p99: number;
        errors: number;
        non2xx: number;
        warmUp: { seconds: number; p50: number; p99: number };
      },
    ];
    const cpu = process.cpuUsage(cpuBefore);
    const main = cpuSecondsOf(`/proc/self/task/${process.pid}`).own - mainBefore;
    report(
      `one-record API ingest on a ${records}-record ${target.label}, ${connections} connections, ` +
        `after ${result.warmUp.seconds} s of the same load (p50 ${result.warmUp.p50} ms, p99 ${result.warmUp.p99} ms): ` +
        `${Math.round(result.ok / result.seconds)} records/s, p50 ${result.p50} ms, p99 ${result.p99} ms ` +
        `(${result.ok} calls answered 200, ${result.errors} errors, ${result.non2xx} non-2xx; ` +
        `${commits} commits wrote ${written} records, ${(written / Math.max(commits, 1)).toFixed(1)} a commit); ` +
        `service CPU ${Math.round((cpu.user + cpu.system) / Math.max(result.ok, 1))} µs a record ` +
        `(${((cpu.user + cpu.system) / 1e6 / result.seconds).toFixed(2)} cores), of it the main thread ` +
        `${Math.round((main * 1e6) / Math.max(result.ok, 1))} µs a record (${(main / result.seconds).toFixed(2)} of a core), load average ${(loadavg()[0] as number).toFixed(1)}`,
    );
    const phases = (['normalize', 'match', 'write'] as const)
      .map((phase) => `${phase} ${((engine.timings.ms[phase] - phasesBefore[phase]) / 1000).toFixed(1)} s`)
      .join(', ');
    report(`  time in the engine: ${phases}; ${describeGaps(commitGaps)}`);
    await app.close();
    await store.close();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** `from one commit to the next: median 38 ms, p99 91 ms, slowest 140 ms`. */
function describeGaps(gaps: number[]): string {
  if (gaps.length === 0) return 'no commits';
  const sorted = [...gaps].sort((a, b) => a - b);
  const at = (share: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] as number).toFixed(0);
  return `from one commit to the next: median ${at(0.5)} ms, p99 ${at(0.99)} ms, slowest ${at(1)} ms`;
}
