/**
 * Scale on one machine (`BENCH_ONLY=scale`): for each size in BENCH_SCALE_RECORDS (default
 * 1,000,000,3,000,000,10,000,000) synthetic records are written, bulk-loaded by the built CLI in a
 * process of its own, and the store is then opened by another CLI process (a lookup, which replays
 * the log into the in-memory indexes a serving process holds). Each step's time and peak RSS are
 * printed with the memory per record: docs/scale.md extrapolates from these figures.
 * Node's default heap limit (about 4 GB on this machine) stops a load a little past 3M records, so
 * both processes run with BENCH_SCALE_HEAP_MB (default 20,480) as --max-old-space-size, as the
 * README tells users to do for large loads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeSyntheticFiles } from '../src/synth/write-files.js';
import { report } from './support.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../bin/idgraph.js', import.meta.url));
const rules = fileURLToPath(new URL('../rules/default.yaml', import.meta.url));
const heapMb = Number(process.env.BENCH_SCALE_HEAP_MB ?? 20_480);

export async function benchScale(sizes: readonly number[]): Promise<void> {
  for (const records of sizes) {
    const work = await mkdtemp(join(tmpdir(), 'idgraph-scale-'));
    try {
      await measureOneSize(records, work);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

async function measureOneSize(records: number, work: string): Promise<void> {
  const data = join(work, 'data');
  const store = join(work, 'store');
  await writeSyntheticFiles(data, { seed: 42, records }, 'ndjson');
  const email = await firstCrmEmail(join(data, 'crm.ndjson'));
  const pairs = ['crm', 'web', 'app', 'orders'].map((source) => `${source}=${join(data, `${source}.ndjson`)}`);

  const load = await timed(['load', '--json', '--no-progress', '--rules', rules, '--store', store, ...pairs]);
  const summary = JSON.parse(load.stdout) as { rows: number; profilesCreated: number };
  const open = await timed(['lookup', '--store', store, '--rules', rules, 'email', email]);
  const perRecord = (mb: number) => ((mb * 1024 * 1024) / summary.rows / 1024).toFixed(2);
  report(
    `scale ${summary.rows.toLocaleString('en-US')} records (${summary.profilesCreated.toLocaleString('en-US')} profiles): ` +
      `bulk load ${load.seconds.toFixed(1)} s, peak RSS ${load.peakMb.toLocaleString('en-US')} MB (${perRecord(load.peakMb)} KB a record); ` +
      `open for serving ${open.seconds.toFixed(1)} s, peak RSS ${open.peakMb.toLocaleString('en-US')} MB (${perRecord(open.peakMb)} KB a record); ` +
      `heap limit ${heapMb.toLocaleString('en-US')} MB; load average ${loadavg()[0]?.toFixed(1)}`,
  );
}

/** Runs the CLI under GNU time, which reports the process's peak resident set (workers included). */
async function timed(args: string[]): Promise<{ stdout: string; seconds: number; peakMb: number }> {
  const started = performance.now();
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'peak-rss-kb %M', process.execPath, cli, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${heapMb}` },
  });
  const seconds = (performance.now() - started) / 1000;
  const peak = /peak-rss-kb (\d+)/.exec(stderr);
  if (!peak) throw new Error(`no peak memory in the output of idgraph ${args[0]}`);
  return { stdout, seconds, peakMb: Math.round(Number(peak[1]) / 1024) };
}

/** An email the lookup can ask for, from the first megabyte of the CRM file (the file may be GBs). */
async function firstCrmEmail(path: string): Promise<string> {
  const file = await open(path);
  try {
    const head = Buffer.alloc(1 << 20);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const lines = head.subarray(0, bytesRead).toString('utf8').split('\n').slice(0, -1);
    for (const line of lines) {
      const email = (JSON.parse(line) as { email?: string }).email;
      if (email) return email;
    }
  } finally {
    await file.close();
  }
  throw new Error(`no email among the first CRM records of ${path}`);
}
