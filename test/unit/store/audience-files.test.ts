/**
 * The embedded store's audiences (store/embedded/audience-files.ts): the AudienceStorage behaviour
 * both adapters share, on the files alone and through the store (its `audiences` folder, or one it
 * was told), kept across a reopen, and refused to a store opened to read.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudienceFiles } from '../../../src/store/embedded/audience-files.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { audienceStorageBehaviour, definitionOf, membersOf } from '../../support/audience-storage-behaviour.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

describe('audience files', () => {
  audienceStorageBehaviour(async () => ({ storage: new AudienceFiles(await tempDir()), close: async () => {} }));
});

describe('the embedded store’s audiences', () => {
  audienceStorageBehaviour(async () => {
    const store = await EmbeddedStore.open(join(await tempDir(), 'store'));
    return { storage: store, close: () => store.close() };
  });

  it('are files in the store’s audiences folder (or the one it was told), kept across a reopen', async () => {
    const folder = join(await tempDir(), 'store');
    let store = await EmbeddedStore.open(folder);
    await store.putAudience(definitionOf('spring', 3), membersOf(3), { replace: false });
    await store.close();
    expect(await readdir(join(folder, 'audiences', 'spring'))).toEqual(['audience.json', 'members.ndjson']);

    store = await EmbeddedStore.open(folder);
    expect((await store.audience('spring'))?.rows).toBe(3);
    await store.close();

    const elsewhere = join(await tempDir(), 'audiences');
    store = await EmbeddedStore.open(folder, { audiences: elsewhere });
    expect(await store.audiences()).toEqual([]);
    await store.putAudience(definitionOf('autumn', 1), membersOf(1), { replace: false });
    await store.close();
    expect(await readdir(elsewhere)).toEqual(['autumn']);
  });

  it('are read, never written, by a store opened to read', async () => {
    const folder = join(await tempDir(), 'store');
    const writer = await EmbeddedStore.open(folder);
    await writer.putAudience(definitionOf('spring', 3), membersOf(3), { replace: false });
    await writer.close();
    const reader = await EmbeddedStore.openReadOnly(folder);
    try {
      expect((await reader.audience('spring'))?.rows).toBe(3);
      const refused = { code: 'STORE_READ_ONLY' };
      await expect(reader.putAudience(definitionOf('x', 0), [], { replace: false })).rejects.toMatchObject(refused);
      await expect(reader.dropAudienceRows('spring', new Set([1]))).rejects.toMatchObject(refused);
      await expect(reader.removeAudience('spring')).rejects.toMatchObject(refused);
    } finally {
      await reader.close();
    }
  });
});
