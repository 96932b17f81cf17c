/**
 * The overview's running figures: kept current commit by commit, they must equal the figures counted
 * afresh over the whole graph, whatever the commits did (merges, moves, splits, never-links, an
 * unmerge, new rules), and the refreshes must not read the whole graph again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommittedChange, Engine } from '../../../src/engine/engine.js';
import { type OverviewSnapshot, OverviewTally } from '../../../src/queries/overview/overview-tally.js';
import { OverviewTotals } from '../../../src/queries/overview/overview-totals.js';
import type { ProfileTally } from '../../../src/queries/overview/profile-tally.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../../src/store/graph-store.js';
import { generateRecords } from '../../../src/synth/generate.js';
import { engineOn, rulesFrom } from '../../support/engine.js';
import { withStoreMethods } from '../../support/store-methods.js';
import { useTempDirs } from '../../support/temp-dir.js';
import { steppingClock } from './households.js';

const tempDir = useTempDirs();
const rules = rulesFrom();

/** What the overview shows, in plain values, so two snapshots compare with toEqual. */
function figures(snapshot: OverviewSnapshot) {
  return {
    commit: snapshot.commit,
    stats: snapshot.totals.stats(0),
    identifiers: snapshot.totals.identifiers(),
    conflicts: snapshot.totals.conflicts(),
    trend: snapshot.trend.trend(),
  };
}

/** The real store, with a count of whole-graph reads (profiles(), and eventCounts() from the start). */
function countingWholeReads(store: GraphStore) {
  const reads = { profiles: 0, eventCounts: 0 };
  const counted = withStoreMethods(store, {
    profiles: (profiles) => {
      reads.profiles++;
      return profiles();
    },
    eventCounts: (eventCounts, afterCommit, upTo) => {
      if (afterCommit === 0) reads.eventCounts++;
      return eventCounts(afterCommit, upTo);
    },
  });
  return { counted, reads };
}

function synthBatches(records: number, batches: number): Map<string, Record<string, unknown>[]>[] {
  const all = [...generateRecords({ seed: 11, records })];
  const size = Math.ceil(all.length / batches);
  return Array.from({ length: batches }, (_, index) => {
    const bySource = new Map<string, Record<string, unknown>[]>();
    for (const record of all.slice(index * size, (index + 1) * size)) {
      const rows = bySource.get(record.source) ?? [];
      rows.push(record.fields);
      bySource.set(record.source, rows);
    }
    return bySource;
  });
}

async function ingestAll(engine: Engine, batch: Map<string, Record<string, unknown>[]>) {
  for (const [source, rows] of batch) await engine.ingest(source, rows);
}

describe('OverviewTally', () => {
  it('kept current commit by commit, equals the figures counted afresh, without reading the whole graph again', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const engine = engineOn(store, rules, steppingClock().clock);
    const { counted, reads } = countingWholeReads(store);
    const kept = new OverviewTally(() => ({ store: counted, rules: engine.readSide().rules }));
    const batches = synthBatches(3_000, 6);

    await ingestAll(engine, batches[0] as Map<string, Record<string, unknown>[]>);
    await kept.current();
    expect(reads).toEqual({ profiles: 1, eventCounts: 1 });

    for (const batch of batches.slice(1)) {
      await ingestAll(engine, batch);
      await kept.current();
    }
    // Manual decisions: split the largest profile, keep two of its records apart, then unmerge a merge.
    const largest = (await kept.current()).totals.stats(0).largestProfiles[0];
    expect(largest?.records).toBeGreaterThan(2);
    const members = (await store.getProfiles([largest?.profileId as string])).get(largest?.profileId as string);
    const [a, b] = members?.records ?? [];
    await engine.split(largest?.profileId as string, [a as string], { actor: 'user:test' });
    await kept.current();
    await engine.neverLink(a as string, b as string, { actor: 'user:test' });
    await kept.current();
    let merge: string | undefined;
    for await (const event of store.allEvents()) if (event.kind === 'merge') merge = event.id;
    if (merge) {
      await engine.unmerge(merge, { actor: 'user:test' });
      await kept.current();
    }
    await ingestAll(engine, synthBatches(300, 1)[0] as Map<string, Record<string, unknown>[]>);

    const incremental = figures(await kept.current());
    expect(reads).toEqual({ profiles: 1, eventCounts: 1 });
    const afresh = figures(await new OverviewTally(() => ({ store, rules: engine.readSide().rules })).current());
    expect(incremental).toEqual(afresh);
    // The figures are of this graph: its records, and the three decisions made.
    let records = 0;
    for await (const _ of store.records()) records++;
    expect(afresh.stats.records).toBe(records);
    expect(afresh.trend.reduce((sum, day) => sum + day.decisions, 0)).toBe(merge ? 3 : 2);
    expect(afresh.identifiers.identifiers).toBeGreaterThan(afresh.stats.profiles);
    await store.close();
  }, 60_000);

  it("folds in this process's commits without reading them back, and reads only from a commit another process wrote", async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const engine = engineOn(store, rules, steppingClock().clock);
    // Another API instance writing to the same graph: its commits are not this tally's to hear of.
    const other = engineOn(store, rules, steppingClock().clock);
    const reads: string[] = [];
    const counted = withStoreMethods(store, {
      profilesChangedSince: (profilesChangedSince, commit) => {
        reads.push(`changed since ${commit}`);
        return profilesChangedSince(commit);
      },
      getProfiles: (getProfiles, ids) => {
        reads.push('profiles');
        return getProfiles(ids);
      },
      eventCounts: (eventCounts, after, upTo) => {
        reads.push(`events ${after}-${upTo}`);
        return eventCounts(after, upTo);
      },
    });
    const kept = new OverviewTally(() => ({ store: counted, rules: engine.readSide().rules }));
    engine.onCommit((commit) => kept.committed(commit));
    const afresh = async () =>
      figures(await new OverviewTally(() => ({ store, rules: engine.readSide().rules })).current());
    const [first, ...rest] = synthBatches(2_000, 4);
    await ingestAll(engine, first as Map<string, Record<string, unknown>[]>);
    await kept.current();
    reads.length = 0;

    // This process's commits of every kind: new records, a record whose name changes in place (its
    // profile's conflicts change, its membership does not), a split, a never-link, an erasure.
    for (const batch of rest.slice(0, 2)) await ingestAll(engine, batch);
    await engine.ingest('crm', [
      { customer_id: 'own-1', email: 'ann.lee@gmail.com', first_name: 'Ann', last_name: 'Lee' },
      { customer_id: 'own-2', email: 'ann.lee@gmail.com', first_name: 'Ann', last_name: 'Lee' },
      { customer_id: 'own-3', email: 'bo.kim@gmail.com', first_name: 'Bo', last_name: 'Kim' },
    ]);
    await engine.ingest('crm', [
      { customer_id: 'own-2', email: 'ann.lee@gmail.com', first_name: 'Anna', last_name: 'Lee' },
    ]);
    const largest = (await kept.current()).totals.stats(0).largestProfiles[0];
    const members = (await store.getProfiles([largest?.profileId as string])).get(largest?.profileId as string);
    const [a, b] = members?.records ?? [];
    await engine.split(largest?.profileId as string, [a as string], { actor: 'user:test' });
    await engine.neverLink(a as string, b as string, { actor: 'user:test' });
    const bo = (await store.profileIdsOf(['crm:own-3'])).get('crm:own-3') as string;
    await engine.erase([bo], { actor: 'user:test' });
    const own = figures(await kept.current());
    expect(reads).toEqual([]);
    expect(own).toEqual(await afresh());
    expect(own.conflicts.byField).toMatchObject({ first_name: expect.any(Number) });

    // Another process commits, then this one: the refresh reads from the other's commit on, once.
    const before = (await kept.current()).commit;
    await ingestAll(other, rest[2] as Map<string, Record<string, unknown>[]>);
    await engine.ingest('crm', [
      { customer_id: 'own-1', email: 'ann.lee@gmail.com', first_name: 'Anne', last_name: 'Lee' },
    ]);
    const mixed = figures(await kept.current());
    expect(reads[0]).toBe(`changed since ${before}`);
    expect(reads.at(-1)).toBe(`events ${before}-${mixed.commit}`);
    expect(mixed).toEqual(await afresh());
    reads.length = 0;
    await engine.ingest('crm', [{ customer_id: 'own-4', email: 'cy.doe@gmail.com', first_name: 'Cy' }]);
    expect(figures(await kept.current())).toEqual(await afresh());
    expect(reads).toEqual([]);

    // This process commits, then another: one refresh folds the first and reads from the second on,
    // counting each commit's events once.
    const held = (await kept.current()).commit;
    await engine.ingest('crm', [{ customer_id: 'own-5', email: 'di.fox@gmail.com', first_name: 'Di' }]);
    await other.ingest('crm', [{ customer_id: 'other-1', email: 'eve.ng@gmail.com', first_name: 'Eve' }]);
    const folded = figures(await kept.current());
    expect(reads[0]).toBe(`changed since ${held + 1}`);
    expect(folded).toEqual(await afresh());
    await store.close();
  }, 60_000);

  it('waits a moment for a commit of this process seen in the store before the engine told of it', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const engine = engineOn(store, rules, steppingClock().clock);
    let reads = 0;
    const counted = withStoreMethods(store, {
      profilesChangedSince: (profilesChangedSince, commit) => {
        reads++;
        return profilesChangedSince(commit);
      },
    });
    const kept = new OverviewTally(() => ({ store: counted, rules: engine.readSide().rules }));
    const heard: CommittedChange[] = [];
    engine.onCommit((commit) => heard.push(commit));
    await engine.ingest('crm', [{ customer_id: 'c1', email: 'ann.lee@gmail.com' }]);
    await kept.current();
    await engine.ingest('crm', [{ customer_id: 'c2', email: 'ann.lee@gmail.com' }]);
    // The store has the commit; the tally hears of it only once its refresh has looked at the store.
    const asked = kept.current();
    setImmediate(() => kept.committed(heard.at(-1) as CommittedChange));
    const snapshot = figures(await asked);
    expect(reads).toBe(0);
    expect(snapshot).toEqual(
      figures(await new OverviewTally(() => ({ store, rules: engine.readSide().rules })).current()),
    );
    expect(snapshot.stats.profiles).toBe(1);
    await store.close();
  });

  it('gives the event loop turns while it counts, so a service answers requests during a refresh', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const engine = engineOn(store, rules, steppingClock().clock);
    // More profiles than one batch of the count: 6,000 records make some 2,000.
    for (const batch of synthBatches(6_000, 2)) await ingestAll(engine, batch);
    const kept = new OverviewTally(() => engine.readSide());
    // A request arriving as the count starts: its callback runs at the event loop's next turn.
    const order: string[] = [];
    setImmediate(() => order.push('request'));
    await kept.current().then(() => order.push('counted'));
    expect(order).toEqual(['request', 'counted']);

    // The refresh after a commit reads the touched profiles by ID, and gives a turn too.
    await engine.ingest('crm', [{ customer_id: 'late-1', email: 'late.one@x.co', country: 'GB' }]);
    const refreshed: string[] = [];
    setImmediate(() => refreshed.push('request'));
    await kept.current().then(() => refreshed.push('refreshed'));
    expect(refreshed).toEqual(['request', 'refreshed']);
    await store.close();
  }, 60_000);

  it('in the background reads small batches and rests after each, until a caller asks for the figures', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const engine = engineOn(store, rules, steppingClock().clock);
    await ingestAll(engine, synthBatches(1_000, 1)[0] as Map<string, Record<string, unknown>[]>);
    const batches: number[] = [];
    const counted = withStoreMethods(store, {
      getProfiles: (getProfiles, ids) => {
        batches.push(ids.length);
        return getProfiles(ids);
      },
    });
    // Each rest lasts until it is ended, so the test sees where the refresh waits.
    const rests: number[] = [];
    const restUntilEnded = (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        rests.push(ms);
        signal.addEventListener('abort', () => resolve());
      });
    const kept = new OverviewTally(() => ({ store: counted, rules: engine.readSide().rules }), restUntilEnded);
    await kept.current();
    // 700 new people: 700 profiles touched, more than three batches of a refresh giving way.
    const newcomers = Array.from({ length: 700 }, (_, n) => ({ customer_id: `new-${n}`, email: `new.${n}@x.co` }));
    await engine.ingest('crm', newcomers);

    batches.length = 0;
    let done = false;
    const background = kept.refresh({ background: true }).then(() => {
      done = true;
    });
    while (rests.length === 0 && !done) await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    expect(batches).toEqual([200]);
    // Twice as long as the batch took, which took some time.
    expect(rests[0]).toBeGreaterThan(0);

    // A page asks: the rest ends, the refresh reads the rest at full speed, and the figures are current.
    const asked = figures(await kept.current());
    await background;
    expect(rests).toHaveLength(1);
    expect(batches).toEqual([200, 500]);
    const afresh = figures(await new OverviewTally(() => ({ store, rules: engine.readSide().rules })).current());
    expect(asked).toEqual(afresh);
    await store.close();
  }, 60_000);

  it('counts afresh when the rules change, since they say which attributes conflict', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const engine = engineOn(store, rules, steppingClock().clock);
    await engine.ingest('crm', [
      { customer_id: 'c1', email: 'ann.lee@gmail.com', first_name: 'Ann', last_name: 'Lee' },
      { customer_id: 'c2', email: 'ann.lee@gmail.com', first_name: 'Anna', last_name: 'Lee' },
    ]);
    const kept = new OverviewTally(() => engine.readSide());
    expect((await kept.current()).totals.conflicts()).toMatchObject({ profiles: 1, byField: { first_name: 1 } });
    const withoutNames = rulesFrom(
      rules.text.replace('first_name: { normalizer: person_name }', 'first_name: { normalizer: text }'),
    );
    await engine.applyRules(withoutNames, 'user:test');
    expect((await kept.current()).totals.conflicts()).toMatchObject({ profiles: 0 });
    await store.close();
  });
});

describe('OverviewTotals', () => {
  const tallyArbitrary: fc.Arbitrary<ProfileTally> = fc.record(
    {
      records: fc.integer({ min: 1, max: 300 }),
      edgeRules: fc.array(fc.constantFrom('email', 'phone', 'fuzzy'), { maxLength: 4 }),
      identifierKeys: fc.uniqueArray(
        fc.tuple(fc.constantFrom('email', 'phone'), fc.integer({ min: 0, max: 9 })).map(([t, n]) => `${t}\u0001${n}`),
        { maxLength: 4 },
      ),
      conflicts: fc.dictionary(fc.constantFrom('first_name', 'dob'), fc.integer({ min: 2, max: 4 }), { minKeys: 1 }),
    },
    { requiredKeys: ['records', 'edgeRules', 'identifierKeys'] },
  );
  const operation = fc.oneof(
    fc.record({ put: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'), tally: tallyArbitrary }),
    fc.record({ drop: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5') }),
  );

  it('after any puts and drops, equals totals built from the profiles left', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        const running = new OverviewTotals(['first_name', 'dob']);
        const left = new Map<string, ProfileTally>();
        for (const op of operations) {
          if ('put' in op) {
            running.put(op.put, op.tally);
            left.set(op.put, op.tally);
          } else {
            running.drop(op.drop);
            left.delete(op.drop);
          }
        }
        const fresh = new OverviewTotals(['first_name', 'dob']);
        for (const [id, tally] of left) fresh.put(id, tally);
        expect(running.stats(0)).toEqual(fresh.stats(0));
        expect(running.identifiers()).toEqual(fresh.identifiers());
        expect(running.conflicts()).toEqual(fresh.conflicts());
        // And the counts themselves are right: distinct keys over the profiles left.
        const keys = new Set([...left.values()].flatMap((tally) => tally.identifierKeys));
        expect(running.identifiers().identifiers).toBe(keys.size);
        expect(running.stats(0).records).toBe([...left.values()].reduce((sum, tally) => sum + tally.records, 0));
      }),
    );
  });
});
