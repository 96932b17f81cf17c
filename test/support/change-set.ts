/**
 * A store commit for tests that write one by hand: what the test sets, and nothing else (no records,
 * profiles, decisions or events), at a fixed time under rules version v1.
 */
import type { ChangeSet } from '../../src/store/graph-store.js';
import { record } from './records.js';

export function changeSet(fields: Pick<ChangeSet, 'commit'> & Partial<ChangeSet>): ChangeSet {
  return {
    at: '2026-01-01T00:00:00.000Z',
    rulesVersion: 'v1',
    upserts: [],
    removals: [],
    profiles: [],
    retired: [],
    shared: [],
    decisionsAdded: [],
    decisionsRemoved: [],
    events: [],
    ...fields,
  };
}

/**
 * A commit of new records (each with an email of its own, `<ref>@x.com`) in one new profile, with
 * its profile_created event (`e<commit>`).
 */
export function newProfileChange(
  commit: number,
  refs: readonly string[],
  profileId: string,
  blockKeysOf: (ref: string) => string[] = () => [],
): ChangeSet {
  return changeSet({
    commit,
    upserts: refs.map((ref) => ({ record: record(ref, [`email=${ref}@x.com`]), blockKeys: blockKeysOf(ref) })),
    profiles: [{ id: profileId, seq: commit, records: [...refs], edges: [] }],
    events: [
      {
        id: `e${commit}`,
        kind: 'profile_created',
        at: '2026-01-01T00:00:00.000Z',
        actor: 'engine',
        rulesVersion: 'v1',
        before: [],
        after: [profileId],
        records: [...refs],
        evidence: [],
      },
    ],
  });
}
