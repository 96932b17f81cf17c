/**
 * Segment tracking benchmark: `batch` calls of 100 events each (identify, track, page; five a
 * visitor, three of them with identifiers no record holds yet) posted by autocannon in a child
 * process to the API served in this process, on an embedded store first bulk-loaded with N
 * synthetic records (BENCH_SEGMENT_RECORDS) whose people half the visitors' emails name. Every event
 * is recorded and resolved before its call is answered, as the route does.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/engine/engine.js';
import { buildApp } from '../src/http/app.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { preloadSynthetic } from './preload.js';
import { loadDefaultRules, report, serviceLog } from './support.js';

const WRITE_KEY = 'bench-write-key-0001';

export async function benchSegment(records: number, seconds: number, connections: number): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-segment-bench-'));
  try {
    const store = await EmbeddedStore.open(join(folder, 'store'));
    const engine = new Engine(store, loadDefaultRules());
    const { emails } = await preloadSynthetic(engine, records, 40_000);
    // The bulk load leaves the in-memory indexes to the first read, which replays the log: done
    // here, as a service that has been running has done it, so the calls measure recording alone.
    const replayStart = performance.now();
    await store.getRecords([]);
    report(
      `${records} records bulk-loaded; the first read replayed them in ${((performance.now() - replayStart) / 1000).toFixed(1)} s`,
    );

    const app = await buildApp({
      engine,
      audiences: store,
      keys: [],
      segmentWriteKeys: [{ writeKey: WRITE_KEY, source: 'segment' }],
      rateLimitPerMinute: 100_000_000,
      log: serviceLog(folder),
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const before = await store.lastCommit();
    const phasesBefore = { ...engine.timings.ms };
    const child = fork(
      new URL('./segment-load-client.mjs', import.meta.url),
      [address, WRITE_KEY, String(seconds), String(connections)],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    child.send(emails);
    const [result] = (await once(child, 'message')) as [
      {
        requests: number;
        ok: number;
        seconds: number;
        p50: number;
        p99: number;
        errors: number;
        non2xx: number;
        eventsPerBatch: number;
      },
    ];
    const events = result.ok * result.eventsPerBatch;
    const commits = (await store.lastCommit()) - before;
    report(
      `Segment batch calls (${result.eventsPerBatch} events) on a ${records}-record embedded store, ${connections} connections: ` +
        `${Math.round(events / result.seconds)} events/s, p50 ${result.p50} ms, p99 ${result.p99} ms ` +
        `(${result.ok} calls, ${commits} commits, ${result.errors} errors, ${result.non2xx} non-2xx)`,
    );
    let added = 0;
    for await (const record of store.records()) if (record.source === 'segment') added++;
    report(`  ${added} records added by ${events} events (warm-up included in the records)`);
    const phases = (['normalize', 'match', 'write'] as const)
      .map((phase) => `${phase} ${((engine.timings.ms[phase] - phasesBefore[phase]) / 1000).toFixed(1)} s`)
      .join(', ');
    report(`  time in the engine, warm-up included: ${phases}`);
    await app.close();
    await store.close();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
