import { describe, expect, it } from 'vitest';
import { scorePairwise } from '../../../src/core/evaluate/pairwise.js';

const map = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('scorePairwise', () => {
  it('scores a perfect partition 1/1/1', () => {
    const truth = map({ a: 'p1', b: 'p1', c: 'p2' });
    expect(scorePairwise(map({ a: 'x', b: 'x', c: 'y' }), truth)).toMatchObject({
      precision: 1,
      recall: 1,
      f1: 1,
      truePairs: 1,
      largestProfile: 2,
      impureProfiles: 0,
    });
  });

  it('counts a false merge against precision', () => {
    // Predicted {a,b,c}: 3 pairs, of which only a-b is true.
    const score = scorePairwise(map({ a: 'x', b: 'x', c: 'x' }), map({ a: 'p1', b: 'p1', c: 'p2' }));
    expect(score).toMatchObject({ predictedPairs: 3, correctPairs: 1, precision: 1 / 3, recall: 1, impureProfiles: 1 });
  });

  it('counts a missed pair against recall', () => {
    // Truth {a,b,c} is 3 pairs; predicted {a,b},{c} finds 1.
    const score = scorePairwise(map({ a: 'x', b: 'x', c: 'y' }), map({ a: 'p', b: 'p', c: 'p' }));
    expect(score.precision).toBe(1);
    expect(score.recall).toBeCloseTo(1 / 3);
    expect(score.f1).toBeCloseTo(0.5);
  });

  it('treats all singletons as perfect precision and leaves out records without truth', () => {
    const score = scorePairwise(map({ a: 'x', b: 'y', z: 'x' }), map({ a: 'p', b: 'q' }));
    expect(score).toMatchObject({ records: 2, predictedPairs: 0, precision: 1, recall: 1 });
  });
});
