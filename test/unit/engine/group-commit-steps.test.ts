/**
 * GroupCommit on its own, through the steps it is handed (GroupCommitSteps) rather than a whole
 * engine: the change each group hands over, each call's own answer, which calls share a commit, and
 * which failures every call of a group gets. On a real embedded store and the real commit queue; the
 * engine's resolution is left out (its step writes the group's records, no profiles), so what these
 * tests see is what group commit decides, not what resolution makes of it.
 */
import { describe, expect, it } from 'vitest';
import { fuzzyRulesOf, recordBlockingKeys } from '../../../src/core/resolve/blocking.js';
import { identifierKey, type PreparedRecord, type RecordRef } from '../../../src/core/resolve/types.js';
import { CommitQueue } from '../../../src/engine/commit/commit-queue.js';
import { stage } from '../../../src/engine/commit/commit-steps.js';
import {
  GroupCommit,
  type GroupCommitSteps,
  type IngestResult,
  type RecordsChange,
} from '../../../src/engine/commit/group-commit.js';
import { EngineError } from '../../../src/engine/engine-error.js';
import { prepareEach } from '../../../src/engine/prepare/prepare-batch.js';
import type { FieldRefusal } from '../../../src/engine/prepare/prepare-record.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { StoreError } from '../../../src/store/store-error.js';
import { changeSet } from '../../support/change-set.js';
import { rulesFrom } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const rules = rulesFrom();

const crm = (id: string, fields: Record<string, string> = {}) => ({ customer_id: id, country: 'GB', ...fields });

/**
 * The steps as the engine wires them, on a real store, except that committing a change writes its
 * records alone (no resolution): `handed` lists every change handed over, in order.
 */
async function stepsOnStore() {
  const store = await EmbeddedStore.open(await tempDir());
  const handed: RecordsChange[] = [];
  const steps: GroupCommitSteps = {
    commits: new CommitQueue(store),
    requireRulesInForce: async () => undefined,
    prepareRows: (source, rows) => {
      const prepared = new Map<RecordRef, PreparedRecord>();
      const refusals: FieldRefusal[] = [];
      const keep = (record: PreparedRecord) => prepared.set(record.ref, record);
      const rejected = prepareEach(rules, source, rows, '2026-06-01', keep, (refusal) => refusals.push(refusal));
      return { prepared, rejected, refusals };
    },
    storedRecords: (refs) => store.getRecords(refs),
    fuzzyRules: () => fuzzyRulesOf(rules.compiled),
    commitChange: async (change) => {
      handed.push(change);
      await store.commit(
        changeSet({
          commit: change.commit,
          rulesVersion: rules.version,
          upserts: [...stage(change.upserts, rules).values()],
          staleBlockKeys: change.staleBlockKeys,
        }),
      );
      return { commit: change.commit, profilesCreated: change.unstored.length, merges: 0, splits: 0 };
    },
  };
  return { store, steps, handed };
}

/** A commit step held until released, which says when a change first reaches it. */
function held(commitChange: GroupCommitSteps['commitChange']) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached: () => void = () => undefined;
  const reachedFirst = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const step: GroupCommitSteps['commitChange'] = async (change) => {
    reached();
    await released;
    return commitChange(change);
  };
  return { step, reachedFirst, release };
}

const refsOf = (changes: readonly RecordsChange[]) => changes.map((change) => change.upserts.map(({ ref }) => ref));

describe('GroupCommit', () => {
  it('hands over one change per group: stored versions replaced, new records unstored, dropped values and old blocking keys', async () => {
    const { store, steps, handed } = await stepsOnStore();
    const group = new GroupCommit(steps);
    await group.ingest('crm', [crm('c1', { email: 'ann@x.co', last_name: 'Smith', postcode: 'N1 9GU' })], 'api');
    const stored = (await store.getRecords(['crm:c1'])).get('crm:c1') as PreparedRecord;

    await Promise.all([
      group.ingest('crm', [crm('c1', { email: 'anne@y.co', last_name: 'Smith', postcode: 'N1 9GU' })], 'api'),
      group.ingest('web', [{ session_id: 's1', email: 'anne@y.co' }], 'api'),
    ]);

    expect(refsOf(handed)).toEqual([['crm:c1'], ['crm:c1', 'web:s1']]);
    const change = handed[1] as RecordsChange;
    expect(change).toMatchObject({
      commit: 2,
      replaced: [stored],
      unstored: ['web:s1'],
      seeds: ['crm:c1', 'web:s1'],
      extraIdentifiers: [identifierKey('email', 'ann@x.co')],
      actor: 'api',
      splitCause: 'record_changed',
    });
    // The keys the stored version was filed under, not the new version's (the email changed).
    const staleKeys = recordBlockingKeys(stored, fuzzyRulesOf(rules.compiled));
    expect(staleKeys).not.toEqual(
      recordBlockingKeys(change.upserts[0] as PreparedRecord, fuzzyRulesOf(rules.compiled)),
    );
    expect(change.staleBlockKeys).toEqual([{ ref: 'crm:c1', keys: staleKeys }]);
    await store.close();
  });

  it('answers each call with its own counts, and with no commit a call none of whose records changed', async () => {
    const { store, steps, handed } = await stepsOnStore();
    const group = new GroupCommit(steps);
    await group.ingest('crm', [crm('c1', { email: 'ann@x.co' })], 'api');

    const [same, fresh] = await Promise.all([
      group.ingest('crm', [crm('c1', { email: 'ann@x.co' }), { email: 'no-key@x.co' }], 'api'),
      group.ingest('crm', [crm('c2', { email: 'test@test.com' })], 'api'),
    ]);
    expect(same).toEqual({
      accepted: 1,
      unchanged: 1,
      rejected: [{ index: 1, reason: 'MISSING_KEY', field: 'customer_id' }],
      refusals: [],
      contested: [],
      commit: undefined,
      profilesCreated: 0,
      merges: 0,
      splits: 0,
    } satisfies IngestResult);
    expect(fresh).toEqual({
      accepted: 1,
      unchanged: 0,
      rejected: [],
      refusals: [{ field: 'email', reason: 'JUNK_VALUE' }],
      contested: [],
      commit: 2,
      profilesCreated: 1,
      merges: 0,
      splits: 0,
    } satisfies IngestResult);
    expect(refsOf(handed)).toEqual([['crm:c1'], ['crm:c2']]);

    // A group that changes nothing hands nothing over, and the store gets no commit.
    const again = await group.ingest('crm', [crm('c2', { email: 'test@test.com' })], 'api');
    expect(again).toMatchObject({ accepted: 1, unchanged: 1, commit: undefined });
    expect(handed).toHaveLength(2);
    expect(await store.lastCommit()).toBe(2);
    await store.close();
  });

  it('gathers calls made while a commit is written into the next, one group per actor, none into a group closed', async () => {
    const { store, steps, handed } = await stepsOnStore();
    const hold = held(steps.commitChange);
    const group = new GroupCommit({ ...steps, commitChange: hold.step });
    const answered: Promise<IngestResult>[] = [group.ingest('crm', [crm('c1')], 'api')];
    await hold.reachedFirst;

    answered.push(group.ingest('crm', [crm('c2')], 'api'));
    answered.push(group.ingest('crm', [crm('c3')], 'cli'));
    answered.push(group.ingest('crm', [crm('c4')], 'api'));
    // Another kind of operation is queued here: a call made after it must not join a group before it.
    group.closeOpenGroups();
    answered.push(group.ingest('crm', [crm('c5')], 'api'));
    hold.release();

    const commits = (await Promise.all(answered)).map((result) => result.commit);
    expect(refsOf(handed)).toEqual([['crm:c1'], ['crm:c2', 'crm:c4'], ['crm:c3'], ['crm:c5']]);
    expect(handed.map((change) => change.actor)).toEqual(['api', 'api', 'cli', 'api']);
    expect(commits).toEqual([1, 2, 3, 2, 4]);
    await store.close();
  });

  it('gives every call of a group a failure all would meet, without trying any call alone', async () => {
    const { store, steps } = await stepsOnStore();
    let checks = 0;
    const mismatched = new GroupCommit({
      ...steps,
      requireRulesInForce: async () => {
        checks++;
        throw new EngineError('RULES_MISMATCH', 'the store was resolved under other rules');
      },
    });
    const refused = await Promise.allSettled([
      mismatched.ingest('crm', [crm('c1')], 'api'),
      mismatched.ingest('crm', [crm('c2')], 'api'),
    ]);
    expect(refused).toMatchObject([
      { status: 'rejected', reason: { code: 'RULES_MISMATCH' } },
      { status: 'rejected', reason: { code: 'RULES_MISMATCH' } },
    ]);
    expect(checks).toBe(1);

    let writes = 0;
    const unreachable = new GroupCommit({
      ...steps,
      commitChange: async () => {
        writes++;
        throw new StoreError('STORE_UNREACHABLE', 'the database does not answer');
      },
    });
    const lost = await Promise.allSettled([
      unreachable.ingest('crm', [crm('c1')], 'api'),
      unreachable.ingest('crm', [crm('c2')], 'api'),
    ]);
    expect(lost.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(writes).toBe(1);
    expect(await store.lastCommit()).toBe(0);
    await store.close();
  });

  it('tries each call alone when a grouped commit fails for what may be one call’s values, so the others commit', async () => {
    const { store, steps, handed } = await stepsOnStore();
    const tried: RecordRef[][] = [];
    const group = new GroupCommit({
      ...steps,
      commitChange: async (change) => {
        tried.push(change.upserts.map(({ ref }) => ref));
        if (change.upserts.some(({ ref }) => ref === 'crm:poison')) {
          throw new StoreError('STORE_FAILED', 'the database refused a value');
        }
        return steps.commitChange(change);
      },
    });
    const outcomes = await Promise.allSettled([
      group.ingest('crm', [crm('c1')], 'api'),
      group.ingest('crm', [crm('poison')], 'api'),
      group.ingest('crm', [crm('c2')], 'api'),
    ]);
    expect(outcomes).toMatchObject([
      { status: 'fulfilled', value: { commit: 1 } },
      { status: 'rejected', reason: { code: 'STORE_FAILED' } },
      { status: 'fulfilled', value: { commit: 2 } },
    ]);
    expect(tried).toEqual([['crm:c1', 'crm:poison', 'crm:c2'], ['crm:c1'], ['crm:poison'], ['crm:c2']]);
    expect(refsOf(handed)).toEqual([['crm:c1'], ['crm:c2']]);

    // A call alone that fails is answered with its failure, not tried a second time.
    tried.length = 0;
    await expect(group.ingest('crm', [crm('poison')], 'api')).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(tried).toEqual([['crm:poison']]);
    await store.close();
  });
});
