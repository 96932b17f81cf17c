/** The value memo: evaluation with it must equal evaluation without it, and it must stay bounded. */
import { describe, expect, it } from 'vitest';
import { type EvaluationSettings, evaluatePerson } from '../../../src/core/audience/evaluate-person.js';
import type { PersonValue } from '../../../src/core/audience/person.js';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import type { DestinationField } from '../../../src/core/destinations/types.js';
import { ValueMemo } from '../../../src/core/value-memo.js';

const fieldOf = new Map<string, DestinationField>([
  ['email', 'email'],
  ['phone', 'phone'],
  ['first_name', 'first_name'],
]);

function settings(memo?: EvaluationSettings['memo'], withUpload = true): EvaluationSettings {
  return {
    destination: DESTINATIONS.meta,
    fieldOf,
    junk: (value) => (value.raw === 'test@test.com' ? 'JUNK_VALUE' : undefined),
    withUpload,
    ...(memo ? { memo } : {}),
  };
}

const people: PersonValue[][] = [
  [
    { target: 'email', raw: ' Ann@Example.com ' },
    { target: 'phone', raw: '020 7946 0018', country: 'GB' },
  ],
  [
    { target: 'email', raw: 'ann@example.com' },
    { target: 'phone', raw: '020 7946 0018', country: 'US' },
    { target: 'first_name', raw: 'Ann' },
  ],
  [
    { target: 'email', raw: 'test@test.com' },
    { target: 'email', raw: 'not-an-email' },
  ],
];

describe('ValueMemo', () => {
  it('computes a value once, keeps values in use and forgets those not seen for a generation', () => {
    const memo = new ValueMemo<number>(4); // generations of 2 values
    let calls = 0;
    const compute = () => ++calls;
    expect(memo.get('email', undefined, 'a', compute)).toBe(1);
    expect(memo.get('email', undefined, 'a', compute)).toBe(1);
    expect(memo.get('email', undefined, 'b', compute)).toBe(2);
    // Young is full: c starts a new generation; a and b are old now, still known.
    expect(memo.get('email', undefined, 'c', compute)).toBe(3);
    expect(memo.get('email', undefined, 'a', compute)).toBe(1); // back to young
    // Young (c, a) is full: d starts a new one and b, not seen since, is dropped.
    expect(memo.get('email', undefined, 'd', compute)).toBe(4);
    expect(memo.get('email', undefined, 'a', compute)).toBe(1);
    expect(memo.get('email', undefined, 'b', compute)).toBe(5);
    expect(calls).toBe(5);
  });

  it('files a value by target and country, so one phone text in two countries stays two values', () => {
    const memo = new ValueMemo<string>();
    expect(memo.get('phone', 'GB', '020 7946 0018', () => 'gb')).toBe('gb');
    expect(memo.get('phone', 'US', '020 7946 0018', () => 'us')).toBe('us');
    expect(memo.get('phone', undefined, '020 7946 0018', () => 'none')).toBe('none');
    expect(memo.get('mobile', 'GB', '020 7946 0018', () => 'mobile')).toBe('mobile');
    expect(memo.get('phone', 'GB', '020 7946 0018', () => 'again')).toBe('gb');
  });

  it('gives the same evaluation as no memo, twice over', () => {
    const memo = new ValueMemo<never>() as unknown as EvaluationSettings['memo'];
    for (const values of people) {
      const plain = evaluatePerson(values, settings());
      expect(plain.fields.get('email')?.raw).toBeGreaterThan(0);
      expect(evaluatePerson(values, settings(memo))).toEqual(plain);
      expect(evaluatePerson(values, settings(memo))).toEqual(plain);
    }
  });

  it('without uploads keeps every verdict and drops only the hashes', () => {
    for (const values of people) {
      const full = evaluatePerson(values, settings());
      const lean = evaluatePerson(values, settings(undefined, false));
      expect(lean.match).toEqual(full.match);
      expect([...lean.fields.keys()]).toEqual([...full.fields.keys()]);
      for (const [field, view] of full.fields) {
        const other = lean.fields.get(field);
        expect([...(other?.valid.keys() ?? [])]).toEqual([...view.valid.keys()]);
        expect(other?.invalid).toEqual(view.invalid);
        expect(other?.junk).toEqual(view.junk);
      }
    }
  });
});
