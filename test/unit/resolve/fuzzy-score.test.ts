/** The quick decision finding components uses agrees with scoring a pair in full. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledFuzzyRule } from '../../../src/core/resolve/compiled-rules.js';
import { compareKeysOf, reachesMinScore, scorePair } from '../../../src/core/resolve/fuzzy-score.js';
import { rulesFrom } from '../../support/engine.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

const fuzzyRules = (rules: { rules: readonly { kind: string }[] }) =>
  rules.rules.filter((rule): rule is CompiledFuzzyRule => rule.kind === 'fuzzy');

// Small pools, so that pairs often agree, nearly agree (typos, nicknames) or lack a field.
const firstNames = ['robert', 'bob', 'rob', 'roberta', 'ann', 'anne', 'anna', 'jon', 'john'];
const lastNames = ['smith', 'smyth', 'smit', 'jones', 'jonas'];
const dobs = ['1980-01-02', '1980-02-01', '1975-06-30'];
const emails = ['ann.lee@gmail.com', 'ann.lee@gmial.com', 'annlee@gmail.com', 'bob@shop.io'];
const postcodes = ['SW1A1AA', 'SW1A1AB', '10115'];

const optional = (pool: readonly string[]) => fc.option(fc.constantFrom(...pool), { nil: undefined });
const person = fc
  .record({
    first_name: optional(firstNames),
    last_name: optional(lastNames),
    dob: optional(dobs),
    postcode: optional(postcodes),
    emails: fc.subarray(emails, { maxLength: 2 }),
  })
  .map(({ emails: held, ...attributes }) =>
    record(
      'crm:p',
      held.map((email) => `email=${email}`),
      Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Record<
        string,
        string
      >,
    ),
  );

/** A rule with a date comparator and a weight for a missing surname, beside the shipped ones. */
const datedRule = fuzzyRules(
  testRules({
    rules: [
      {
        id: 'dated',
        kind: 'fuzzy',
        blocking: [['postcode']],
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
            missing_weight: -1.5,
          },
          {
            field: 'dob',
            comparator: 'date',
            levels: [
              { within: 'exact', weight: 4 },
              { within: 'typo', weight: 2 },
              { within: 'within_1_year', weight: 0.5 },
            ],
            else_weight: -4,
          },
        ],
        min_score: 6,
      },
    ],
  }),
)[0] as CompiledFuzzyRule;

describe('reachesMinScore', () => {
  const rules = [...fuzzyRules(rulesFrom().compiled), ...fuzzyRules(testRules()), datedRule];

  it('decides as scorePair does, for every fuzzy rule', () => {
    fc.assert(
      fc.property(person, person, (a, b) => {
        for (const rule of rules) {
          const full = scorePair(a, b, rule).score >= rule.minScore;
          expect(reachesMinScore(compareKeysOf(a, rule), compareKeysOf(b, rule), rule)).toBe(full);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds both matches and non-matches among those pairs', () => {
    const rule = fuzzyRules(rulesFrom().compiled)[0] as CompiledFuzzyRule;
    const keys = (first: string, dob: string, email: string) =>
      compareKeysOf(
        record('crm:x', [`email=${email}`], { first_name: first, last_name: 'smith', dob, postcode: 'SW1A1AA' }),
        rule,
      );
    expect(
      reachesMinScore(
        keys('bob', '1980-01-02', 'ann.lee@gmail.com'),
        keys('robert', '1980-01-02', 'ann.lee@gmial.com'),
        rule,
      ),
    ).toBe(true);
    expect(
      reachesMinScore(keys('bob', '1980-01-02', 'ann.lee@gmail.com'), keys('anna', '1975-06-30', 'bob@shop.io'), rule),
    ).toBe(false);
  });
});

describe('date comparator and missing weight', () => {
  const score = (a: Record<string, string>, b: Record<string, string>) =>
    scorePair(record('crm:a', [], a), record('crm:b', [], b), datedRule).score;
  const ann = { first_name: 'ann', last_name: 'lee', postcode: 'SW1A1AA' };

  it.each([
    { description: 'the same date', dob: '1980-01-02', other: '1980-01-02', expected: 3 + 3 + 4 },
    { description: 'a year typo (1820 for 1828)', dob: '1828-01-02', other: '1820-01-02', expected: 3 + 3 + 2 },
    { description: 'day and month swapped', dob: '1980-01-02', other: '1980-02-01', expected: 3 + 3 + 2 },
    { description: 'months apart', dob: '1980-01-02', other: '1980-06-20', expected: 3 + 3 + 0.5 },
    { description: 'decades apart', dob: '1980-01-02', other: '1950-07-09', expected: 3 + 3 - 4 },
  ])('$description', ({ dob, other, expected }) => {
    expect(score({ ...ann, dob }, { ...ann, dob: other })).toBe(expected);
  });

  it('adds the missing weight when a side has no surname, and nothing when the rule sets none', () => {
    const { last_name: _, ...nameless } = ann;
    expect(score({ ...ann, dob: '1980-01-02' }, { ...nameless, dob: '1980-01-02' })).toBe(3 - 1.5 + 4);
    // first_name has no missing_weight: its absence adds nothing.
    const { first_name: __, ...noFirst } = ann;
    expect(score({ ...ann, dob: '1980-01-02' }, { ...noFirst, dob: '1980-01-02' })).toBe(3 + 4);
  });
});
