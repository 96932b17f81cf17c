/**
 * Group commit: ingest calls made while a commit is written share the next commit, each caller
 * answered with its own counts once that commit is durable; the partition is the one the same calls
 * made one after the other give. On a real embedded store.
 */
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { OpenGroups } from '../../../src/engine/commit/open-groups.js';
import { unionCalls } from '../../../src/engine/commit/union-calls.js';
import type { CommittedChange, IngestResult } from '../../../src/engine/engine.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../../src/store/graph-store.js';
import { generateRecords } from '../../../src/synth/generate.js';
import { DEFAULT_RULES_TEXT, engineOn, openEngine, partition, rulesFrom, storeOf } from '../../support/engine.js';
import { withStoreMethods } from '../../support/store-methods.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const crm = (id: string, fields: Record<string, string> = {}) => ({ customer_id: id, country: 'GB', ...fields });

/** The commits an engine writes from now on. */
function commitsOf(engine: { onCommit(listener: (commit: CommittedChange) => void): void }): CommittedChange[] {
  const commits: CommittedChange[] = [];
  engine.onCommit((commit) => commits.push(commit));
  return commits;
}

async function recordCount(store: GraphStore): Promise<number> {
  let count = 0;
  for await (const _ of store.records()) count++;
  return count;
}

describe('group commit', () => {
  it('writes 50 concurrent one-record calls in far fewer commits, each call with its own outcome', async () => {
    const engine = await openEngine(await tempDir());
    const store = storeOf(engine);
    const commits = commitsOf(engine);
    const calls: Promise<IngestResult>[] = [];
    for (let n = 0; n < 50; n++) {
      // Call 17 has no key; call 23's email is a placeholder (refused, the record kept).
      const row =
        n === 17
          ? { email: 'no-key@x.co' }
          : crm(`c${n}`, { email: n === 23 ? 'test@test.com' : `person${n % 20}@x.co` });
      calls.push(engine.ingest('crm', [row], 'api'));
      // Calls keep coming while the first commits are written.
      if (n % 10 === 9) await setImmediate();
    }
    const results = await Promise.all(calls);

    // Five runs of ten calls made at once: at most one commit each (a run may join the group before).
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.length).toBeLessThanOrEqual(5);
    expect(commits.reduce((sum, commit) => sum + commit.records, 0)).toBe(49);
    expect(await recordCount(store)).toBe(49);
    results.forEach((result, n) => {
      if (n === 17) {
        expect(result).toMatchObject({ accepted: 0, commit: undefined });
        expect(result.rejected).toEqual([{ index: 0, reason: 'MISSING_KEY', field: 'customer_id' }]);
      } else {
        expect(result).toMatchObject({ accepted: 1, unchanged: 0, rejected: [], contested: [] });
        expect(result.commit).toBeGreaterThan(0);
      }
      if (n === 23) expect(result.refusals).toEqual([{ field: 'email', reason: 'JUNK_VALUE' }]);
      else expect(result.refusals).toEqual([]);
    });
    // person0@x.co .. person19@x.co: 20 profiles, the placeholder's record one of its own.
    expect((await partition(store)).length).toBe(21);
    await store.close();
  });

  it('keeps the later call’s version of a record two calls of one commit carry, and tells both', async () => {
    const engine = await openEngine(await tempDir());
    const store = storeOf(engine);
    const commits = commitsOf(engine);
    const [first, second, other] = await Promise.all([
      engine.ingest('crm', [crm('c1', { first_name: 'Ann', email: 'ann@x.co' })]),
      engine.ingest('crm', [crm('c1', { first_name: 'Anne', email: 'anne@x.co' })]),
      engine.ingest('web', [{ session_id: 's1', email: 'anne@x.co' }]),
    ]);
    expect(commits.map((commit) => commit.records)).toEqual([2]);
    expect(first?.contested).toEqual(['crm:c1']);
    expect(second?.contested).toEqual(['crm:c1']);
    expect(other?.contested).toEqual([]);
    expect((await store.getRecords(['crm:c1'])).get('crm:c1')?.fields).toMatchObject({
      first_name: 'Anne',
      email: 'anne@x.co',
    });
    // Calls of two sources shared the commit: the web record joined the later version by email.
    expect(await partition(store)).toEqual([['crm:c1', 'web:s1']]);
    await store.close();
  });

  it('gives the partition the same calls give one after the other', async () => {
    const rows = [...generateRecords({ seed: 7, records: 300 })];
    const serial = await openEngine(await tempDir());
    for (const record of rows) await serial.ingest(record.source, [record.fields]);

    const grouped = await openEngine(await tempDir());
    const commits = commitsOf(grouped);
    const calls: Promise<IngestResult>[] = [];
    for (const [n, record] of rows.entries()) {
      calls.push(grouped.ingest(record.source, [record.fields]));
      if (n % 7 === 6) await setImmediate();
    }
    await Promise.all(calls);

    expect(commits.length).toBeGreaterThan(1);
    expect(commits.length).toBeLessThan(rows.length / 3);
    const expected = await partition(storeOf(serial));
    expect(expected.length).toBeLessThan(rows.length);
    expect(await partition(storeOf(grouped))).toEqual(expected);
    await storeOf(serial).close();
    await storeOf(grouped).close();
  });

  it('answers a call only once its record is in the store on disk, as another reader opening it finds', async () => {
    const folder = await tempDir();
    const engine = await openEngine(folder);
    const seen: Promise<{ ref: string; commit: number | undefined; found: boolean; readerCommit: number }>[] = [];
    const calls: Promise<IngestResult>[] = [];
    for (let n = 0; n < 12; n++) {
      const call = engine.ingest('crm', [crm(`c${n}`, { email: `p${n}@x.co` })]);
      calls.push(call);
      seen.push(
        call.then(async (result) => {
          // A reader of its own, from the files, opened the moment the call is answered.
          const reader = await EmbeddedStore.openReadOnly(folder);
          try {
            const found = (await reader.getRecords([`crm:c${n}`])).has(`crm:c${n}`);
            return { ref: `crm:c${n}`, commit: result.commit, found, readerCommit: await reader.lastCommit() };
          } finally {
            await reader.close();
          }
        }),
      );
      if (n % 3 === 2) await setImmediate();
    }
    for (const check of await Promise.all(seen)) {
      expect(check.found).toBe(true);
      expect(check.readerCommit).toBeGreaterThanOrEqual(check.commit as number);
    }
    await storeOf(engine).close();
  });

  it('does not merge calls of different actors: each commit records one actor', async () => {
    const engine = await openEngine(await tempDir());
    const store = storeOf(engine);
    const commits = commitsOf(engine);
    await Promise.all([
      engine.ingest('crm', [crm('c1', { email: 'ann@x.co' })], 'alice'),
      engine.ingest('crm', [crm('c2', { email: 'bob@x.co' })], 'bob'),
      engine.ingest('crm', [crm('c3', { email: 'cat@x.co' })], 'alice'),
    ]);
    expect(commits.map((commit) => commit.records)).toEqual([2, 1]);
    const actorOf = async (ref: string) => {
      const profile = (await store.profileIdsOf([ref])).get(ref) as string;
      return (await store.eventsOf(profile))[0]?.actor;
    };
    expect([await actorOf('crm:c1'), await actorOf('crm:c2'), await actorOf('crm:c3')]).toEqual([
      'alice',
      'bob',
      'alice',
    ]);
    await store.close();
  });

  it('commits a call made after another operation after that operation, not in a group queued before it', async () => {
    const engine = await openEngine(await tempDir());
    const store = storeOf(engine);
    await engine.ingest('crm', [crm('c1', { email: 'ann@x.co' }), crm('c2', { email: 'bob@x.co' })]);
    const commits = commitsOf(engine);
    const order: string[] = [];
    await Promise.all([
      engine.ingest('crm', [crm('c3', { email: 'cat@x.co' })]).then(() => order.push('c3')),
      engine.link('crm:c1', 'crm:c2', { actor: 'tester' }).then(() => order.push('link')),
      engine.ingest('crm', [crm('c4', { email: 'ann@x.co' })]).then(() => order.push('c4')),
    ]);
    expect(order).toEqual(['c3', 'link', 'c4']);
    expect(commits.map((commit) => commit.records)).toEqual([1, 0, 1]);
    expect(await partition(store)).toEqual([['crm:c1', 'crm:c2', 'crm:c4'], ['crm:c3']]);
    await store.close();
  });

  it('refuses every call of a group when the rules are not the ones in force', async () => {
    const folder = await tempDir();
    const engine = await openEngine(folder);
    await engine.ingest('crm', [crm('c1', { email: 'ann@x.co' })]);
    const store = storeOf(engine);
    const changed = rulesFrom(DEFAULT_RULES_TEXT.replace('shared_after: 3', 'shared_after: 4'));
    const stale = engineOn(store, changed);
    const outcomes = await Promise.allSettled([
      stale.ingest('crm', [crm('c2', { email: 'ann@x.co' })]),
      stale.ingest('crm', [crm('c3', { email: 'bob@x.co' })]),
    ]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'RULES_MISMATCH' } });
    }
    expect(await recordCount(store)).toBe(1);
    await store.close();
  });

  it('tries each call alone when a grouped commit fails for a reason of one call, so the others still commit', async () => {
    const real = await EmbeddedStore.open(await tempDir());
    // The store refuses any commit holding crm:poison, as a database might refuse one call's values.
    const store = withStoreMethods(real, {
      commit: async (commit, change) => {
        if (change.upserts.some(({ record }) => record.ref === 'crm:poison')) throw new Error('value refused');
        return commit(change);
      },
    });
    const engine = engineOn(store, rulesFrom());
    const commits = commitsOf(engine);
    await engine.ingest('crm', [crm('c0', { email: 'zed@x.co' })]);
    const outcomes = await Promise.allSettled([
      engine.ingest('crm', [crm('c1', { email: 'ann@x.co' })]),
      engine.ingest('crm', [crm('poison', { email: 'ann@x.co' })]),
      engine.ingest('crm', [crm('c2', { email: 'ann@x.co' })]),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { message: 'value refused' } });
    expect(commits.map((commit) => commit.records)).toEqual([1, 1, 1]);
    expect(await partition(real)).toEqual([['crm:c0'], ['crm:c1', 'crm:c2']]);
    await real.close();
  });
});

describe('unionCalls', () => {
  const record = (ref: string, version: string) =>
    ({ ref, source: 'crm', recordId: ref, ts: 0, identifiers: [], attributes: {}, fields: { version } }) as const;

  it('keeps the latest call’s version of each record and lists, per call, the records others carried too', () => {
    const { records, contested } = unionCalls([
      new Map([
        ['crm:a', record('crm:a', '1')],
        ['crm:b', record('crm:b', '1')],
      ]),
      new Map([['crm:c', record('crm:c', '2')]]),
      new Map([['crm:a', record('crm:a', '3')]]),
      new Map([['crm:a', record('crm:a', '4')]]),
    ]);
    expect([...records.values()].map((kept) => `${kept.ref}@${kept.fields.version}`)).toEqual([
      'crm:a@4',
      'crm:b@1',
      'crm:c@2',
    ]);
    expect(contested).toEqual([['crm:a'], [], ['crm:a'], ['crm:a']]);
  });
});

describe('OpenGroups', () => {
  it('gathers calls of one key until the group is closed or full, and keys apart', () => {
    const groups = new OpenGroups<string>(3);
    const first = groups.join('api', 'a', 1);
    expect(first?.calls).toEqual(['a']);
    expect(groups.join('api', 'b', 2)).toBeUndefined();
    // Full: a call of 1 row more would pass 3 rows.
    const second = groups.join('api', 'c', 1);
    expect(second?.calls).toEqual(['c']);
    expect(first?.calls).toEqual(['a', 'b']);
    const other = groups.join('cli', 'd', 1);
    expect(other?.calls).toEqual(['d']);
    groups.close(second as NonNullable<typeof second>);
    expect(groups.join('api', 'e', 1)?.calls).toEqual(['e']);
    // A call larger than the bound is a group of its own.
    expect(groups.join('big', 'f', 10)?.calls).toEqual(['f']);
    groups.closeAll();
    expect(groups.join('cli', 'g', 1)?.calls).toEqual(['g']);
  });
});
