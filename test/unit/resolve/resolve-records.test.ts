import { describe, expect, it } from 'vitest';
import type { CompiledRules } from '../../../src/core/resolve/compiled-rules.js';
import { resolveRecords } from '../../../src/core/resolve/resolve-records.js';
import { NO_TERM_FREQUENCIES } from '../../../src/core/resolve/term-frequencies.js';
import type { Decision, PreparedRecord } from '../../../src/core/resolve/types.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

function resolve(records: PreparedRecord[], rules: CompiledRules = testRules(), decisions: Decision[] = []) {
  return resolveRecords({ records, rules, decisions, isHub: () => false, frequencies: NO_TERM_FREQUENCIES });
}

describe('resolveRecords', () => {
  it('joins records that share an identifier and keeps the others apart', () => {
    const out = resolve([
      record('crm:1', ['email=a@x.com']),
      record('crm:2', ['email=a@x.com', 'phone=+441']),
      record('crm:3', ['email=b@x.com']),
    ]);
    expect(out.clusters).toEqual([['crm:1', 'crm:2'], ['crm:3']]);
    expect(out.edges).toEqual([
      { a: 'crm:1', b: 'crm:2', rule: 'email', evidence: [{ field: 'email', values: ['a@x.com'] }] },
    ]);
  });

  it('joins transitively through different rules', () => {
    const out = resolve([
      record('crm:1', ['email=a@x.com']),
      record('crm:2', ['email=a@x.com', 'device_id=d1']),
      record('crm:3', ['device_id=d1']),
    ]);
    expect(out.clusters).toEqual([['crm:1', 'crm:2', 'crm:3']]);
    expect(out.edges.map((edge) => edge.rule)).toEqual(['email', 'device']);
  });

  it('needs every field of a multi-field rule: phone alone does not join', () => {
    const out = resolve([
      record('crm:1', ['phone=+441'], { first_name: 'anna' }),
      record('crm:2', ['phone=+441'], { first_name: 'anna' }),
      record('crm:3', ['phone=+441'], { first_name: 'ben' }),
    ]);
    expect(out.clusters).toEqual([['crm:1', 'crm:2'], ['crm:3']]);
  });

  it('stops using a value shared by as many people as the type allows (household landline)', () => {
    const household = ['anna', 'ben', 'carl'].map((name, i) =>
      record(`crm:${i}`, ['phone=+441', `email=${name}@x.com`], { first_name: name }),
    );
    const rules = testRules({
      rules: [{ id: 'phone', kind: 'deterministic', match: ['phone'] }],
    });
    expect(resolve(household, rules).clusters).toHaveLength(3);
    // Two people are below shared_after (3): the phone still links them.
    expect(resolve(household.slice(0, 2), rules).clusters).toHaveLength(1);
  });

  it('counts people by what stronger evidence already knows of each holder (family tablet)', () => {
    // Each tablet record names nobody, but their emails lead to CRM records of two different people.
    const out = resolve([
      record('crm:1', ['email=isla@x.com'], { first_name: 'isla' }),
      record('crm:2', ['email=jorg@x.com'], { first_name: 'jorg' }),
      record('app:1', ['email=isla@x.com', 'device_id=tab']),
      record('app:2', ['email=jorg@x.com', 'device_id=tab']),
    ]);
    expect(out.clusters).toEqual([
      ['app:1', 'crm:1'],
      ['app:2', 'crm:2'],
    ]);
    expect(out.shared.get('device_id\u0001tab')).toBe(true);
  });

  it('treats a hub value as no evidence without counting', () => {
    const records = [record('crm:1', ['email=ann@x.com']), record('crm:2', ['email=ann@x.com'])];
    const out = resolveRecords({
      records,
      rules: testRules(),
      decisions: [],
      isHub: () => true,
      frequencies: NO_TERM_FREQUENCIES,
    });
    expect(out.clusters).toHaveLength(2);
  });

  it('does not count one person with many sessions as many people', () => {
    const sessions = [1, 2, 3, 4, 5].map((i) => record(`web:${i}`, ['email=a@x.com', `device_id=d${i}`]));
    expect(resolve(sessions).clusters).toEqual([sessions.map((r) => r.ref).sort()]);
  });

  it('refuses a merge that would join two different values of a one-per-person field', () => {
    const out = resolve([
      record('crm:1', ['email=a@x.com'], { dob: '1990-01-01' }),
      record('crm:2', ['email=a@x.com'], { dob: '1985-05-05' }),
      record('crm:3', ['email=a@x.com']),
    ]);
    expect(out.clusters).toEqual([['crm:1', 'crm:3'], ['crm:2']]);
    expect(out.refusals).toContainEqual({ a: 'crm:1', b: 'crm:2', rule: 'email', reason: 'conflicting_value' });
  });

  it('lets a later member join the group cluster it does not contradict', () => {
    const out = resolve([
      record('crm:1', ['email=a@x.com'], { dob: '1990-01-01' }, 1),
      record('crm:2', ['email=a@x.com'], { dob: '1985-05-05' }, 2),
      record('crm:3', ['email=a@x.com'], { dob: '1985-05-05' }, 3),
    ]);
    expect(out.clusters).toEqual([['crm:1'], ['crm:2', 'crm:3']]);
  });

  it('honours max_per_profile of an identifier type', () => {
    const out = resolve([record('crm:1', ['email=a@x.com', 'ssn=1']), record('crm:2', ['email=a@x.com', 'ssn=2'])]);
    expect(out.clusters).toHaveLength(2);
    expect(out.refusals[0]?.reason).toBe('identifier_limit');
  });

  it('caps the profile size', () => {
    const rules = testRules({ constraints: { max_profile_records: 3 } });
    const records = [1, 2, 3, 4, 5].map((i) => record(`crm:${i}`, [`email=a@x.com`, `device_id=d${i}`]));
    const out = resolve(records, rules);
    expect(out.clusters.map((cluster) => cluster.length).sort()).toEqual([2, 3]);
    expect(out.refusals.some((refusal) => refusal.reason === 'profile_size_cap')).toBe(true);
  });

  it('keeps apart what a manual decision keeps apart, and links what one force-links', () => {
    const records = [
      record('crm:1', ['email=a@x.com']),
      record('crm:2', ['email=a@x.com']),
      record('crm:3', ['email=z@x.com']),
    ];
    const out = resolve(records, testRules(), [
      { id: 'd1', kind: 'keep_apart', sideA: ['crm:1'], sideB: ['crm:2'] },
      { id: 'd2', kind: 'force_link', a: 'crm:2', b: 'crm:3' },
    ]);
    expect(out.clusters).toEqual([['crm:1'], ['crm:2', 'crm:3']]);
    expect(out.edges).toContainEqual({ a: 'crm:2', b: 'crm:3', rule: 'manual_link', evidence: [] });
  });

  it('matches fuzzily within a block, with per-field evidence and the score', () => {
    const out = resolve([
      record('crm:1', [], { first_name: 'jonathan', last_name: 'smith', postcode: 'SW1A 1AA', dob: '1980-02-03' }),
      record('crm:2', [], { first_name: 'jonathon', last_name: 'smith', postcode: 'SW1A 1AA', dob: '1980-02-03' }),
      record('crm:3', [], { first_name: 'mary', last_name: 'smith', postcode: 'SW1A 1AA', dob: '1980-02-03' }),
      record('crm:4', [], { first_name: 'jonathan', last_name: 'smith', postcode: 'E1 6AN', dob: '1980-02-03' }),
    ]);
    expect(out.clusters).toEqual([['crm:1', 'crm:2'], ['crm:3'], ['crm:4']]);
    const edge = out.edges[0];
    expect(edge?.rule).toBe('name_postcode');
    expect(edge?.score).toBe(8);
    expect(edge?.evidence.map((item) => item.field)).toEqual(['first_name', 'last_name', 'dob']);
  });

  it('gives the same partition whatever order the records come in', () => {
    const records = [
      record('crm:1', ['email=a@x.com'], { dob: '1990-01-01' }),
      record('crm:2', ['email=a@x.com', 'device_id=d1'], { dob: '1985-05-05' }),
      record('crm:3', ['device_id=d1', 'email=c@x.com']),
      record('crm:4', ['email=c@x.com'], { dob: '1990-01-01' }),
    ];
    const expected = resolve(records).clusters;
    for (const order of [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ]) {
      expect(resolve(order.map((i) => records[i] as PreparedRecord)).clusters).toEqual(expected);
    }
  });
});

describe('nickname-aware comparison', () => {
  it('scores Bob and Robert as the same first name only when the comparison asks for it', () => {
    const withNicknames = (nicknames: boolean) =>
      testRules({
        rules: [
          {
            id: 'name_dob',
            kind: 'fuzzy',
            blocking: [['dob']],
            compare: [
              {
                field: 'first_name',
                comparator: 'jaro_winkler',
                nicknames,
                levels: [{ min_similarity: 0.95, weight: 4 }],
                else_weight: -4,
              },
              { field: 'last_name', comparator: 'exact', weight: 3 },
              { field: 'dob', comparator: 'exact', weight: 3 },
            ],
            min_score: 10,
          },
        ],
      });
    const records = [
      record('crm:1', [], { first_name: 'robert', last_name: 'smith', dob: '1978-11-12' }),
      record('crm:2', [], { first_name: 'bob', last_name: 'smith', dob: '1978-11-12' }),
    ];
    expect(
      resolveRecords({
        records,
        rules: withNicknames(true),
        decisions: [],
        isHub: () => false,
        frequencies: NO_TERM_FREQUENCIES,
      }).clusters,
    ).toHaveLength(1);
    expect(
      resolveRecords({
        records,
        rules: withNicknames(false),
        decisions: [],
        isHub: () => false,
        frequencies: NO_TERM_FREQUENCIES,
      }).clusters,
    ).toHaveLength(2);
  });
});
