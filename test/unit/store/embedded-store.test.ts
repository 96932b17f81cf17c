import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packRecord } from '../../../src/codec/packed-record.js';
import { decodeRecord } from '../../../src/codec/record-codec.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { ChangeSet } from '../../../src/store/graph-store.js';
import { newProfileChange } from '../../support/change-set.js';
import { rulesFrom } from '../../support/engine.js';
import { record } from '../../support/records.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

function change(commit: number, refs: string[], profileId: string): ChangeSet {
  return newProfileChange(commit, refs, profileId, (ref) => [`k\u0002${ref}`]);
}

describe('EmbeddedStore', () => {
  it('counts events by day and kind from memory for its own commits as from its file after a reopen', async () => {
    const dir = await tempDir();
    const at = (day: string) => `2026-12-0${day}T12:00:00.000Z`;
    const withEvents = (commit: number, events: [kind: 'profile_created' | 'merge', day: string][]) => {
      const base = change(commit, [`crm:${commit}`], `p${commit}`);
      const event = base.events[0] as ChangeSet['events'][number];
      return {
        ...base,
        events: events.map(([kind, day], n) => ({ ...event, id: `e${commit}-${n}`, kind, at: at(day) })),
      };
    };
    const byKey = (counts: readonly { day: string; kind: string; count: number }[]) =>
      Object.fromEntries(counts.map(({ day, kind, count }) => [`${day} ${kind}`, count]));
    const questions = [
      [0, 4],
      [1, 3],
      [2, 4],
      [4, 4],
    ] as const;
    const store = await EmbeddedStore.open(dir);
    await store.commit(withEvents(1, [['profile_created', '1']]));
    await store.commit(
      withEvents(2, [
        ['profile_created', '1'],
        ['merge', '2'],
      ]),
    );
    await store.commit(withEvents(3, []));
    await store.commit(
      withEvents(4, [
        ['merge', '2'],
        ['profile_created', '3'],
      ]),
    );
    const fromMemory = await Promise.all(questions.map(([after, upTo]) => store.eventCounts(after, upTo)));
    expect(byKey(fromMemory[0] ?? [])).toEqual({
      '2026-12-01 profile_created': 2,
      '2026-12-02 merge': 2,
      '2026-12-03 profile_created': 1,
    });
    expect(byKey(fromMemory[1] ?? [])).toEqual({ '2026-12-01 profile_created': 1, '2026-12-02 merge': 1 });
    await store.close();

    const reopened = await EmbeddedStore.open(dir);
    const fromFile = await Promise.all(questions.map(([after, upTo]) => reopened.eventCounts(after, upTo)));
    expect(fromFile.map(byKey)).toEqual(fromMemory.map(byKey));
    await reopened.commit(withEvents(5, [['merge', '4']]));
    expect(byKey(await reopened.eventCounts(4, 5))).toEqual({ '2026-12-04 merge': 1 });
    expect(byKey(await reopened.eventCounts(0, 5))).toEqual({
      '2026-12-01 profile_created': 2,
      '2026-12-02 merge': 2,
      '2026-12-03 profile_created': 1,
      '2026-12-04 merge': 1,
    });
    await reopened.close();
  });

  it('hands out a whole scan with turns of the event loop, so requests are answered during it', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    // 1,500 profiles of two records: more than one scan's worth between two turns.
    const refs = Array.from({ length: 1_500 }, (_, n) => [`crm:${n}a`, `crm:${n}b`]);
    await store.commit({
      ...change(1, refs.flat(), 'p0'),
      profiles: refs.map((pair, n) => ({ id: `p${n}`, seq: n, records: pair, edges: [] })),
    });
    for (const scan of [() => store.profiles(), () => store.records()]) {
      const order: string[] = [];
      setImmediate(() => order.push('request'));
      let items = 0;
      for await (const _ of scan()) items++;
      order.push('scanned');
      expect(items).toBeGreaterThanOrEqual(1_500);
      expect(order).toEqual(['request', 'scanned']);
    }
    await store.close();
  });

  it('keeps every acknowledged commit across a reopen', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await store.commit(change(1, ['crm:1'], 'p1'));
    await store.commit(change(2, ['crm:2', 'crm:3'], 'p2'));
    await store.close();

    const reopened = await EmbeddedStore.open(dir);
    expect(await reopened.lastCommit()).toBe(2);
    expect((await reopened.getRecords(['crm:1', 'crm:3'])).size).toBe(2);
    expect((await reopened.profileIdsOf(['crm:3'])).get('crm:3')).toBe('p2');
    expect((await reopened.holdersOf(['email\u0001crm:2@x.com'])).get('email\u0001crm:2@x.com')).toEqual(['crm:2']);
    expect((await reopened.eventsOf('p2')).map((event) => event.id)).toEqual(['e2']);
    await reopened.close();
  });

  it("lists live profiles' records and hands records encoded, as the full reads give them, after a merge and a reopen", async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await store.commit(change(1, ['crm:1'], 'p1'));
    await store.commit(change(2, ['crm:2', 'crm:3'], 'p2'));
    const merged = ['crm:1', 'crm:2', 'crm:3'];
    await store.commit({
      ...change(3, [], 'p1'),
      profiles: [{ id: 'p1', seq: 3, records: merged, edges: [] }],
      retired: [{ id: 'p2', mergedInto: 'p1' }],
    });
    const check = async (reader: EmbeddedStore) => {
      const lists = await reader.profileRecords(['p1', 'p2', 'p9']);
      expect(Object.fromEntries(lists)).toEqual({ p1: merged });
      expect(lists.get('p1')).toEqual((await reader.getProfiles(['p1'])).get('p1')?.records);
      const encoded = await reader.getEncodedRecords([...merged, 'crm:9']);
      expect([...encoded.keys()]).toEqual(merged);
      const records = await reader.getRecords(merged);
      for (const ref of merged) expect(decodeRecord(ref, encoded.get(ref) as string)).toEqual(records.get(ref));
    };
    await check(store);
    await store.close();
    const reopened = await EmbeddedStore.open(dir);
    await check(reopened);
    await reopened.close();
  });

  it('writes a packed record from its packed form, never decoding it', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    const rules = rulesFrom().compiled;
    const packed = packRecord(record('crm:1', ['email=ann@x.com']), rules);
    const staged = {
      packed,
      get record(): PreparedRecord {
        throw new Error('decoded');
      },
      get blockKeys(): string[] {
        throw new Error('decoded');
      },
    };
    await store.commit({ ...change(1, ['crm:1'], 'p1'), upserts: [staged], firstLoad: true });
    await store.close();
    const reopened = await EmbeddedStore.open(dir);
    expect((await reopened.getRecords(['crm:1'])).get('crm:1')).toEqual(record('crm:1', ['email=ann@x.com']));
    expect((await reopened.holdersOf(['email\u0001ann@x.com'])).get('email\u0001ann@x.com')).toEqual(['crm:1']);
    await reopened.close();
  });

  it('reads after bulk commits, between them and after a later commit as a reopened store does', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    const bulk = (commit: number, refs: string[], id: string) => ({ ...change(commit, refs, id), firstLoad: true });
    await store.commit(bulk(1, ['crm:1'], 'p1'));
    expect(await store.lastCommit()).toBe(1);
    // Two reads at once share one catch-up; a read between bulk commits, then more bulk commits.
    const [first, second] = await Promise.all([store.profileIdsOf(['crm:1']), store.getRecords(['crm:1'])]);
    expect(first.get('crm:1')).toBe('p1');
    expect(second.size).toBe(1);
    await store.commit(bulk(2, ['crm:2'], 'p2'));
    // A read while a bulk commit is being written waits for it, then applies both bulk commits once.
    const committing = store.commit(bulk(3, ['crm:3', 'crm:4'], 'p3'));
    await new Promise((resolve) => setImmediate(resolve));
    const during = await store.profileIdsOf(['crm:2', 'crm:3']);
    await committing;
    expect(Object.fromEntries(during)).toEqual({ 'crm:2': 'p2', 'crm:3': 'p3' });
    expect(await store.lastCommit()).toBe(3);
    // A commit applied at once, after the bulk ones it must first catch up on.
    await store.commit({
      ...change(4, [], 'p2'),
      profiles: [{ id: 'p2', seq: 4, records: ['crm:2', 'crm:3', 'crm:4'], edges: [] }],
      retired: [{ id: 'p3', mergedInto: 'p2' }],
    });
    const seen = async (reader: EmbeddedStore) => ({
      last: await reader.lastCommit(),
      profiles: Object.fromEntries(await reader.profileRecords(['p1', 'p2', 'p3'])),
      owners: Object.fromEntries(await reader.profileIdsOf(['crm:1', 'crm:2', 'crm:3', 'crm:4'])),
      holders: Object.fromEntries(await reader.holdersOf(['email\u0001crm:4@x.com'])),
      redirected: (await reader.findProfile('p3'))?.redirectedFrom,
      events: (await reader.eventsOf('p3')).map((event) => event.id),
      merged: (await reader.eventsOf('p2')).map((event) => event.id),
    });
    const live = await seen(store);
    expect(live).toEqual({
      last: 4,
      profiles: { p1: ['crm:1'], p2: ['crm:2', 'crm:3', 'crm:4'] },
      owners: { 'crm:1': 'p1', 'crm:2': 'p2', 'crm:3': 'p2', 'crm:4': 'p2' },
      holders: { 'email\u0001crm:4@x.com': ['crm:4'] },
      redirected: 'p3',
      events: ['e3'],
      merged: ['e2', 'e4'],
    });
    await store.close();
    const reopened = await EmbeddedStore.open(dir);
    expect(await seen(reopened)).toEqual(live);
    await reopened.close();
  });

  it('cuts a torn last line (a commit that was never acknowledged) and goes on appending', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await store.commit(change(1, ['crm:1'], 'p1'));
    await store.close();
    const wal = join(dir, 'wal.ndjson');
    const intact = (await stat(wal)).size;
    await appendFile(wal, '0badc0de {"commit":2,"at":"2026');

    const recovered = await EmbeddedStore.open(dir);
    expect(await recovered.lastCommit()).toBe(1);
    expect((await stat(wal)).size).toBe(intact);
    await recovered.commit(change(2, ['crm:2'], 'p2'));
    await recovered.close();

    const again = await EmbeddedStore.open(dir);
    expect(await again.lastCommit()).toBe(2);
    await again.close();
  });

  it('rejects a line whose checksum does not match, even when it is complete', async () => {
    const dir = await tempDir();
    const store = await EmbeddedStore.open(dir);
    await store.commit(change(1, ['crm:1'], 'p1'));
    await store.commit(change(2, ['crm:2'], 'p2'));
    await store.close();
    const wal = join(dir, 'wal.ndjson');
    const lines = (await readFile(wal, 'utf8')).split('\n');
    lines[1] = (lines[1] as string).replace('crm:2', 'crm:9');
    await writeFile(wal, lines.join('\n'));

    const recovered = await EmbeddedStore.open(dir);
    expect(await recovered.lastCommit()).toBe(1);
    await recovered.close();
  });

  it('refuses a commit that does not follow the last one', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    await expect(store.commit(change(2, ['crm:1'], 'p1'))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    await store.close();
  });

  it('refuses a folder another live process holds, and takes over a stale lock', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'LOCK'), String(process.ppid));
    await expect(EmbeddedStore.open(dir)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    await writeFile(join(dir, 'LOCK'), '999999999');
    const store = await EmbeddedStore.open(dir);
    await store.close();
  });

  it('follows merged profile IDs to the survivor', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    await store.commit(change(1, ['crm:1'], 'p1'));
    await store.commit(change(2, ['crm:2'], 'p2'));
    await store.commit({
      ...change(3, [], 'p1'),
      profiles: [{ id: 'p1', seq: 1, records: ['crm:1', 'crm:2'], edges: [] }],
      retired: [{ id: 'p2', mergedInto: 'p1' }],
      events: [],
    });
    const found = await store.findProfile('p2');
    expect(found?.profile.id).toBe('p1');
    expect(found?.redirectedFrom).toBe('p2');
    expect((await store.profileIdsOf(['crm:2'])).get('crm:2')).toBe('p1');
    expect(await store.existingProfileIds(['p1', 'p2', 'p3'])).toEqual(new Set(['p1', 'p2']));
    await store.close();
  });
});
