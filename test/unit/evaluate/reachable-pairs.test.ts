import { describe, expect, it } from 'vitest';
import { type LabelledRecord, reachableGroups, scoreReachable } from '../../../src/core/evaluate/reachable-pairs.js';

const record = (ref: string, person: string, keys: string[], traits: string[] = []): LabelledRecord => ({
  ref,
  person,
  keys,
  traits,
});
const refsOf = (records: LabelledRecord[], groups: number[][]) =>
  groups.map((group) => group.map((index) => records[index]?.ref).sort()).sort();

describe('reachableGroups', () => {
  it('joins one person’s records through a chain of clean keys', () => {
    const records = [
      record('crm:1', 'alice', ['email:a@x', 'phone:1']),
      record('web:1', 'alice', ['cookie:c1', 'email:a@x']),
      record('web:2', 'alice', ['cookie:c1']),
      record('pos:1', 'alice', ['phone:1']),
    ];
    expect(refsOf(records, reachableGroups(records))).toEqual([['crm:1', 'pos:1', 'web:1', 'web:2']]);
  });

  it('does not chain through a key two people use (a household landline)', () => {
    const records = [
      record('crm:1', 'alice', ['email:a@x', 'phone:home']),
      record('pos:1', 'alice', ['phone:home']),
      record('crm:2', 'bob', ['email:b@x', 'phone:home']),
      record('web:1', 'alice', ['email:a@x']),
    ];
    // pos:1 only carries the shared landline: it is reachable from nothing.
    expect(refsOf(records, reachableGroups(records))).toEqual([['crm:1', 'web:1']]);
  });

  it('leaves out singletons and records without keys', () => {
    const records = [record('web:1', 'alice', ['cookie:c1']), record('app:1', 'alice', [])];
    expect(reachableGroups(records)).toEqual([]);
  });
});

describe('scoreReachable', () => {
  const records = [
    record('crm:1', 'alice', ['email:a@x', 'phone:1']),
    record('web:1', 'alice', ['email:a@x', 'cookie:c']),
    record('pos:1', 'alice', ['phone:1'], ['nameless_phone', 'household']),
    record('web:2', 'alice', ['cookie:c', 'email:w@corp'], ['work_email']),
    record('crm:2', 'bob', ['email:b@x']),
    record('web:3', 'bob', ['email:b@x']),
  ];
  const groups = reachableGroups(records);

  it('scores all reachable pairs linked as recall 1', () => {
    const predicted = new Map(records.map((r) => [r.ref, r.person]));
    expect(scoreReachable(records, groups, predicted)).toEqual({
      reachablePairs: 7,
      linkedPairs: 7,
      recall: 1,
      missedByTrait: {},
    });
  });

  it('counts missed pairs by the first trait of the part cut off', () => {
    const predicted = new Map([
      ['crm:1', 'P1'],
      ['web:1', 'P1'],
      ['pos:1', 'P2'],
      ['web:2', 'P3'],
      ['crm:2', 'P4'],
      // web:3 is missing (a rejected row): a profile of its own.
    ]);
    const score = scoreReachable(records, groups, predicted, ['nameless_phone', 'work_email']);
    // alice: 6 pairs, 1 linked (crm:1-web:1); bob: 1 pair, missed.
    expect(score.reachablePairs).toBe(7);
    expect(score.linkedPairs).toBe(1);
    expect(score.recall).toBeCloseTo(1 / 7);
    // P1|P2: 2 pairs, cut-off pos:1 (nameless_phone); P1|P3: 2 pairs (work_email); P2|P3: 1 pair,
    // tie in size -> first part (pos:1, nameless_phone); bob's pair has no trait.
    expect(score.missedByTrait).toEqual({ nameless_phone: 3, work_email: 2, other: 1 });
  });
});
