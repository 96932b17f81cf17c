/**
 * The import-files store reads as the empty graph it starts from until its first commit, and refuses
 * every read after it (the graph is in the files, to be read once imported): audience reads
 * included, which used to answer "none" while the members listing refused. Audience writes are
 * refused throughout.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../src/codec/record-codec.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';
import type { ChangeSet, GraphStore, StagedRecord } from '../../../src/store/graph-store.js';
import { ImportFilesStore } from '../../../src/store/neo4j/import-files/import-files-store.js';
import { changeSet } from '../../support/change-set.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const FIRST_LOAD: ChangeSet = changeSet({ commit: 1, at: '2026-12-06T00:00:00.000Z', firstLoad: true });

/** A bulk-path record (packed) that comes with the blocking keys it was staged with. */
function packedWithKeys(id: string, blockKey: string): StagedRecord {
  const record: PreparedRecord = {
    ref: `crm:${id}`,
    source: 'crm',
    recordId: id,
    ts: 0,
    identifiers: [{ type: 'email', key: `${id}@x.co`, value: `${id}@x.co` }],
    attributes: {},
    fields: {},
  };
  const packed = { ref: record.ref, encoded: encodeRecord(record), identifierKeys: [], blockHashes: [] };
  return { record, blockKeys: [blockKey], packed };
}

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

  it('writes the blocking keys a record came with when the rules came after the first commit', async () => {
    const folder = await tempDir();
    const store = await ImportFilesStore.create(folder);
    try {
      await store.commit({ ...FIRST_LOAD, upserts: [packedWithKeys('a', 'given-key-a')] });
      // Rules arriving now are not the ones the record files were started under (none): the keys
      // each record was staged with are written, not derived.
      const rules = { version: 'v2', text: 'rules: []\n' };
      await store.commit({ ...FIRST_LOAD, commit: 2, rules, upserts: [packedWithKeys('b', 'given-key-b')] });
      await store.finish();
      const blocks = await readFile(join(folder, 'blocks.csv'), 'utf8');
      expect(blocks).toContain('given-key-a');
      expect(blocks).toContain('given-key-b');
      const inBlock = (await readFile(join(folder, 'in-block.csv'), 'utf8')).trim().split('\n');
      expect(inBlock).toHaveLength(3); // the header and one link a record
    } finally {
      await store.close();
    }
  });
});
