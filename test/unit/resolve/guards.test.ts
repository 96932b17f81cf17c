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

describe('records_without: nameless records follow a value only while they are few among its records', () => {
  const limited = (maxShare: number) =>
    testRules({
      rules: [
        {
          id: 'phone',
          kind: 'deterministic',
          match: ['phone'],
          must_not_differ: ['first_name'],
          records_without: { field: 'first_name', max_share: maxShare },
        },
      ],
    });
  const named = (ref: string, ts: number) => record(ref, ['phone=+441'], { first_name: 'ann' }, ts);
  const nameless = (ref: string, ts: number) => record(ref, ['phone=+441'], {}, ts);

  it('links the nameless receipts of a line most of whose records name its person', () => {
    // One of three records lacks a name: a share of 1/3, within 0.34.
    const out = resolve([named('crm:1', 1), named('orders:1', 2), nameless('pos:1', 3)], limited(0.34));
    expect(out.clusters).toEqual([['crm:1', 'orders:1', 'pos:1']]);
  });

  it('keeps nameless receipts apart on a line given without a name as often as with one, and links the named', () => {
    // Two of four lack a name (1/2 > 0.34): the receipts may be another household member's.
    const out = resolve(
      [named('crm:1', 1), nameless('pos:1', 2), named('orders:1', 3), nameless('pos:2', 4)],
      limited(0.34),
    );
    expect(out.clusters).toEqual([['crm:1', 'orders:1'], ['pos:1'], ['pos:2']]);
    expect(out.refusals).toEqual([]);
  });

  it('counts the share per value: the same records link at a higher max_share', () => {
    const out = resolve(
      [named('crm:1', 1), nameless('pos:1', 2), named('orders:1', 3), nameless('pos:2', 4)],
      limited(0.5),
    );
    expect(out.clusters).toEqual([['crm:1', 'orders:1', 'pos:1', 'pos:2']]);
  });

  it('leaves records that reach a profile by other evidence to that evidence', () => {
    // The nameless app record joins Ann by its email; the phone rule then has nothing to refuse.
    const rules = testRules({
      rules: [
        { id: 'email', kind: 'deterministic', match: ['email'] },
        {
          id: 'phone',
          kind: 'deterministic',
          match: ['phone'],
          records_without: { field: 'first_name', max_share: 0 },
        },
      ],
    });
    const out = resolve(
      [
        record('crm:1', ['email=ann@x.com', 'phone=+441'], { first_name: 'ann' }, 1),
        record('app:1', ['email=ann@x.com', 'phone=+441'], {}, 2),
        record('pos:1', ['phone=+441'], {}, 3),
      ],
      rules,
    );
    expect(out.clusters).toEqual([['app:1', 'crm:1'], ['pos:1']]);
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
