/** EM recovers the parameters that generated the pairs, and outcomes are read as scoring reads them. */
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/core/rules/schema.js';
import { estimateParameters, matchProbability, type Pattern } from '../../../src/core/train/estimate.js';
import { comparisonOutcome, MISSING, outcomeCount } from '../../../src/core/train/outcome.js';
import { suggestRule } from '../../../src/core/train/suggest.js';
import { Random } from '../../../src/synth/random.js';

/** Pairs drawn from a known model: outcome o of comparison k with probability m[k][o] or u[k][o]. */
function draw(random: Random, table: number[][], missingRate: number): number[] {
  return table.map((row) => {
    if (random.float() < missingRate) return MISSING;
    let x = random.float();
    for (let outcome = 0; outcome < row.length; outcome++) {
      x -= row[outcome] as number;
      if (x < 0) return outcome;
    }
    return row.length - 1;
  });
}

const TRUE_M = [
  [0.85, 0.1, 0.05],
  [0.9, 0.1],
  [0.7, 0.2, 0.1],
];
const TRUE_U = [
  [0.01, 0.04, 0.95],
  [0.05, 0.95],
  [0.02, 0.08, 0.9],
];

describe('estimateParameters', () => {
  it('recovers m, u and the share of matches of a known model', () => {
    const random = new Random(7);
    const lambda = 0.3;
    const candidates: Pattern[] = [];
    const anchors: Pattern[] = [];
    for (let n = 0; n < 20_000; n++) {
      const isMatch = random.float() < lambda;
      const pattern = draw(random, isMatch ? TRUE_M : TRUE_U, 0.1);
      candidates.push(pattern);
      if (isMatch && random.float() < 0.2) anchors.push(pattern);
    }
    const randomPairs = Array.from({ length: 50_000 }, () => draw(random, TRUE_U, 0.1));
    const estimate = estimateParameters({ outcomes: [3, 2, 3], candidates, randomPairs, anchors });
    expect(estimate.converged).toBe(true);
    expect(estimate.lambda).toBeCloseTo(lambda, 1);
    for (const [k, row] of TRUE_M.entries()) {
      for (const [outcome, m] of row.entries()) expect(estimate.m[k]?.[outcome]).toBeCloseTo(m, 1);
    }
    for (const [k, row] of TRUE_U.entries()) {
      for (const [outcome, u] of row.entries()) expect(estimate.u[k]?.[outcome]).toBeCloseTo(u, 1);
    }
  });

  it('starts without anchors and still separates matches from non-matches', () => {
    const random = new Random(11);
    const truth: boolean[] = [];
    const candidates: Pattern[] = [];
    for (let n = 0; n < 10_000; n++) {
      const isMatch = random.float() < 0.2;
      truth.push(isMatch);
      candidates.push(draw(random, isMatch ? TRUE_M : TRUE_U, 0));
    }
    const randomPairs = Array.from({ length: 20_000 }, () => draw(random, TRUE_U, 0));
    const estimate = estimateParameters({ outcomes: [3, 2, 3], candidates, randomPairs, anchors: [] });
    const wrong = candidates.filter(
      (pattern, index) => matchProbability(pattern, estimate.m, estimate.u, estimate.lambda) >= 0.5 !== truth[index],
    ).length;
    expect(wrong / candidates.length).toBeLessThan(0.03);
  });

  it('leaves a missing value out: a pair missing everything keeps the prior', () => {
    const m = [[0.9, 0.1]];
    const u = [[0.1, 0.9]];
    expect(matchProbability([MISSING], m, u, 0.25)).toBeCloseTo(0.25, 10);
    expect(matchProbability([0], m, u, 0.25)).toBeGreaterThan(0.25);
    expect(matchProbability([1], m, u, 0.25)).toBeLessThan(0.25);
  });
});

describe('comparisonOutcome', () => {
  const jaro: Comparison = {
    field: 'first_name',
    comparator: 'jaro_winkler',
    nicknames: true,
    levels: [
      { min_similarity: 0.95, weight: 4 },
      { min_similarity: 0.85, weight: 2 },
    ],
    else_weight: -4,
  } as Comparison;
  const exact: Comparison = { field: 'dob', comparator: 'exact', weight: 3, else_weight: -6 } as Comparison;

  it.each([
    { description: 'equal names reach the first level', left: ['robert'], right: ['robert'], outcome: 0 },
    { description: 'nicknames count as equal', left: ['robert'], right: ['bob'], outcome: 0 },
    { description: 'a typo reaches the second level', left: ['aileen'], right: ['eileen'], outcome: 1 },
    { description: 'different names fall to else', left: ['ann'], right: ['zoe'], outcome: 2 },
    { description: 'the best of several values counts', left: ['zoe', 'ann'], right: ['ann'], outcome: 0 },
    { description: 'a missing side is missing', left: [], right: ['ann'], outcome: MISSING },
  ])('$description', ({ left, right, outcome }) => {
    expect(comparisonOutcome(jaro, left, right)).toBe(outcome);
  });

  it('counts levels and else', () => {
    expect(outcomeCount(jaro)).toBe(3);
    expect(outcomeCount(exact)).toBe(2);
    expect(comparisonOutcome(exact, ['1980-01-02'], ['1980-01-02'])).toBe(0);
    expect(comparisonOutcome(exact, ['1980-01-02'], ['1980-02-01'])).toBe(1);
  });
});

describe('suggestRule', () => {
  it('weighs each outcome log2(m/u) and sets min_score at the match probability asked for', () => {
    const exact: Comparison = { field: 'dob', comparator: 'exact', weight: 3, else_weight: -6 } as Comparison;
    const suggestion = suggestRule(
      'r',
      [exact],
      5,
      { m: [[0.8, 0.2]], u: [[0.01, 0.99]], lambda: 0.5, iterations: 1, converged: true },
      0.99,
    );
    expect(suggestion.comparisons[0]?.outcomes.map((outcome) => outcome.suggested)).toEqual([6.32, -2.31]);
    expect(suggestion.comparisons[0]?.outcomes.map((outcome) => outcome.current)).toEqual([3, -6]);
    // log2(0.99 / 0.01) - log2(0.5 / 0.5)
    expect(suggestion.suggestedMinScore).toBe(6.63);
  });
});
