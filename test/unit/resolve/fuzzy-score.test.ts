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

describe('reachesMinScore', () => {
  const rules = [...fuzzyRules(rulesFrom().compiled), ...fuzzyRules(testRules())];

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
