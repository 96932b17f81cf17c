/**
 * Erasure for a privacy request on the embedded store: the person's records and identifiers leave
 * the graph, their values leave the files on disk (log and history), history keeps a tombstone, and
 * all of it holds across reopening, including a scrub redone after an interruption.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identifierKey } from '../../../src/core/resolve/types.js';
import type { Engine } from '../../../src/engine/engine.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../../src/store/graph-store.js';
import { engineOn, fixedClock, partition, profileOf, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const rules = rulesFrom();

/** Values only the person to erase holds, as they would appear anywhere on disk (the phone is Bob's too). */
const PERSONAL = ['ann.lee', 'annlee', 'ck-1', 'Zebedee', 'zebedee'];

async function seeded(folder: string): Promise<Engine> {
  const engine = engineOn(await EmbeddedStore.open(folder), rules, fixedClock);
  await engine.ingest('crm', [
    { customer_id: 'c1', email: 'Ann.Lee@gmail.com', phone: '07911 123456', first_name: 'Zebedee', country: 'GB' },
    { customer_id: 'c2', email: 'annlee@gmail.com', country: 'GB' },
    { customer_id: 'c3', email: 'bob.kim@shop.io', phone: '07911 123456', first_name: 'Bob', country: 'GB' },
  ]);
  await engine.ingest('web', [{ session_id: 's1', cookie_id: 'ck-1', email: 'ann.lee+news@gmail.com' }]);
  await engine.neverLink('crm:c1', 'crm:c3', { actor: 'user:dpo', note: 'two people' });
  return engine;
}

async function filesOf(folder: string): Promise<string> {
  return (await readFile(join(folder, 'wal.ndjson'), 'utf8')) + (await readFile(join(folder, 'events.ndjson'), 'utf8'));
}

async function historyOf(store: GraphStore, ids: readonly string[]) {
  return Promise.all(ids.map((id) => store.eventsOf(id)));
}

describe('erase', () => {
  it('removes the person from the graph and from the files, keeping a tombstone', async () => {
    const folder = await tempDir();
    const engine = await seeded(folder);
    const store = storeOf(engine);
    const ann = (await profileOf(store, 'crm:c1')) as string;
    expect(await profileOf(store, 'web:s1')).toBe(ann);
    const bob = (await profileOf(store, 'crm:c3')) as string;
    for (const value of PERSONAL) expect(await filesOf(folder)).toContain(value);

    const summary = await engine.erase([ann], { actor: 'user:dpo', note: 'ticket 4711' });
    expect(summary).toMatchObject({ erasedProfiles: [ann], erasedRecords: 3 });

    expect(await partition(store)).toEqual([['crm:c3']]);
    expect(await profileOf(store, 'crm:c3')).toBe(bob);
    expect((await store.getRecords(['crm:c1', 'crm:c2', 'web:s1'])).size).toBe(0);
    expect(await store.findProfile(ann)).toBeUndefined();
    const annEmail = identifierKey('email', 'annlee@gmail.com');
    expect((await store.holdersOf([annEmail])).size).toBe(0);
    expect(await store.profilesHolding([annEmail])).toEqual(new Map());
    // The phone Ann shared with Bob stays Bob's.
    expect(
      (await store.holdersOf([identifierKey('phone', '+447911123456')])).get(identifierKey('phone', '+447911123456')),
    ).toEqual(['crm:c3']);
    expect(await store.decisionsFor(['crm:c3'])).toEqual([]);

    const history = await store.eventsOf(ann);
    expect(history.at(-1)).toMatchObject({ kind: 'erased', actor: 'user:dpo', note: 'ticket 4711', records: [] });
    for (const event of history) {
      expect(event.records.filter((ref) => ref !== 'crm:c3')).toEqual([]);
      expect(event.evidence).toEqual([]);
    }
    const files = await filesOf(folder);
    for (const value of PERSONAL) expect(files).not.toContain(value);

    // Reopened, the store is the same and the files stay clean.
    const before = { partition: await partition(store), history: await historyOf(store, [ann, bob]) };
    await store.close();
    const reopened = await EmbeddedStore.open(folder);
    expect(await partition(reopened)).toEqual(before.partition);
    expect(await historyOf(reopened, [ann, bob])).toEqual(before.history);
    expect((await reopened.holdersOf([annEmail])).size).toBe(0);
    await reopened.close();
  });

  it('redoes an interrupted scrub at the next open, and a returning person starts afresh', async () => {
    const folder = await tempDir();
    const engine = await seeded(folder);
    const ann = (await profileOf(storeOf(engine), 'crm:c1')) as string;
    await engine.erase([ann], { actor: 'user:dpo' });
    const expected = await partition(storeOf(engine));
    await storeOf(engine).close();
    // Without the marker, the store cannot know the scrub finished: it scrubs again.
    await rm(join(folder, 'scrubbed'));
    const reopened = engineOn(await EmbeddedStore.open(folder), rules, fixedClock);
    expect(await partition(storeOf(reopened))).toEqual(expected);
    expect(await readFile(join(folder, 'scrubbed'), 'utf8')).toBe(String(await storeOf(reopened).lastCommit()));

    await reopened.ingest('crm', [{ customer_id: 'c9', email: 'Ann.Lee@gmail.com', country: 'GB' }]);
    const fresh = (await profileOf(storeOf(reopened), 'crm:c9')) as string;
    expect(fresh).not.toBe(ann);
    expect((await storeOf(reopened).getProfiles([fresh])).get(fresh)?.records).toEqual(['crm:c9']);
    await expect(reopened.erase(['p_nope'], { actor: 'user:dpo' })).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
    });
    await storeOf(reopened).close();
  });

  // The scrub copies lines that hold none of the erased records' JSON strings without parsing them
  // (embedded-store.ts): a key JSON escapes, or more records than it looks for one by one, must
  // leave the files just as clean.
  it.each([
    { what: 'keys JSON escapes or writes as UTF-8', keys: ['q"uote', 'back\\slash', 'café-ü', 'tab\there'] },
    { what: 'more records than the scrub looks for line by line', keys: Array.from({ length: 40 }, (_, n) => `k${n}`) },
  ])('scrubs a person with $what', async ({ keys }) => {
    const folder = await tempDir();
    const engine = engineOn(await EmbeddedStore.open(folder), rules, fixedClock);
    // One commit a record, so each record's values sit in lines that name it alone.
    for (const key of keys) await engine.ingest('crm', [{ customer_id: key, email: 'zebedee@quux.io', country: 'GB' }]);
    await engine.ingest('crm', [{ customer_id: 'other', email: 'bob.kim@shop.io', country: 'GB' }]);
    const person = (await profileOf(storeOf(engine), `crm:${keys[0]}`)) as string;
    expect((await storeOf(engine).getProfiles([person])).get(person)?.records).toHaveLength(keys.length);
    expect(await filesOf(folder)).toContain('zebedee');

    await engine.erase([person], { actor: 'user:dpo' });
    const files = await filesOf(folder);
    expect(files).not.toContain('zebedee');
    expect(files).toContain('bob.kim');
    expect(await partition(storeOf(engine))).toEqual([['crm:other']]);
    await storeOf(engine).close();
  });
});
