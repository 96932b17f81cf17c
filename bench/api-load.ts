/**
 * API lookup benchmark: a store bulk-loaded with N synthetic records (BENCH_API_RECORDS, default
 * 1,000,000), the API served in this process, and autocannon in a child process (so the load
 * generator is a separate client, as in production) sending POST /v1/lookup for known emails: by
 * default 5,000 in turn; with `spread`, a Zipf draw over that many distinct emails, run once with
 * the read cache off and once with it on (its hit rate read from /metrics), each after a warm-up.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/engine/engine.js';
import { buildApp } from '../src/http/app.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../src/store/graph-store.js';
import { benchConsolePages, overviewAfterStart } from './console-timings.js';
import { zipfLookupBodies } from './lookup-spread.js';
import { preloadSynthetic } from './preload.js';
import { loadDefaultRules, report, serviceLog } from './support.js';

const KEY = 'bench-read-key-0123456789';
/** The console's statistics need the report scope, its profile pages read: an admin key has both. */
const REPORT_KEY = 'bench-admin-key-0123456789';

/** The store under test: the embedded one by default, or another (Neo4j) with its label. */
export interface BenchStore {
  readonly label: string;
  open(folder: string): Promise<GraphStore>;
  /** The store holds the N synthetic records already (loaded another way, and reported there). */
  readonly preloaded?: boolean;
}

export const EMBEDDED: BenchStore = { label: 'embedded store', open: (folder) => EmbeddedStore.open(folder) };

/** Lookups drawn from a Zipf distribution over this many known emails, cache off then on. */
export interface LookupSpread {
  readonly distinct: number;
  readonly exponent: number;
  /** Seconds of the same load before each measured run. */
  readonly warmUp: number;
}

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** autocannon in a child process over these bodies for `seconds`. */
async function lookupLoad(address: string, bodies: readonly string[], seconds: number): Promise<LoadResult> {
  const child = fork(new URL('./api-load-client.mjs', import.meta.url), [address, KEY, String(seconds)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send(bodies);
  const [result] = (await once(child, 'message')) as [LoadResult];
  return result;
}

async function cacheCounts(address: string): Promise<{ hits: number; misses: number }> {
  const text = await (await fetch(`${address}/metrics`)).text();
  const value = (name: string) =>
    Number(/^(\S+) (\S+)$/m.exec(text.split('\n').find((line) => line.startsWith(`${name} `)) ?? '')?.[2] ?? 0);
  return { hits: value('idgraph_read_cache_hits_total'), misses: value('idgraph_read_cache_misses_total') };
}

export async function benchApiLookups(
  records: number,
  seconds: number,
  target: BenchStore = EMBEDDED,
  spread?: LookupSpread,
): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-api-bench-'));
  try {
    const store = await target.open(join(folder, 'store'));
    const engine = new Engine(store, loadDefaultRules());
    const {
      emails,
      loaded,
      seconds: loadSeconds,
    } = await preloadSynthetic(engine, records, spread ? spread.distinct : 5000, target.preloaded);
    if (!target.preloaded) {
      report(
        `bulk load of ${records} records into the ${target.label}: ${loadSeconds.toFixed(1)} s ` +
          `(${loaded?.profilesCreated ?? 0} profiles, ${loaded?.commits ?? 0} commits; normalizing not included)`,
      );
    }

    const makeApp = (entries?: number) =>
      buildApp({
        engine,
        audiences: store,
        keys: [
          { key: KEY, scope: 'read' },
          { key: REPORT_KEY, scope: 'admin' },
        ],
        rateLimitPerMinute: 100_000_000,
        log: serviceLog(folder),
        ...(entries === undefined ? {} : { readCache: { entries } }),
      });
    // After a bulk load the store builds its in-memory indexes at the first read (as `idgraph serve`
    // does when it opens a store): done here, before the clock, so the figure is of lookups alone.
    const catchUp = performance.now();
    await store.currentRules();
    report(`store ready for reads after the bulk load: ${((performance.now() - catchUp) / 1000).toFixed(1)} s`);
    const line = (result: LoadResult, what: string) =>
      `API lookups on a ${records}-record ${target.label}${what}: ${result.rps} requests/s, p50 ${result.p50} ms, ` +
      `p99 ${result.p99} ms (${result.requests} requests, ${result.errors} errors, ${result.non2xx} non-2xx)`;
    const bodies = spread
      ? zipfLookupBodies([...new Set(emails)], 500_000, spread.exponent)
      : emails.map((value) => JSON.stringify({ identifiers: [{ type: 'email', value }] }));
    const distinct = new Set(emails).size;
    // With a spread, each run starts after `warmUp` seconds of the same load, so the figures are of
    // a warm cache (and a warm page cache and JIT, cache off alike).
    const warm = async (address: string) => {
      if (spread && spread.warmUp > 0) await lookupLoad(address, bodies, spread.warmUp);
    };
    if (spread) {
      const uncached = await makeApp(0);
      const uncachedAddress = await uncached.listen({ port: 0, host: '127.0.0.1' });
      // The service counts the overview in the background from start-up (over a minute on a 1M Neo4j
      // graph): over before this run's clock too, or the lookups share the machine with it.
      await overviewAfterStart(uncachedAddress, REPORT_KEY, `${records}-record ${target.label}, read cache off`);
      await warm(uncachedAddress);
      const result = await lookupLoad(uncachedAddress, bodies, seconds);
      report(line(result, `, read cache off, Zipf(${spread.exponent}) over ${distinct} emails`));
      await uncached.close();
    }
    const app = await makeApp();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    // The service counts the overview's figures in the background from start-up: timed here, and
    // over before the lookups' clock starts.
    await overviewAfterStart(address, REPORT_KEY, `${records}-record ${target.label}`);
    await warm(address);
    const before = await cacheCounts(address);
    const result = await lookupLoad(address, bodies, seconds);
    const after = await cacheCounts(address);
    const hits = after.hits - before.hits;
    const reads = hits + after.misses - before.misses;
    const rate = reads === 0 ? 'no cached reads' : `read cache hit rate ${((100 * hits) / reads).toFixed(1)}%`;
    report(
      `${line(result, spread ? `, read cache on, Zipf(${spread.exponent}) over ${distinct} emails` : '')}; ${rate}`,
    );
    await benchConsolePages(address, REPORT_KEY, emails, `${records}-record ${target.label}`);
    await app.close();
    await store.close();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
