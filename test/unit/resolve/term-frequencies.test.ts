/** Term-frequency adjustments: the math on hand-made counts, and what a fuzzy score makes of them. */
import { describe, expect, it } from 'vitest';
import type { CompiledFuzzyRule } from '../../../src/core/resolve/compiled-rules.js';
import { scorePair } from '../../../src/core/resolve/fuzzy-score.js';
import { NO_TERM_FREQUENCIES, TermCounts, termKeysOf } from '../../../src/core/resolve/term-frequencies.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

/** Surnames of 8 records: smith on 4, jones on 2, zbik and quill on 1 each. */
const surnames = () =>
  TermCounts.fromEntries(
    ['last_name'],
    [
      ['last_name', 'smith', 4],
      ['last_name', 'jones', 2],
      ['last_name', 'zbik', 1],
      ['last_name', 'quill', 1],
    ],
  );

describe('TermCounts.adjustment', () => {
  // u = (16 + 4 + 1 + 1) / 64 = 22/64; p(smith) = 4/8, p(zbik) = 1/8.
  it('is log2(u / p): a rare value adds weight, a common one takes it away', () => {
    const counts = surnames();
    expect(counts.adjustment('last_name', 'zbik', 10)).toBeCloseTo(Math.log2(22 / 64 / (1 / 8)), 3);
    expect(counts.adjustment('last_name', 'smith', 10)).toBeCloseTo(Math.log2(22 / 64 / (4 / 8)), 3);
    expect(counts.adjustment('last_name', 'zbik', 10)).toBeGreaterThan(0);
    expect(counts.adjustment('last_name', 'smith', 10)).toBeLessThan(0);
  });

  it('is clamped to the limit, either way', () => {
    const counts = TermCounts.fromEntries(
      ['first_name'],
      [
        ['first_name', 'john', 1000],
        ['first_name', 'zbigniew', 1],
      ],
    );
    expect(counts.adjustment('first_name', 'zbigniew', 2)).toBe(2);
    // A value held by nearly every record is no evidence at all: log2 of about 1 is 0.
    expect(counts.adjustment('first_name', 'john', 2)).toBeCloseTo(0, 2);
    const common = TermCounts.fromEntries(
      ['first_name'],
      [['first_name', 'john', 10], ...Array.from({ length: 200 }, (_, at) => ['first_name', `rare${at}`, 1] as const)],
    );
    // u = (100 + 200) / 210^2, p(john) = 10/210: log2(300 / 2100) = -2.807.
    expect(common.adjustment('first_name', 'john', 5)).toBeCloseTo(-2.807, 3);
    expect(common.adjustment('first_name', 'john', 1)).toBe(-1);
  });

  it('takes a value absent from the counts as held once, and a field never counted as no evidence', () => {
    const counts = surnames();
    expect(counts.adjustment('last_name', 'nowhere', 10)).toBe(counts.adjustment('last_name', 'zbik', 10));
    expect(counts.adjustment('first_name', 'ann', 10)).toBe(0);
    expect(NO_TERM_FREQUENCIES.adjustment('last_name', 'zbik', 10)).toBe(0);
  });

  it('gives the same adjustments however the counts were reached', () => {
    const records = ['smith', 'smith', 'smith', 'smith', 'jones', 'jones', 'zbik', 'quill'].map((last, at) =>
      record(`crm:${at}`, [], { last_name: last }),
    );
    const added = new TermCounts(['last_name']);
    for (const one of records) added.add(one);
    // A record that came and went leaves no trace.
    const passing = record('crm:gone', [], { last_name: 'zbik' });
    added.add(passing);
    added.add(passing, -1);
    const fromKeys = new TermCounts(['last_name']);
    for (const one of records) for (const key of termKeysOf(one, ['last_name'])) fromKeys.addTermKey(key);
    for (const value of ['smith', 'jones', 'zbik', 'nowhere']) {
      const expected = surnames().adjustment('last_name', value, 5);
      expect(added.adjustment('last_name', value, 5)).toBe(expected);
      expect(fromKeys.adjustment('last_name', value, 5)).toBe(expected);
    }
  });

  it('refuses to count a value below zero', () => {
    const counts = new TermCounts(['last_name']);
    expect(() => counts.add(record('crm:1', [], { last_name: 'smith' }), -1)).toThrow(RangeError);
  });
});

describe('a fuzzy score with term_frequency', () => {
  const rule = testRules({
    rules: [
      {
        id: 'names',
        kind: 'fuzzy',
        blocking: [['postcode']],
        compare: [
          {
            field: 'first_name',
            comparator: 'jaro_winkler',
            levels: [{ min_similarity: 0.9, weight: 2 }],
            nicknames: true,
            else_weight: -2,
          },
          { field: 'last_name', comparator: 'exact', weight: 4, else_weight: -4, term_frequency: true },
        ],
        min_score: 6,
      },
    ],
  }).rules[0] as CompiledFuzzyRule;
  const pair = (last: string, first = 'ann', other = first) =>
    scorePair(
      record('crm:a', [], { first_name: first, last_name: last }),
      record('crm:b', [], { first_name: other, last_name: last }),
      rule,
      surnames(),
    );

  it('scores a rare shared surname above Smith, and records the adjustment as evidence', () => {
    const rare = pair('zbik');
    const smith = pair('smith');
    expect(rare.score).toBeGreaterThan(smith.score);
    expect(rare.score).toBeGreaterThanOrEqual(rule.minScore);
    expect(smith.score).toBeLessThan(rule.minScore);
    const surname = rare.evidence.find((item) => item.field === 'last_name');
    expect(surname?.termFrequencyAdjustment).toBeCloseTo(1.459, 3);
    expect(surname?.weight).toBeCloseTo(4 + 1.459, 3);
    // first_name does not weigh frequencies: its evidence has no adjustment.
    expect(rare.evidence.find((item) => item.field === 'first_name')).not.toHaveProperty('termFrequencyAdjustment');
  });

  it('adjusts only an agreement on one value', () => {
    const apart = scorePair(
      record('crm:a', [], { first_name: 'ann', last_name: 'zbik' }),
      record('crm:b', [], { first_name: 'ann', last_name: 'smith' }),
      rule,
      surnames(),
    );
    expect(apart.score).toBe(2 - 4);
    expect(apart.evidence.find((item) => item.field === 'last_name')).not.toHaveProperty('termFrequencyAdjustment');
  });
});
