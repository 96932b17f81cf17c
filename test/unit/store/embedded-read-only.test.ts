/**
 * Readers beside a writer (`idgraph lookup` while `idgraph serve` runs), the checks on a store's
 * folder, and the takeover of a lock whose process is gone.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { ChangeSet } from '../../../src/store/graph-store.js';
import { newProfileChange } from '../../support/change-set.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

function change(commit: number, ref: string): ChangeSet {
  return newProfileChange(commit, [ref], `p${commit}`);
}

/** Every file of the folder with its bytes: what a reader must leave as it found it. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name), 'latin1');
  return files;
}

describe('a read-only open of the embedded store', () => {
  it('reads what the writer holding the lock committed, writes nothing, and refuses to commit', async () => {
    const dir = await tempDir();
    const writer = await EmbeddedStore.open(dir);
    await writer.commit(change(1, 'crm:1'));
    await writer.commit(change(2, 'crm:2'));
    const before = await snapshot(dir);

    const reader = await EmbeddedStore.openReadOnly(dir);
    expect(await reader.lastCommit()).toBe(2);
    expect((await reader.profileIdsOf(['crm:2'])).get('crm:2')).toBe('p2');
    expect((await reader.eventsOf('p1')).map((event) => event.id)).toEqual(['e1']);
    await expect(reader.commit(change(3, 'crm:3'))).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    await reader.close();
    expect(await snapshot(dir)).toEqual(before);

    // The writer still holds its lock and goes on; a later reader sees the new commit.
    await writer.commit(change(3, 'crm:3'));
    const later = await EmbeddedStore.openReadOnly(dir);
    expect(await later.lastCommit()).toBe(3);
    await later.close();
    await writer.close();
  });

  it('leaves a line being appended alone and reads the commits before it', async () => {
    const dir = await tempDir();
    const writer = await EmbeddedStore.open(dir);
    await writer.commit(change(1, 'crm:1'));
    await writer.close();
    await appendFile(join(dir, 'wal.ndjson'), '0badc0de {"commit":2');
    const size = (await stat(join(dir, 'wal.ndjson'))).size;

    const reader = await EmbeddedStore.openReadOnly(dir);
    expect(await reader.lastCommit()).toBe(1);
    await reader.close();
    expect((await stat(join(dir, 'wal.ndjson'))).size).toBe(size);
  });

  it('says there is no store where there is none, and creates nothing', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'not-here', 'store');
    await expect(EmbeddedStore.openReadOnly(missing)).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
      message: expect.stringContaining('does not exist'),
    });
    await mkdir(join(dir, 'empty'));
    await expect(EmbeddedStore.openReadOnly(join(dir, 'empty'))).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
      message: expect.stringContaining('holds no wal.ndjson'),
    });
    expect(await readdir(dir)).toEqual(['empty']);
    expect(await readdir(join(dir, 'empty'))).toEqual([]);
  });
});

describe("the store's folder", () => {
  it('is refused at once where folders cannot be made, or where a file stands', async () => {
    const dir = await tempDir();
    // Node's recursive mkdir spins forever on /proc/nope: the check must answer, and quickly.
    await expect(EmbeddedStore.open('/proc/nope')).rejects.toMatchObject({
      code: 'STORE_PATH_UNUSABLE',
      message: expect.stringContaining('cannot create /proc/nope'),
    });
    await writeFile(join(dir, 'file'), 'not a folder');
    await expect(EmbeddedStore.open(join(dir, 'file'))).rejects.toMatchObject({
      code: 'STORE_PATH_UNUSABLE',
      message: expect.stringContaining('it is a file, not a folder'),
    });
    await expect(EmbeddedStore.open(join(dir, 'file', 'store'))).rejects.toMatchObject({
      code: 'STORE_PATH_UNUSABLE',
      message: expect.stringContaining(`${join(dir, 'file')} is a file, not a folder`),
    });
    await expect(EmbeddedStore.openReadOnly(join(dir, 'file'))).rejects.toMatchObject({ code: 'STORE_PATH_UNUSABLE' });
  }, 5_000);

  it('is created, with the folders above it, for a writer', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(join(dir, 'a', 'b', 'store'));
    await store.close();
    expect(await readdir(join(dir, 'a', 'b', 'store'))).toContain('wal.ndjson');
  });
});

describe('the lock', () => {
  it('names the live process that holds it and what to do instead', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'LOCK'), String(process.ppid));
    await expect(EmbeddedStore.open(dir)).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      message: expect.stringMatching(
        new RegExp(`in use by process ${process.ppid}.*reads work alongside it.*HTTP API`),
      ),
    });
  });

  it('is taken over at once from a zombie (a process that exited and was not collected yet)', async () => {
    const dir = await tempDir();
    // The shell's background child outlives the shell, which `exec sleep` replaces: that sleep
    // never waits for it, so once it exits it stays a zombie until the sleep ends.
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 20'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number.parseInt(
        await new Promise<string>((resolve) =>
          parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())),
        ),
        10,
      );
      const state = async () => {
        const text = await readFile(`/proc/${zombie}/stat`, 'latin1');
        return text.charAt(text.lastIndexOf(')') + 2);
      };
      for (let tries = 0; (await state()) !== 'Z' && tries < 200; tries++) await new Promise((r) => setTimeout(r, 20));
      expect(await state()).toBe('Z');
      // The zombie still answers signal 0, which is what kept the lock refused after a kill -9.
      expect(() => process.kill(zombie, 0)).not.toThrow();

      await writeFile(join(dir, 'LOCK'), String(zombie));
      const store = await EmbeddedStore.open(dir);
      expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
      await store.close();
    } finally {
      parent.kill();
    }
  });
});
