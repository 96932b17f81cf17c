/**
 * Profiles as they were: rebuilt from history alone, they must equal the partition the store held
 * at that time, through merges, splits, record changes and manual decisions.
 */
import { describe, expect, it } from 'vitest';
import { profileAt } from '../../../src/queries/profile-at.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../../src/store/graph-store.js';
import { engineOn, partition, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

/** A clock that moves one minute per commit, so every commit has its own time. */
function steppingClock() {
  let minute = 0;
  const start = Date.parse('2026-03-01T09:00:00Z');
  return {
    clock: () => new Date(start + minute++ * 60_000),
    /** A time after everything committed so far and before anything to come. */
    now: () => new Date(start + (minute - 0.5) * 60_000).toISOString(),
  };
}

async function openSteppingEngine() {
  const time = steppingClock();
  const engine = engineOn(await EmbeddedStore.open(await tempDir()), rulesFrom(), time.clock);
  return { engine, time };
}

/** Every live profile and its records, as the store holds them now. */
async function snapshot(store: GraphStore): Promise<Map<string, string[]>> {
  const profiles = new Map<string, string[]>();
  for await (const profile of store.profiles()) profiles.set(profile.id, [...profile.records].sort());
  return profiles;
}

const crm = (id: string, fields: Record<string, string>) => ({ customer_id: id, country: 'GB', ...fields });

describe('profileAt', () => {
  it('follows a merge and a split through time', async () => {
    const { engine, time } = await openSteppingEngine();
    const store = storeOf(engine);
    const beforeAll = time.now();
    await engine.ingest('crm', [
      crm('c1', { email: 'ann.lee@shop.io' }),
      crm('c2', { email: 'a.lee@work.io', phone: '07911 123456', first_name: 'Ann' }),
    ]);
    const first = time.now();
    const p1 = (await store.profileIdsOf(['crm:c1'])).get('crm:c1') as string;
    const p2 = (await store.profileIdsOf(['crm:c2'])).get('crm:c2') as string;
    expect(p1).not.toBe(p2);

    await engine.ingest('crm', [crm('c3', { email: 'ann.lee@shop.io', phone: '07911 123456', first_name: 'Ann' })]);
    const merged = time.now();
    const survivor = (await store.profileIdsOf(['crm:c1'])).get('crm:c1') as string;
    const absorbed = survivor === p1 ? p2 : p1;

    await engine.split(survivor, ['crm:c2'], { actor: 'user:test' });
    const splitOff = (await store.profileIdsOf(['crm:c2'])).get('crm:c2') as string;

    expect(await profileAt(store, p1, beforeAll)).toBeUndefined();
    expect((await profileAt(store, p1, first))?.records).toEqual(['crm:c1']);
    expect((await profileAt(store, p2, first))?.records).toEqual(['crm:c2']);

    const afterMerge = await profileAt(store, absorbed, merged);
    expect(afterMerge).toMatchObject({ profileId: survivor, mergedFrom: absorbed });
    expect(afterMerge?.records).toEqual(['crm:c1', 'crm:c2', 'crm:c3']);
    expect(afterMerge?.events.map((event) => event.kind)).toContain('merge');

    const now = time.now();
    expect((await profileAt(store, survivor, now))?.records).toEqual(['crm:c1', 'crm:c3']);
    expect((await profileAt(store, splitOff, now))?.records).toEqual(['crm:c2']);
    // Asked about a time before the split, the split-off profile did not exist yet.
    if (splitOff !== p2) expect(await profileAt(store, splitOff, merged)).toBeUndefined();
    await store.close();
  });

  it('equals the partition of every past moment, over random ingests, changes and decisions', async () => {
    const { engine, time } = await openSteppingEngine();
    const store = storeOf(engine);
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const row = (id: number) => {
      const fields: Record<string, string> = {};
      if (random(4) > 0) fields.email = `person${random(40)}@mail${random(3)}.io`;
      if (random(3) === 0) {
        fields.phone = `07911 1${String(random(40)).padStart(5, '0')}`;
        fields.first_name = random(2) === 0 ? 'Sam' : 'Alex';
      }
      return crm(`c${id}`, fields);
    };
    const moments: { at: string; profiles: Map<string, string[]> }[] = [];
    let next = 0;
    for (let round = 0; round < 8; round++) {
      const rows = Array.from({ length: 25 }, () => row(next++));
      // Some rows change records seen before: their links may break (splits) or form (merges).
      for (let change = 0; change < 5; change++) rows.push(row(random(next)));
      await engine.ingest('crm', rows);
      if (round === 4) {
        const largest = [...(await snapshot(store))].sort((x, y) => y[1].length - x[1].length)[0];
        if (largest && largest[1].length > 1) {
          await engine.split(largest[0], [largest[1][0] as string], { actor: 'user:test' });
        }
      }
      moments.push({ at: time.now(), profiles: await snapshot(store) });
    }
    const merges = new Set<string>();
    for (const { at, profiles } of moments) {
      for (const [id, records] of profiles) {
        const view = await profileAt(store, id, at);
        expect({ id, at, records: view?.records, mergedFrom: view?.mergedFrom }).toEqual({
          id,
          at,
          records,
          mergedFrom: undefined,
        });
        for (const event of view?.events ?? []) if (event.kind === 'merge') merges.add(event.id);
      }
    }
    // The scenario must exercise merges and splits, or the comparison proves little.
    expect(merges.size).toBeGreaterThan(3);
    const kinds = new Set<string>();
    for (const [id] of moments.at(-1)?.profiles ?? [])
      for (const event of await store.eventsOf(id)) kinds.add(event.kind);
    expect(kinds).toContain('split');
    expect(moments.at(-1)?.profiles.size).toBe((await partition(store)).length);
    await store.close();
  });
});
