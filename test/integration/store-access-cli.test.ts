/**
 * The CLI beside a running `idgraph serve` (a real child process holding the embedded store):
 * reads work, writes say what to do, and a kill -9'd server's lock is taken over at once. And a
 * --store that names no store, or one that cannot be, fails at once and creates nothing.
 */
import type { ChildProcess } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/runtime/process-alive.js';
import { cli } from '../support/capture-io.js';
import { startServe } from '../support/serve-child.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const KEY = 'store-access-test-key-0123456789';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

async function storeWithPeople(): Promise<{ dir: string; store: string }> {
  const dir = await tempDir();
  const store = join(dir, 'store');
  const file = join(dir, 'crm.ndjson');
  await writeFile(
    file,
    [
      { customer_id: 'C1', email: 'ann.lee@gmail.com', first_name: 'Ann', last_name: 'Lee' },
      { customer_id: 'C2', email: 'Ann.Lee+shop@GoogleMail.com', first_name: 'Ann', last_name: 'Lee' },
      { customer_id: 'C3', email: 'tom.lee@gmail.com', first_name: 'Tom', last_name: 'Lee' },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n'),
  );
  const ingest = await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', '--no-progress', file);
  expect(ingest.code, ingest.err).toBe(0);
  return { dir, store };
}

/** Polls every 10 ms for up to 10 s; the kernel takes milliseconds to end a killed process. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the CLI while idgraph serve holds the store', () => {
  it('reads, refuses writes saying what to do, and takes the store over right after a kill -9', async () => {
    const { dir, store } = await storeWithPeople();
    const { child, url } = await startServe(['--store', store], KEY);
    running.push(child);

    const lookup = await cli('lookup', '--store', store, 'email', 'ANN.LEE@gmail.com');
    expect(lookup.code, lookup.err).toBe(0);
    const { profileId } = JSON.parse(lookup.out) as { profileId: string };
    expect((await cli('profile', '--store', store, '--json', profileId)).code).toBe(0);
    const history = await cli('history', '--store', store, profileId);
    expect(history.code).toBe(0);
    expect(history.out).toContain('profile_created');
    const explain = await cli('explain', '--store', store, 'crm:C1', 'crm:C2');
    expect(explain.out).toContain(`both in profile ${profileId}`);
    expect((await cli('export', 'records', '--store', store)).out.trim().split('\n')).toHaveLength(4);
    expect((await cli('export', 'profiles', '--store', store)).out.trim().split('\n')).toHaveLength(2);

    const write = await cli('never-link', '--store', store, 'crm:C1', 'crm:C3', '--note', 'two people');
    expect(write.code).toBe(1);
    expect(write.err).toMatch(
      new RegExp(`in use by process ${child.pid} \\(idgraph serve\\).*reads work alongside it.*HTTP API.*STORE_LOCKED`),
    );

    // A write through the service, then a new CLI read sees it.
    const ingested = await fetch(`${url}/v1/sources/crm/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ customer_id: 'C4', email: 'tom.lee@gmail.com', first_name: 'Tom' }] }),
    });
    expect(ingested.status).toBe(200);
    expect((await cli('export', 'records', '--store', store)).out).toContain('crm,C4,');

    // kill -9 only sends the signal: the kernel tears the process down a moment later, and until this
    // process collects it, it is a zombie. Once it has died (zombie or collected), its lock is stale
    // and the next write takes the store over at once, with no timeout to wait out.
    child.kill('SIGKILL');
    await until(() => !isProcessAlive(child.pid as number));
    const after = await cli('never-link', '--store', store, 'crm:C1', 'crm:C3', '--note', 'two people');
    expect(after.code, after.err).toBe(0);
    expect(await readdir(dir)).toContain('store');
  }, 60_000);
});

describe('a --store that is not a store', () => {
  it('is said to be missing by a read, which creates nothing', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'nonexistent', 'store');
    const lookup = await cli('lookup', '--store', missing, 'email', 'ann.lee@gmail.com');
    expect(lookup.code).toBe(2);
    expect(lookup.err).toContain(`no store in ${missing}: the folder does not exist`);
    expect(lookup.err).toContain('[STORE_NOT_FOUND]');
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails at once where it cannot be used, for reads and writes alike', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'x');
    const proc = await cli('ingest', '--store', '/proc/nope', '--rules', RULES, '--source', 'crm', join(dir, 'file'));
    expect(proc.code).toBe(2);
    expect(proc.err).toContain('cannot use /proc/nope as a store: cannot create /proc/nope');
    const file = await cli('profile', '--store', join(dir, 'file'), 'p_x');
    expect(file.code).toBe(2);
    expect(file.err).toContain('it is a file, not a folder [STORE_PATH_UNUSABLE]');
  }, 10_000);
});
