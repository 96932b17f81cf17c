/** The quick decision finding components uses agrees with scoring a pair in full. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzyRulesOf } from '../../../src/core/resolve/blocking.js';
import type { CompiledFuzzyRule } from '../../../src/core/resolve/compiled-rules.js';
import { compareKeysOf, reachesMinScore, scorePair } from '../../../src/core/resolve/fuzzy-score.js';
import { NO_TERM_FREQUENCIES, TermCounts } from '../../../src/core/resolve/term-frequencies.js';
import { rulesFrom } from '../../support/engine.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

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
const datedRule = fuzzyRulesOf(
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

/**
 * Every comparator weighing term frequency, an identifier (several values a side) among them, with
 * a threshold the adjustments often decide: the level weights alone sum to 11 when all agree.
 */
const frequentRule = fuzzyRulesOf(
  testRules({
    rules: [
      {
        id: 'frequent',
        kind: 'fuzzy',
        blocking: [['postcode']],
        compare: [
          {
            field: 'first_name',
            comparator: 'jaro_winkler',
            levels: [
              { min_similarity: 0.95, weight: 2 },
              { min_similarity: 0.85, weight: 1 },
            ],
            nicknames: true,
            else_weight: -2,
            term_frequency: true,
            max_adjustment: 3,
          },
          {
            field: 'last_name',
            comparator: 'levenshtein',
            levels: [
              { max_distance: 0, weight: 3 },
              { max_distance: 1, weight: 1 },
            ],
            else_weight: -3,
            term_frequency: true,
          },
          {
            field: 'dob',
            comparator: 'date',
            levels: [
              { within: 'exact', weight: 3 },
              { within: 'typo', weight: 1 },
            ],
            else_weight: -2,
            term_frequency: true,
            max_adjustment: 1.5,
          },
          { field: 'email', comparator: 'exact', weight: 3, else_weight: -1, term_frequency: true },
        ],
        min_score: 6,
      },
    ],
  }),
)[0] as CompiledFuzzyRule;

/** Counts of the pools' values, many at 0 (absent: as rare as a value can be), some large. */
const counts = fc
  .tuple(
    ...[
      ...firstNames.map((key) => ['first_name', key] as const),
      ...lastNames.map((key) => ['last_name', key] as const),
      ...dobs.map((key) => ['dob', key] as const),
      ...emails.map((key) => ['email', key] as const),
    ].map(([field, key]) => fc.nat({ max: 60 }).map((count) => [field, key, count] as const)),
  )
  .map((entries) => TermCounts.fromEntries(['first_name', 'last_name', 'dob', 'email'], entries));

describe('reachesMinScore', () => {
  const rules = [...fuzzyRulesOf(rulesFrom().compiled), ...fuzzyRulesOf(testRules()), datedRule, frequentRule];

  it('decides as scorePair does, for every fuzzy rule and any term counts', () => {
    fc.assert(
      fc.property(person, person, counts, (a, b, frequencies) => {
        for (const rule of rules) {
          const full = scorePair(a, b, rule, frequencies).score >= rule.minScore;
          expect(reachesMinScore(compareKeysOf(a, rule), compareKeysOf(b, rule), rule, frequencies)).toBe(full);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('meets pairs whose term frequencies decide them, both ways', () => {
    // Guards the property above: it would prove nothing if adjustments never moved a pair across.
    let raised = 0;
    let lowered = 0;
    fc.assert(
      fc.property(person, person, counts, (a, b, frequencies) => {
        const plain = scorePair(a, b, frequentRule, NO_TERM_FREQUENCIES).score >= frequentRule.minScore;
        const weighed = scorePair(a, b, frequentRule, frequencies).score >= frequentRule.minScore;
        if (weighed && !plain) raised++;
        if (plain && !weighed) lowered++;
      }),
      { numRuns: 3000 },
    );
    // About 150 and 18 a run of 3000.
    expect(raised).toBeGreaterThan(50);
    expect(lowered).toBeGreaterThan(2);
  });

  it('finds both matches and non-matches among those pairs', () => {
    const rule = fuzzyRulesOf(rulesFrom().compiled)[0] as CompiledFuzzyRule;
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
        NO_TERM_FREQUENCIES,
      ),
    ).toBe(true);
    expect(
      reachesMinScore(
        keys('bob', '1980-01-02', 'ann.lee@gmail.com'),
        keys('anna', '1975-06-30', 'bob@shop.io'),
        rule,
        NO_TERM_FREQUENCIES,
      ),
    ).toBe(false);
  });
});

describe('date comparator and missing weight', () => {
  const score = (a: Record<string, string>, b: Record<string, string>) =>
    scorePair(record('crm:a', [], a), record('crm:b', [], b), datedRule, NO_TERM_FREQUENCIES).score;
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
