/**
 * Review candidates, a pure output of resolution: fuzzy pairs in a review band, merges a protection
 * refused (each reason), matches short only of a shared value; never a pair that ends together, one
 * a manual decision keeps apart or links, or a second pair between the same two profiles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledRules } from '../../../src/core/resolve/compiled-rules.js';
import { resolveRecords } from '../../../src/core/resolve/resolve-records.js';
import { NO_TERM_FREQUENCIES } from '../../../src/core/resolve/term-frequencies.js';
import type { Decision, PreparedRecord } from '../../../src/core/resolve/types.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

const resolve = (records: PreparedRecord[], rules: CompiledRules, decisions: Decision[] = []) =>
  resolveRecords({ records, rules, decisions, isHub: () => false, frequencies: NO_TERM_FREQUENCIES });

/** The test rules with a review band from 4 under the fuzzy rule (min_score 7). */
const banded = (reviewFrom: number | null = 4) =>
  testRules({
    rules: [
      { id: 'email', kind: 'deterministic', match: ['email'] },
      { id: 'phone_first_name', kind: 'deterministic', match: ['phone', 'first_name'] },
      { id: 'device', kind: 'deterministic', match: ['device_id'] },
      {
        id: 'name_postcode',
        kind: 'fuzzy',
        blocking: [['postcode', 'soundex(last_name)']],
        compare: [
          {
            field: 'first_name',
            comparator: 'jaro_winkler',
            levels: [{ min_similarity: 0.9, weight: 3 }],
            else_weight: -3,
          },
          {
            field: 'last_name',
            comparator: 'jaro_winkler',
            levels: [{ min_similarity: 0.9, weight: 3 }],
            else_weight: -3,
          },
          { field: 'dob', comparator: 'exact', weight: 2, else_weight: -5 },
        ],
        min_score: 7,
        ...(reviewFrom === null ? {} : { review_from: reviewFrom }),
      },
    ],
  });

const person = (ref: string, first: string, extra: Record<string, string> = {}, ids: string[] = []) =>
  record(ref, ids, { first_name: first, last_name: 'lee', postcode: 'n19gu', ...extra });

describe('review candidates', () => {
  it('makes a score_band candidate of a fuzzy pair scoring in the band, with its score and threshold', () => {
    // Same names, no birth dates: 3 + 3 = 6, in [4, 7).
    const out = resolve([person('crm:2', 'ann'), person('crm:1', 'ann')], banded());
    expect(out.clusters).toEqual([['crm:1'], ['crm:2']]);
    expect(out.review).toEqual([
      { a: 'crm:1', b: 'crm:2', kind: 'score_band', rule: 'name_postcode', score: 6, threshold: 7 },
    ]);
  });

  it('makes none without a band, below it, or for a pair that matches', () => {
    expect(resolve([person('crm:1', 'ann'), person('crm:2', 'ann')], banded(null)).review).toEqual([]);
    // Different first names: -3 + 3 = 0.
    expect(resolve([person('crm:1', 'ann'), person('crm:2', 'zoe')], banded()).review).toEqual([]);
    const match = resolve(
      [person('crm:1', 'ann', { dob: '1980-01-01' }), person('crm:2', 'ann', { dob: '1980-01-01' })],
      banded(),
    );
    expect(match.clusters).toEqual([['crm:1', 'crm:2']]);
    expect(match.review).toEqual([]);
  });

  it('makes a refused candidate for each protection: identifier limit, never-merge field, size cap, guard', () => {
    const limit = resolve(
      [record('crm:1', ['email=a@x.co', 'ssn=1']), record('crm:2', ['email=a@x.co', 'ssn=2'])],
      banded(),
    );
    expect(limit.review).toEqual([
      { a: 'crm:1', b: 'crm:2', kind: 'refused', rule: 'email', reason: 'identifier_limit' },
    ]);
    const conflicting = resolve(
      [
        record('crm:1', ['email=a@x.co'], { dob: '1980-01-01' }),
        record('crm:2', ['email=a@x.co'], { dob: '1990-01-01' }),
      ],
      banded(),
    );
    expect(conflicting.review).toMatchObject([{ kind: 'refused', rule: 'email', reason: 'conflicting_value' }]);
    const capped = resolve(
      [
        record('crm:1', ['email=a@x.co'], {}, 1),
        record('crm:2', ['email=a@x.co'], {}, 2),
        record('crm:3', ['email=a@x.co'], {}, 3),
      ],
      testRules({ constraints: { max_profile_records: 2 } }),
    );
    expect(capped.clusters).toEqual([['crm:1', 'crm:2'], ['crm:3']]);
    expect(capped.review).toEqual([
      { a: 'crm:1', b: 'crm:3', kind: 'refused', rule: 'email', reason: 'profile_size_cap' },
    ]);
    const guarded = resolve(
      [record('crm:2', ['phone=+441'], { first_name: 'bob' }), record('crm:1', ['phone=+441'], { first_name: 'ann' })],
      testRules({ rules: [{ id: 'phone', kind: 'deterministic', match: ['phone'], must_not_differ: ['first_name'] }] }),
    );
    // The guard's side follows the record once the pair is in reference order: ann is crm:1's, a.
    expect(guarded.review).toEqual([
      {
        a: 'crm:1',
        b: 'crm:2',
        kind: 'refused',
        rule: 'phone',
        reason: 'guard_conflict',
        field: 'first_name',
        conflict: { field: 'first_name', comparator: 'exact', value: 'ann', side: 'a', others: ['bob'] },
      },
    ]);
  });

  it('gives a refused fuzzy pair its score', () => {
    const out = resolve(
      [
        person('crm:1', 'ann', {}, ['email=a@x.co', 'ssn=1']),
        person('crm:2', 'ann', {}, ['ssn=2']),
        person('crm:3', 'ann', {}, ['email=a@x.co']),
      ],
      testRules({
        rules: [
          { id: 'email', kind: 'deterministic', match: ['email'] },
          {
            id: 'names',
            kind: 'fuzzy',
            blocking: [['postcode']],
            compare: [{ field: 'first_name', comparator: 'exact', weight: 5 }],
            min_score: 5,
          },
        ],
      }),
    );
    // crm:2 scores a match with crm:1's profile, whose ssn differs: one profile may hold one.
    expect(out.review).toEqual([
      { a: 'crm:1', b: 'crm:2', kind: 'refused', rule: 'names', reason: 'identifier_limit', score: 5, threshold: 5 },
    ]);
  });

  it('makes a shared_value candidate where the shared value is all a rule of several fields lacks', () => {
    // One landline, three people by first name: shared. The two Anns agree on phone and first name.
    const records = [
      record('crm:1', ['phone=+441'], { first_name: 'ann' }, 1),
      record('crm:2', ['phone=+441'], { first_name: 'bob' }, 2),
      record('crm:3', ['phone=+441'], { first_name: 'cid' }, 3),
      record('pos:1', ['phone=+441'], { first_name: 'ann' }, 4),
    ];
    const out = resolve(records, banded());
    expect(out.shared.get('phone\u0001+441')).toBe(true);
    expect(out.clusters).toEqual([['crm:1'], ['crm:2'], ['crm:3'], ['pos:1']]);
    expect(out.review).toEqual([
      { a: 'crm:1', b: 'pos:1', kind: 'refused', rule: 'phone_first_name', reason: 'shared_value', field: 'phone' },
    ]);
  });

  it('makes none for a rule on the shared value alone: a family tablet says only that it is shared', () => {
    const out = resolve(
      [
        record('app:1', ['device_id=d1'], { first_name: 'kim' }),
        record('app:2', ['device_id=d1'], { first_name: 'lou' }),
      ],
      banded(),
    );
    expect(out.shared.get('device_id\u0001d1')).toBe(true);
    expect(out.review).toEqual([]);
  });

  it('makes a shared_value candidate of a fuzzy pair that reaches min_score only when a shared value counts', () => {
    const rules = testRules({
      rules: [
        {
          id: 'email_name',
          kind: 'fuzzy',
          blocking: [['last_name']],
          compare: [
            { field: 'email', comparator: 'exact', weight: 4 },
            { field: 'first_name', comparator: 'exact', weight: 3 },
          ],
          min_score: 7,
        },
      ],
    });
    // A mailbox three people use (shared_after 3): for the two Anns it is all that is missing.
    const out = resolve(
      [
        record('crm:1', ['email=fam@x.co'], { first_name: 'ann', last_name: 'lee' }),
        record('crm:2', ['email=fam@x.co'], { first_name: 'ann', last_name: 'lee' }),
        record('crm:3', ['email=fam@x.co'], { first_name: 'bob', last_name: 'lee' }),
        record('crm:4', ['email=fam@x.co'], { first_name: 'cid', last_name: 'lee' }),
      ],
      rules,
    );
    expect(out.shared.get('email\u0001fam@x.co')).toBe(true);
    expect(out.review).toEqual([
      {
        a: 'crm:1',
        b: 'crm:2',
        kind: 'refused',
        rule: 'email_name',
        reason: 'shared_value',
        field: 'email',
        score: 3,
        threshold: 7,
      },
    ]);
  });

  it('makes none for pairs a manual decision keeps apart or links', () => {
    const pair = [person('crm:1', 'ann'), person('crm:2', 'ann')];
    const apart: Decision = { id: 'd1', kind: 'keep_apart', sideA: ['crm:1'], sideB: ['crm:2'] };
    expect(resolve(pair, banded(), [apart]).review).toEqual([]);
    const linked = resolve(pair, banded(), [{ id: 'd2', kind: 'force_link', a: 'crm:1', b: 'crm:2' }]);
    expect(linked.clusters).toEqual([['crm:1', 'crm:2']]);
    expect(linked.review).toEqual([]);
    // Kept apart by a split of their profiles: no record of the pair is named, the profiles' sides are.
    const four = [...pair, record('crm:3', ['email=a@x.co'], {}, 9), person('crm:4', 'ann', {}, ['email=a@x.co'])];
    const split: Decision = { id: 'd3', kind: 'keep_apart', sideA: ['crm:1'], sideB: ['crm:3'] };
    const pairs = (decisions: Decision[]) =>
      resolve(four, banded(), decisions).review.map((candidate) => [candidate.a, candidate.b]);
    expect(pairs([])).toEqual([
      ['crm:1', 'crm:2'],
      ['crm:1', 'crm:4'],
      ['crm:2', 'crm:4'],
    ]);
    expect(pairs([split])).toEqual([
      ['crm:1', 'crm:2'],
      ['crm:2', 'crm:4'],
    ]);
  });

  it('makes one candidate per pair of profiles: the first found in priority order', () => {
    // crm:1 and crm:3 are one profile by email, and both score in the (wide) band with crm:2.
    const out = resolve(
      [
        person('crm:1', 'ann', {}, ['email=a@x.co']),
        person('crm:3', 'ann', {}, ['email=a@x.co']),
        person('crm:2', 'ann', { last_name: 'lea' }),
      ],
      banded(-10),
    );
    expect(out.clusters).toEqual([['crm:1', 'crm:3'], ['crm:2']]);
    expect(out.review).toHaveLength(1);
    expect(out.review[0]).toMatchObject({ a: 'crm:1', b: 'crm:2', kind: 'score_band' });
  });

  it('finds the same candidates whatever order the records come in', () => {
    const records = [
      person('crm:1', 'ann', {}, ['email=a@x.co', 'ssn=1']),
      person('crm:2', 'ann', {}, ['email=a@x.co', 'ssn=2']),
      person('crm:3', 'anne'),
      person('crm:4', 'ann', { dob: '1980-01-01' }, ['phone=+441']),
      record('crm:5', ['phone=+441'], { first_name: 'bob' }),
      record('crm:6', ['phone=+441'], { first_name: 'cid' }),
      record('crm:7', ['phone=+441'], { first_name: 'ann' }),
    ];
    const expected = resolve(records, banded()).review;
    expect(expected.length).toBeGreaterThanOrEqual(3);
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: records.length }), (shuffled) => {
        expect(resolve(shuffled, banded()).review).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});
