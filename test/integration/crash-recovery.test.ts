/**
 * kill -9 in the middle of an ingest or a first load: after a restart nothing acknowledged is
 * lost, nothing is half applied, and re-running the command ends exactly where an uninterrupted
 * run would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRecords } from '../../src/synth/generate.js';
import { cli } from '../support/capture-io.js';
import { openEngine, partition, storeOf } from '../support/engine.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const RUN_CLI = new URL('../support/run-cli.ts', import.meta.url).pathname;
const BATCH = 250;

function ingestChild(store: string, file: string, rejects: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      RUN_CLI,
      'ingest',
      '--rules',
      RULES,
      '--store',
      store,
      '--source',
      'orders',
      '--batch-size',
      String(BATCH),
      '--no-progress',
      '--rejects',
      rejects,
      file,
    ],
    { stdio: 'ignore' },
  );
}

async function walCommits(store: string): Promise<number> {
  try {
    const text = await readFile(join(store, 'wal.ndjson'), 'utf8');
    return text.split('\n').filter((line) => line.length > 0).length;
  } catch {
    return 0;
  }
}

async function exportRecords(store: string): Promise<string> {
  return (await cli('export', 'records', '--store', store)).out;
}

describe('crash recovery', () => {
  it('loses nothing acknowledged when the ingesting process is killed', async () => {
    const dir = await tempDir();
    const lines = [...generateRecords({ seed: 11, records: 12000 })]
      .filter((record) => record.source === 'orders')
      .map((record) => JSON.stringify(record.fields));
    const file = join(dir, 'orders.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);

    for (const [attempt, killAfterCommits] of [3, 7].entries()) {
      const store = join(dir, `store-${attempt}`);
      const child = ingestChild(store, file, join(dir, 'rejects.ndjson'));
      const exited = once(child, 'exit');
      while ((await walCommits(store)) < killAfterCommits) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill('SIGKILL');
      await exited;

      // Recovered state: whole batches only, every record in exactly one profile.
      const engine = await openEngine(store);
      const commits = await storeOf(engine).lastCommit();
      expect(commits).toBeGreaterThanOrEqual(killAfterCommits);
      let records = 0;
      for await (const _ of storeOf(engine).records()) records++;
      expect(records).toBe(Math.min(lines.length, commits * BATCH));
      const recovered = await partition(storeOf(engine));
      expect(recovered.flat()).toHaveLength(records);
      await storeOf(engine).close();

      // The same as an uninterrupted ingest of the committed prefix.
      const prefix = join(dir, `prefix-${attempt}.ndjson`);
      await writeFile(prefix, `${lines.slice(0, records).join('\n')}\n`);
      const clean = join(dir, `clean-${attempt}`);
      await cli(
        'ingest',
        '--rules',
        RULES,
        '--store',
        clean,
        '--source',
        'orders',
        '--batch-size',
        String(BATCH),
        '--no-progress',
        '--rejects',
        join(dir, 'r.ndjson'),
        prefix,
      );
      expect(await exportRecords(store)).toBe(await exportRecords(clean));

      // Resuming finishes the job with no duplicates.
      await cli(
        'ingest',
        '--rules',
        RULES,
        '--store',
        store,
        '--source',
        'orders',
        '--batch-size',
        String(BATCH),
        '--no-progress',
        '--rejects',
        join(dir, 'r.ndjson'),
        file,
      );
      const full = join(dir, `full-${attempt}`);
      await cli(
        'ingest',
        '--rules',
        RULES,
        '--store',
        full,
        '--source',
        'orders',
        '--batch-size',
        String(BATCH),
        '--no-progress',
        '--rejects',
        join(dir, 'r.ndjson'),
        file,
      );
      const resumed = await exportRecords(store);
      expect(resumed.trim().split('\n')).toHaveLength(lines.length + 1);
      // Same batches, same commits: even the profile IDs agree with the uninterrupted run.
      expect(resumed).toBe(await exportRecords(full));
      expect((await stat(join(store, 'wal.ndjson'))).size).toBeGreaterThan(0);
    }
  }, 120_000);

  it('finishes a first load that was killed mid-way when it is run again', async () => {
    const dir = await tempDir();
    const synth = await cli('synth', '--records', '6000', '--seed', '12', '--out', join(dir, 'data'));
    expect(synth.code).toBe(0);
    const pairs = ['crm', 'web', 'app', 'orders'].map((source) => `${source}=${join(dir, 'data', `${source}.ndjson`)}`);
    const load = (store: string) => [
      'load',
      '--rules',
      RULES,
      '--store',
      store,
      '--commit-size',
      '100',
      '--no-progress',
      '--rejects',
      join(dir, 'rejects.ndjson'),
      ...pairs,
    ];

    const store = join(dir, 'killed');
    const child = spawn(process.execPath, ['--import', 'tsx', RUN_CLI, ...load(store)], { stdio: 'ignore' });
    const exited = once(child, 'exit');
    while ((await walCommits(store)) < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await exited;
    const cut = await openEngine(store);
    let kept = 0;
    for await (const _ of storeOf(cut).records()) kept++;
    await storeOf(cut).close();
    expect(kept).toBeGreaterThan(0);
    // Killed mid-way: 60 commits of 100 records were due.
    expect(kept).toBeLessThan(6000);

    // The rerun finds data, ingests source by source, and ends where an uninterrupted load does.
    const rerun = await cli(...load(store), '--json');
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.out)).toMatchObject({ path: 'incremental', accepted: 6000 });
    const clean = join(dir, 'clean');
    expect(JSON.parse((await cli(...load(clean), '--json')).out)).toMatchObject({ path: 'bulk' });
    const [resumed, uninterrupted] = [await openEngine(store), await openEngine(clean)];
    expect(await partition(storeOf(resumed))).toEqual(await partition(storeOf(uninterrupted)));
    await storeOf(resumed).close();
    await storeOf(uninterrupted).close();
  }, 60_000);
});
