/**
 * Ingest benchmark: N synthetic records (default 1,000,000; BENCH_RECORDS to change) written by the
 * generator, then streamed into a fresh embedded store in one process, source by source, as the CLI
 * does. Prints wall time split into parse, normalize, match and write, records/s and peak RSS.
 */

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Engine } from '../src/engine/engine.js';
import { ingestFiles } from '../src/ingest/ingest-files.js';
import { openInput } from '../src/ingest/input.js';
import { RejectFile } from '../src/ingest/reject-file.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { generateRecords } from '../src/synth/generate.js';
import { writeSyntheticFiles } from '../src/synth/write-files.js';
import { loadDefaultRules, peakRss, report } from './support.js';

const run = promisify(execFile);

export async function synthOnly(records: number): Promise<{ folder: string; data: string }> {
  const work = await mkdtemp(join(tmpdir(), 'idgraph-bench-'));
  const data = join(work, 'data');
  const synthStart = performance.now();
  const synth = await writeSyntheticFiles(data, { seed: 42, records }, 'ndjson');
  report(
    `synthetic data: ${synth.records} records, ${synth.people} people in ${((performance.now() - synthStart) / 1000).toFixed(1)} s`,
  );
  return { folder: work, data };
}

export async function benchIngest(records: number): Promise<{ folder: string; data: string }> {
  const { folder: work, data } = await synthOnly(records);
  const folder = join(work, 'store');
  const store = await EmbeddedStore.open(folder);
  const engine = new Engine(store, loadDefaultRules());
  const rejects = new RejectFile(join(work, 'rejects.ndjson'));
  const start = performance.now();
  let rows = 0;
  for (const source of ['crm', 'web', 'app', 'orders']) {
    const summary = await ingestFiles({
      engine,
      source,
      inputs: [await openInput(join(data, `${source}.ndjson`))],
      rejects,
      batchSize: 10_000,
    });
    rows += summary.rows;
  }
  const seconds = (performance.now() - start) / 1000;
  await rejects.close();
  const t = engine.timings.ms;
  report(
    `ingest ${rows} records: ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} records/s), ` +
      `parse ${(t.parse / 1000).toFixed(1)} s, normalize ${(t.normalize / 1000).toFixed(1)} s, ` +
      `match ${(t.match / 1000).toFixed(1)} s, write ${(t.write / 1000).toFixed(1)} s; peak RSS ${peakRss()} MB`,
  );
  await benchIncremental(engine);
  await store.close();

  const reopenStart = performance.now();
  const reopened = await EmbeddedStore.open(folder);
  report(`reopen (replay of the log): ${((performance.now() - reopenStart) / 1000).toFixed(1)} s`);
  await reopened.close();
  return { folder: work, data };
}

/**
 * 10,000 new records into the store just built: one commit per record, then in batches of 1,000.
 * The records come from another seed, with keys made distinct so they are new, not updates.
 */
async function benchIncremental(engine: Engine): Promise<void> {
  const fresh = [...generateRecords({ seed: 4242, records: 40_000 })].filter((record) => record.source === 'orders');
  const rows = fresh.map((record) => ({ ...record.fields, order_id: `new-${record.recordId}` }));
  const single = rows.slice(0, 10_000);
  let start = performance.now();
  for (const row of single) await engine.ingest('orders', [row]);
  let seconds = (performance.now() - start) / 1000;
  report(`incremental: ${single.length} new records one at a time: ${Math.round(single.length / seconds)} records/s`);

  const batched = rows.slice(0, 10_000).map((row) => ({ ...row, order_id: `b-${row.order_id}` }));
  start = performance.now();
  for (let i = 0; i < batched.length; i += 1000) await engine.ingest('orders', batched.slice(i, i + 1000));
  seconds = (performance.now() - start) / 1000;
  report(
    `incremental: ${batched.length} new records in batches of 1,000: ${Math.round(batched.length / seconds)} records/s`,
  );
}

/**
 * The same data through `idgraph load` on an empty store (the bulk path), run as users run it: the
 * built CLI in a process of its own, so the figures are the shipped code's (not the sources under
 * the TypeScript loader, which is slower) and the peak memory is the load's alone.
 */
export async function benchBulk(data: string, work: string): Promise<void> {
  const folder = join(work, 'bulk-store');
  const cli = fileURLToPath(new URL('../bin/idgraph.js', import.meta.url));
  const rules = fileURLToPath(new URL('../rules/default.yaml', import.meta.url));
  const pairs = ['crm', 'web', 'app', 'orders'].map((source) => `${source}=${join(data, `${source}.ndjson`)}`);
  const args = ['load', '--json', '--no-progress', '--rules', rules, '--store', folder];
  const start = performance.now();
  const { stdout } = await run(process.execPath, [
    cli,
    ...args,
    '--rejects',
    join(work, 'bulk-rejects.ndjson'),
    ...pairs,
  ]);
  const seconds = (performance.now() - start) / 1000;
  const summary = JSON.parse(stdout) as LoadSummary;
  const { parse, normalize, match, write } = summary.phases;
  report(
    `bulk load (idgraph load) ${summary.rows} records: ${seconds.toFixed(1)} s (${Math.round(summary.rows / seconds)} records/s), ` +
      `parse ${parse.toFixed(1)} s, normalize ${normalize.toFixed(1)} s, match ${match.toFixed(1)} s, write ${write.toFixed(1)} s; ` +
      `${summary.profilesCreated} profiles in ${summary.commits} commits; peak RSS ${summary.peakMemoryMb} MB`,
  );
  // The load writes the log and builds no indexes in memory (the process ends); the next open does.
  const reopenStart = performance.now();
  const reopened = await EmbeddedStore.open(folder);
  report(`reopen after the bulk load (replay of the log): ${((performance.now() - reopenStart) / 1000).toFixed(1)} s`);
  await reopened.close();
}

/** What `idgraph load --json` prints that the benchmark reports. */
interface LoadSummary {
  readonly rows: number;
  readonly profilesCreated: number;
  readonly commits: number;
  readonly phases: Record<'parse' | 'normalize' | 'match' | 'write', number>;
  readonly peakMemoryMb: number;
}

export async function cleanup(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}
