/**
 * profilesChangedSince on the embedded store: the profiles each commit touched (created, changed,
 * merged away, emptied, or holding a record whose content changed), the same after a replay of the
 * log and from a reader. The Neo4j store gives the same answers (test/graph/neo4j-store.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { openEngine, profileOf, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const crm = (id: string, fields: Record<string, string>) => ({ customer_id: id, country: 'GB', ...fields });
const sorted = (ids: (string | undefined)[]) => [...ids].sort();

describe('profilesChangedSince (embedded store)', () => {
  it('lists the profiles each later commit touched, merged-away, emptied and content-changed ones included', async () => {
    const folder = await tempDir();
    const engine = await openEngine(folder);
    const store = storeOf(engine);
    const since = async (commit: number) => (await store.profilesChangedSince(commit)).sort();
    // 1: Ann by email and Ann by phone, two profiles; 2: Cat.
    await engine.ingest('crm', [
      crm('c1', { email: 'ann@x.co', first_name: 'Ann' }),
      crm('c2', { phone: '020 7946 0777', first_name: 'Ann' }),
    ]);
    await engine.ingest('crm', [crm('c3', { email: 'cat@x.co', first_name: 'Cat' })]);
    const [byEmail, byPhone, cat] = await Promise.all(
      ['crm:c1', 'crm:c2', 'crm:c3'].map((ref) => profileOf(store, ref)),
    );
    expect(await since(0)).toEqual(sorted([byEmail, byPhone, cat]));
    expect(await since(1)).toEqual([cat]);
    expect(await since(2)).toEqual([]);

    // 3: Ann's app ties her email to her phone: one profile absorbs the other, both are touched.
    await engine.ingest('app', [{ install_id: 'i1', email: 'ann@x.co', phone: '+44 20 7946 0777', first_name: 'Ann' }]);
    expect(await profileOf(store, 'crm:c1')).toBe(await profileOf(store, 'crm:c2'));
    expect(await since(2)).toEqual(sorted([byEmail, byPhone]));

    // 4: Cat's record gets a new first name: same members, same evidence, another golden record.
    await engine.ingest('crm', [crm('c3', { email: 'cat@x.co', first_name: 'Catherine' })]);
    expect(await profileOf(store, 'crm:c3')).toBe(cat);
    expect(await since(3)).toEqual([cat]);

    // 5: Cat is erased: her profile is emptied, and touched once more.
    await engine.erase([cat as string], { actor: 'user:dpo', note: 'DSR-9' });
    expect(await since(4)).toEqual([cat]);
    expect(await since(5)).toEqual([]);
    expect(await since(0)).toEqual(sorted([byEmail, byPhone, cat]));
    const answers = (reads: EmbeddedStore) =>
      Promise.all([0, 1, 2, 3, 4, 5].map(async (commit) => (await reads.profilesChangedSince(commit)).sort()));
    const live = await answers(store as EmbeddedStore);
    await store.close();

    // A replay of the log, and a reader, answer the same.
    const reopened = await EmbeddedStore.open(folder);
    expect(await answers(reopened)).toEqual(live);
    await reopened.close();
    const reader = await EmbeddedStore.openReadOnly(folder);
    expect(await answers(reader)).toEqual(live);
    await reader.close();
  });
});
