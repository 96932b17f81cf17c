/**
 * Blocking keys: every combination of a key's parts, each part's values distinct and non-empty; a
 * rule set's fuzzy rules, and one record's keys under all of them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockingKeys,
  computeBlockingKeys,
  fuzzyRulesOf,
  recordBlockingKeys,
} from '../../../src/core/resolve/blocking.js';
import type { CompiledFuzzyRule } from '../../../src/core/resolve/compiled-rules.js';
import { fieldKeys } from '../../../src/core/resolve/compiled-rules.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';
import { soundex } from '../../../src/core/similarity/soundex.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

const rule: CompiledFuzzyRule = {
  kind: 'fuzzy',
  id: 'r',
  priority: 0,
  blocking: [
    [{ field: 'email', transform: 'email_local' }],
    [
      { field: 'postcode', transform: undefined },
      { field: 'last_name', transform: 'soundex' },
    ],
    [
      { field: 'email', transform: 'prefix1' },
      { field: 'phone', transform: undefined },
    ],
  ],
  compare: [],
  minScore: 0,
  guards: [],
};

const transforms: Record<string, (key: string) => string> = {
  email_local: (key) => key.slice(0, key.lastIndexOf('@')),
  prefix1: (key) => key.slice(0, 1),
  soundex,
};

/** The definition, spelled out: the cross product of each part's distinct, non-empty values. */
function expectedKeys(prepared: PreparedRecord): string[] {
  return rule.blocking.flatMap((parts, index) => {
    let combinations = [`r\u0002${index}`];
    for (const part of parts) {
      const transform = part.transform ? transforms[part.transform] : undefined;
      const values = [...new Set(fieldKeys(prepared, part.field).map((key) => (transform ? transform(key) : key)))];
      const kept = values.filter((value) => value !== '');
      if (kept.length === 0) return [];
      combinations = combinations.flatMap((prefix) => kept.map((value) => `${prefix}\u0003${value}`));
    }
    return combinations;
  });
}

const emails = ['ann@x.io', 'ann@y.io', 'bob@x.io', '@x.io'];
const phones = ['+441312903165', '+15551234567'];
const person = fc
  .record({
    emails: fc.subarray(emails),
    phones: fc.subarray(phones),
    postcode: fc.option(fc.constantFrom('SW1A1AA', ''), { nil: undefined }),
    last_name: fc.option(fc.constantFrom('smith', 'smyth', 'ła'), { nil: undefined }),
  })
  .map(({ emails: held, phones: dialled, ...attributes }) =>
    record(
      'crm:p',
      [...held.map((email) => `email=${email}`), ...dialled.map((phone) => `phone=${phone}`)],
      Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Record<
        string,
        string
      >,
    ),
  );

describe('computeBlockingKeys', () => {
  it('gives every combination of the parts, each value once, none empty', () => {
    fc.assert(
      fc.property(person, (prepared) => {
        expect(computeBlockingKeys(prepared, rule)).toEqual(expectedKeys(prepared));
      }),
      { numRuns: 2000 },
    );
  });

  it('crosses several values of one part with the others', () => {
    const prepared = record('crm:p', ['email=ann@x.io', 'email=bob@x.io', 'phone=+1', 'phone=+2']);
    expect(computeBlockingKeys(prepared, rule)).toEqual([
      'r\u00020\u0003ann',
      'r\u00020\u0003bob',
      // Both emails start with a different letter: two prefixes, each with both phones.
      'r\u00022\u0003a\u0003+1',
      'r\u00022\u0003a\u0003+2',
      'r\u00022\u0003b\u0003+1',
      'r\u00022\u0003b\u0003+2',
    ]);
  });
});

const dobCompare = [{ field: 'dob', comparator: 'exact', weight: 2, else_weight: -5 }];
/** Two fuzzy rules with a deterministic one between them, so priority order and kind both matter. */
const mixed = testRules({
  rules: [
    {
      id: 'name_postcode',
      kind: 'fuzzy',
      blocking: [['postcode', 'soundex(last_name)']],
      compare: dobCompare,
      min_score: 1,
    },
    { id: 'email', kind: 'deterministic', match: ['email'] },
    { id: 'by_phone', kind: 'fuzzy', blocking: [['phone']], compare: dobCompare, min_score: 1 },
  ],
});

describe('fuzzyRulesOf', () => {
  it('keeps the fuzzy rules only, in priority order, as the compiled objects', () => {
    const fuzzy = fuzzyRulesOf(mixed);
    expect(fuzzy.map((each) => each.id)).toEqual(['name_postcode', 'by_phone']);
    // The same objects: blockingKeys caches per rule object.
    expect(fuzzy[0]).toBe(mixed.rules[0]);
    expect(fuzzy[1]).toBe(mixed.rules[2]);
  });

  it('gives none for rules without a fuzzy one', () => {
    expect(fuzzyRulesOf(testRules({ rules: [{ id: 'email', kind: 'deterministic', match: ['email'] }] }))).toEqual([]);
  });
});

describe('recordBlockingKeys', () => {
  const [namePostcode, byPhone] = fuzzyRulesOf(mixed) as [CompiledFuzzyRule, CompiledFuzzyRule];
  const nameKey = `name_postcode\u00020\u0003SW1A1AA\u0003${soundex('smith')}`;
  const phoneKey = 'by_phone\u00020\u0003+15551234567';
  const held = () =>
    record('crm:p', ['email=ann@x.io', 'phone=+15551234567'], { postcode: 'SW1A1AA', last_name: 'smith' });

  it('gives the keys of every rule given, rule by rule in the order given', () => {
    expect(recordBlockingKeys(held(), [namePostcode, byPhone])).toEqual([nameKey, phoneKey]);
    expect(recordBlockingKeys(held(), [byPhone, namePostcode])).toEqual([phoneKey, nameKey]);
  });

  it('leaves out a rule the record has no values for', () => {
    const noPhone = record('crm:p', [], { postcode: 'SW1A1AA', last_name: 'smith' });
    expect(recordBlockingKeys(noPhone, [namePostcode, byPhone])).toEqual([nameKey]);
    expect(recordBlockingKeys(noPhone, [])).toEqual([]);
  });

  it('gives the same keys uncached, and a caller changing them leaves the cache as it was', () => {
    const prepared = held();
    expect(recordBlockingKeys(prepared, [namePostcode, byPhone], computeBlockingKeys)).toEqual([nameKey, phoneKey]);
    const first = recordBlockingKeys(prepared, [namePostcode]);
    first.push('changed');
    expect(recordBlockingKeys(prepared, [namePostcode])).toEqual([nameKey]);
    expect(blockingKeys(prepared, namePostcode)).toEqual([nameKey]);
  });
});
