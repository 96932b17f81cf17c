/** Blocking keys: every combination of a key's parts, each part's values distinct and non-empty. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBlockingKeys } from '../../../src/core/resolve/blocking.js';
import type { CompiledFuzzyRule } from '../../../src/core/resolve/compiled-rules.js';
import { fieldKeys } from '../../../src/core/resolve/compiled-rules.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';
import { soundex } from '../../../src/core/similarity/soundex.js';
import { record } from '../../support/records.js';

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
