/**
 * The import-files store reads as the empty graph it starts from until its first commit, and refuses
 * every read after it (the graph is in the files, to be read once imported): audience reads
 * included, which used to answer "none" while the members listing refused. Audience writes are
 * refused throughout.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeSet, GraphStore } from '../../../src/store/graph-store.js';
import { ImportFilesStore } from '../../../src/store/neo4j/import-files/import-files-store.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const FIRST_LOAD: ChangeSet = {
  commit: 1,
  at: '2026-12-06T00:00:00.000Z',
  rulesVersion: 'v1',
  upserts: [],
  removals: [],
  profiles: [],
  retired: [],
  shared: [],
  decisionsAdded: [],
  decisionsRemoved: [],
  events: [],
  firstLoad: true,
};

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('ImportFilesStore', () => {
  it('answers audience reads as the empty graph, then refuses them as every other read once written', async () => {
    const store: GraphStore = await ImportFilesStore.create(await tempDir());
    try {
      expect(await store.audience('a')).toBeUndefined();
      expect(await store.audiences()).toEqual([]);
      expect(await store.segment('s')).toBeUndefined();
      expect(await store.segments()).toEqual([]);
      expect(await collect(store.audienceMembers('a'))).toEqual([]);
      expect(await store.profilesHolding(['email\u0001a@x.co'])).toEqual(new Map());

      await store.commit(FIRST_LOAD);

      const refused = { code: 'STORE_IMPORT_ONLY' };
      await expect(store.audience('a')).rejects.toMatchObject(refused);
      await expect(store.audiences()).rejects.toMatchObject(refused);
      await expect(store.segment('s')).rejects.toMatchObject(refused);
      await expect(store.segments()).rejects.toMatchObject(refused);
      await expect(collect(store.audienceMembers('a'))).rejects.toMatchObject(refused);
      await expect(store.profilesHolding(['email\u0001a@x.co'])).rejects.toMatchObject(refused);
    } finally {
      await store.close();
    }
  });

  it('refuses audience writes before and after the first commit', async () => {
    const store: GraphStore = await ImportFilesStore.create(await tempDir());
    try {
      await expect(store.removeAudience('a')).rejects.toMatchObject({ code: 'STORE_IMPORT_ONLY' });
      await store.commit(FIRST_LOAD);
      await expect(store.removeAudience('a')).rejects.toMatchObject({ code: 'STORE_IMPORT_ONLY' });
    } finally {
      await store.close();
    }
  });
});
