/** Guarded rules (must_not_differ) judged between profiles, and compared fields in deterministic rules. */
import { describe, expect, it } from 'vitest';
import type { CompiledRules } from '../../../src/core/resolve/compiled-rules.js';
import { resolveRecords } from '../../../src/core/resolve/resolve-records.js';
import { NO_TERM_FREQUENCIES } from '../../../src/core/resolve/term-frequencies.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

const resolve = (records: PreparedRecord[], rules: CompiledRules) =>
  resolveRecords({ records, rules, decisions: [], isHub: () => false, frequencies: NO_TERM_FREQUENCIES });

/** Email first, then phone alone unless first names or birth dates differ. */
const guardedPhone = (guard: unknown = 'first_name') =>
  testRules({
    rules: [
      { id: 'email', kind: 'deterministic', match: ['email'] },
      { id: 'phone', kind: 'deterministic', match: ['phone'], must_not_differ: [guard, 'dob'] },
    ],
  });

describe('guarded deterministic rules', () => {
  it('links on the phone when a side has no name: an absent value does not block', () => {
    const out = resolve(
      [record('crm:1', ['phone=+441'], { first_name: 'ann' }), record('pos:1', ['phone=+441'])],
      guardedPhone(),
    );
    expect(out.clusters).toEqual([['crm:1', 'pos:1']]);
  });

  it('refuses a phone link between two different first names, and says why', () => {
    const out = resolve(
      [record('crm:1', ['phone=+441'], { first_name: 'ann' }), record('crm:2', ['phone=+441'], { first_name: 'bob' })],
      guardedPhone(),
    );
    expect(out.clusters).toEqual([['crm:1'], ['crm:2']]);
    expect(out.refusals).toEqual([
      {
        a: 'crm:1',
        b: 'crm:2',
        rule: 'phone',
        reason: 'guard_conflict',
        conflict: { field: 'first_name', comparator: 'exact', value: 'ann', side: 'a', others: ['bob'] },
      },
    ]);
  });

  it('keeps a nameless receipt from chaining two people who share a landline', () => {
    // Ann and Bob each link to the receipt on their own; once it is in Ann's profile, Bob's cannot follow.
    const out = resolve(
      [
        record('crm:ann', ['phone=+441'], { first_name: 'ann' }, 1),
        record('pos:receipt', ['phone=+441'], {}, 2),
        record('crm:bob', ['phone=+441'], { first_name: 'bob' }, 3),
      ],
      guardedPhone(),
    );
    expect(out.clusters).toEqual([['crm:ann', 'pos:receipt'], ['crm:bob']]);
    expect(out.refusals.map((refusal) => refusal.reason)).toEqual(['guard_conflict']);
  });

  it('judges the profiles, not the two records: a nameless record brings its profile name', () => {
    // app:1 has no name, but its email ties it to Bob; the phone it shares with Ann does not join them.
    const out = resolve(
      [
        record('crm:bob', ['email=bob@x.com'], { first_name: 'bob' }),
        record('app:1', ['email=bob@x.com', 'phone=+441']),
        record('crm:ann', ['phone=+441'], { first_name: 'ann' }),
      ],
      guardedPhone(),
    );
    expect(out.clusters).toEqual([['app:1', 'crm:bob'], ['crm:ann']]);
    expect(out.refusals[0]?.conflict?.field).toBe('first_name');
  });

  it('needs every name of each profile to fit one of the other: a mixed profile cannot absorb a third', () => {
    // A mailbox two people share (below shared_after) joins Ann and Bob; the phone Bob's record shares
    // with another Ann may not join them, since "bob" fits no name of hers.
    const out = resolve(
      [
        record('crm:1', ['email=family@x.com'], { first_name: 'ann' }),
        record('crm:2', ['email=family@x.com', 'phone=+441'], { first_name: 'bob' }),
        record('crm:3', ['phone=+441'], { first_name: 'ann' }),
      ],
      guardedPhone(),
    );
    expect(out.clusters).toEqual([['crm:1', 'crm:2'], ['crm:3']]);
    expect(out.refusals[0]?.conflict).toMatchObject({ field: 'first_name', value: 'bob' });
  });

  it('compares with the named comparator: nicknames and Jaro-Winkler agree, other names do not', () => {
    const pair = (a: string, b: string) => [
      record('crm:1', ['phone=+441'], { first_name: a }),
      record('crm:2', ['phone=+441'], { first_name: b }),
    ];
    const nickname = guardedPhone({ field: 'first_name', comparator: 'nickname' });
    expect(resolve(pair('richard', 'rick'), nickname).clusters).toHaveLength(1);
    expect(resolve(pair('richard', 'rickard'), nickname).clusters).toHaveLength(2);
    const similar = guardedPhone({ field: 'first_name', comparator: 'jaro_winkler', min_similarity: 0.85 });
    expect(resolve(pair('jon', 'john'), similar).clusters).toHaveLength(1);
    expect(resolve(pair('richard', 'rick'), similar).clusters).toHaveLength(2);
    expect(resolve(pair('jon', 'ben'), similar).clusters).toHaveLength(2);
  });

  it('checks every guard: the same name with two birth dates is refused', () => {
    const out = resolve(
      [
        record('crm:1', ['phone=+441'], { first_name: 'ann', dob: '1990-01-01' }),
        record('crm:2', ['phone=+441'], { first_name: 'ann', dob: '1991-01-01' }),
      ],
      testRules({
        rules: [{ id: 'phone', kind: 'deterministic', match: ['phone'], must_not_differ: ['first_name', 'dob'] }],
        constraints: {},
      }),
    );
    expect(out.clusters).toHaveLength(2);
    expect(out.refusals[0]?.conflict).toMatchObject({ field: 'dob', value: '1990-01-01', others: ['1991-01-01'] });
  });
});

describe('compared fields in a deterministic rule', () => {
  const phoneAndName = testRules({
    rules: [
      {
        id: 'phone_first_name',
        kind: 'deterministic',
        match: ['phone', { field: 'first_name', comparator: 'nickname' }],
      },
    ],
  });

  it('links Richard and Rick on one phone, with the names as evidence', () => {
    const out = resolve(
      [
        record('crm:1', ['phone=+441'], { first_name: 'richard' }),
        record('crm:2', ['phone=+441'], { first_name: 'rick' }),
        record('crm:3', ['phone=+441'], { first_name: 'ben' }),
        record('crm:4', ['phone=+441']),
      ],
      phoneAndName,
    );
    expect(out.clusters).toEqual([['crm:1', 'crm:2'], ['crm:3'], ['crm:4']]);
    expect(out.edges[0]?.evidence).toEqual([
      { field: 'phone', values: ['+441'] },
      { field: 'first_name', values: ['richard', 'rick'], comparator: 'nickname' },
    ]);
  });

  it('links through a member that agrees with two others that do not agree with each other', () => {
    const similar = testRules({
      rules: [
        {
          id: 'phone_first_name',
          kind: 'deterministic',
          match: ['phone', { field: 'first_name', comparator: 'jaro_winkler', min_similarity: 0.9 }],
        },
      ],
    });
    const out = resolve(
      [
        record('crm:1', ['phone=+441'], { first_name: 'katherine' }, 1),
        record('crm:2', ['phone=+441'], { first_name: 'kathryn' }, 2),
        record('crm:3', ['phone=+441'], { first_name: 'katharine' }, 3),
      ],
      similar,
    );
    expect(out.clusters).toEqual([['crm:1', 'crm:2', 'crm:3']]);
  });
});

describe('guarded fuzzy rules', () => {
  const fuzzy = (guards?: unknown[]) =>
    testRules({
      rules: [
        {
          id: 'surname_dob',
          kind: 'fuzzy',
          blocking: [['postcode']],
          compare: [
            { field: 'last_name', comparator: 'exact', weight: 4 },
            { field: 'dob', comparator: 'exact', weight: 4 },
          ],
          min_score: 8,
          ...(guards ? { must_not_differ: guards } : {}),
        },
      ],
    });
  // Twins: one surname, one birth date, one address; their names only differ.
  const twins = [
    record('crm:1', [], { first_name: 'ann', last_name: 'lee', dob: '1990-01-01', postcode: 'SW1A 1AA' }),
    record('crm:2', [], { first_name: 'bob', last_name: 'lee', dob: '1990-01-01', postcode: 'SW1A 1AA' }),
  ];

  it('refuses a fuzzy match between two profiles whose first names differ, when the rule says so', () => {
    expect(resolve(twins, fuzzy()).clusters).toHaveLength(1);
    const guarded = resolve(twins, fuzzy(['first_name']));
    expect(guarded.clusters).toHaveLength(2);
    expect(guarded.refusals[0]).toMatchObject({ rule: 'surname_dob', reason: 'guard_conflict' });
  });
});
