/** EM recovers the parameters that generated the pairs, and outcomes are read as scoring reads them. */
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/core/rules/schema.js';
import {
  type Estimate,
  estimateParameters,
  LAMBDA_CEILING,
  matchProbability,
  type Pattern,
} from '../../../src/core/train/estimate.js';
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
    const estimate = estimateParameters({
      outcomes: [3, 2, 3],
      runs: [{ blocked: [], candidates }],
      candidates,
      randomPairs,
      anchors,
    });
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
    const estimate = estimateParameters({
      outcomes: [3, 2, 3],
      runs: [{ blocked: [], candidates }],
      candidates,
      randomPairs,
      anchors: [],
    });
    const wrong = candidates.filter(
      (pattern, index) => matchProbability(pattern, estimate.m, estimate.u, estimate.lambda) >= 0.5 !== truth[index],
    ).length;
    expect(wrong / candidates.length).toBeLessThan(0.03);
  });

  /**
   * Two blocking keys, one on comparison 0's field, one on comparison 1's: every pair a key finds
   * agrees on that key's field, match or not (the key's own outcome is 0), and a tenth are matches.
   */
  function blockedOnOneField(random: Random) {
    const truth: boolean[] = [];
    const byKey: Pattern[][] = [[], []];
    for (const key of [0, 1]) {
      for (let n = 0; n < 10_000; n++) {
        const isMatch = random.float() < 0.1;
        const pattern = draw(random, isMatch ? TRUE_M : TRUE_U, 0.05);
        pattern[key] = 0;
        truth.push(isMatch);
        byKey[key]?.push(pattern);
      }
    }
    const candidates = [...(byKey[0] as Pattern[]), ...(byKey[1] as Pattern[])];
    const randomPairs = Array.from({ length: 50_000 }, () => draw(random, TRUE_U, 0.05));
    return { truth, byKey, candidates, randomPairs };
  }

  it("leaves each run's key out: blocking on one field no longer makes every candidate pair a match", () => {
    const { truth, byKey, candidates, randomPairs } = blockedOnOneField(new Random(5));
    const outcomes = [3, 2, 3];
    // Every comparison counted over every pair (how training ran before): agreement on the key's field
    // is rare among random pairs, so EM takes nearly every candidate pair for a match.
    const pooled = estimateParameters({
      outcomes,
      runs: [{ blocked: [], candidates }],
      candidates,
      randomPairs,
      anchors: [],
    });
    expect(pooled.lambda).toBeGreaterThan(0.9);

    const estimate = estimateParameters({
      outcomes,
      runs: [
        { blocked: [0], candidates: byKey[0] as Pattern[] },
        { blocked: [1], candidates: byKey[1] as Pattern[] },
      ],
      candidates,
      // A key's pairs are the 1% of all pairs that agree on its field by chance (u), and its matches.
      totalPairs: 900_000,
      randomPairs,
      anchors: [],
    });
    expect(estimate.mSource).toEqual(['em', 'em', 'em']);
    expect(estimate.runs.map((run) => run.lambda)).toEqual([expect.closeTo(0.1, 1), expect.closeTo(0.1, 1)]);
    expect(estimate.lambda).toBeCloseTo(0.1, 1);
    // m of each key's field comes from the other key's pairs, where it varies as in the model.
    for (const k of [0, 1]) {
      for (const [outcome, m] of (TRUE_M[k] as number[]).entries()) expect(estimate.m[k]?.[outcome]).toBeCloseTo(m, 1);
    }
    // Scored on every comparison from the prior of a random pair, candidates split as the truth does.
    const wrong = candidates.filter(
      (pattern, index) => matchProbability(pattern, estimate.m, estimate.u, estimate.prior) >= 0.5 !== truth[index],
    ).length;
    expect(wrong / candidates.length).toBeLessThan(0.05);
  });

  it('takes the prior of a random pair as the matching candidate pairs over all pairs', () => {
    const { byKey, candidates, randomPairs } = blockedOnOneField(new Random(9));
    const runs = [
      { blocked: [0], candidates: byKey[0] as Pattern[] },
      { blocked: [1], candidates: byKey[1] as Pattern[] },
    ];
    const base = { outcomes: [3, 2, 3], runs, candidates, randomPairs, anchors: [] };
    const alone = estimateParameters(base);
    expect(alone.prior).toBeCloseTo(alone.lambda, 10);
    const among = estimateParameters({ ...base, totalPairs: candidates.length * 1_000 });
    // Scored from a prior 1,000 times smaller, fewer candidates pass as matches: fewer expected.
    expect(among.prior).toBeLessThan(alone.prior / 1_000);
    expect(among.prior * 1_000 * candidates.length).toBeCloseTo(among.lambda * candidates.length, 6);
  });

  it('keeps the share of matches at most LAMBDA_CEILING, even when every candidate agrees on everything', () => {
    const candidates: Pattern[] = Array.from({ length: 1_000 }, () => [0, 0, 0]);
    const randomPairs = Array.from({ length: 10_000 }, () => draw(new Random(3), TRUE_U, 0));
    const estimate = estimateParameters({
      outcomes: [3, 2, 3],
      runs: [{ blocked: [], candidates }],
      candidates,
      randomPairs,
      anchors: candidates.slice(0, 10),
    });
    expect(estimate.lambda).toBeLessThanOrEqual(LAMBDA_CEILING);
    expect(estimate.runs[0]?.lambda).toBeLessThanOrEqual(LAMBDA_CEILING);
  });

  it('takes m from the anchors for a field every key holds, and from nowhere without anchors', () => {
    const random = new Random(13);
    const candidates = Array.from({ length: 2_000 }, () => draw(random, random.float() < 0.3 ? TRUE_M : TRUE_U, 0));
    const randomPairs = Array.from({ length: 10_000 }, () => draw(random, TRUE_U, 0));
    const runs = [{ blocked: [2], candidates }];
    const anchored = estimateParameters({ outcomes: [3, 2, 3], runs, candidates, randomPairs, anchors: [[0, 0, 0]] });
    expect(anchored.mSource).toEqual(['em', 'em', 'anchors']);
    const none = estimateParameters({ outcomes: [3, 2, 3], runs, candidates, randomPairs, anchors: [] });
    expect(none.mSource).toEqual(['em', 'em', 'none']);
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
      {
        m: [[0.8, 0.2]],
        u: [[0.01, 0.99]],
        mSource: ['em'],
        lambda: 0.5,
        prior: 0.5,
        runs: [],
        iterations: 1,
        converged: true,
      },
      0.99,
    );
    expect(suggestion.comparisons[0]?.outcomes.map((outcome) => outcome.suggested)).toEqual([6.32, -2.31]);
    expect(suggestion.comparisons[0]?.outcomes.map((outcome) => outcome.current)).toEqual([3, -6]);
    // log2(0.99 / 0.01) - log2(0.5 / 0.5)
    expect(suggestion.suggestedMinScore).toBe(6.63);
  });

  const estimateOf = (overrides: Partial<Estimate>): Estimate => ({
    m: [[0.8, 0.2]],
    u: [[0.01, 0.99]],
    mSource: ['em'],
    lambda: 0.5,
    prior: 0.001,
    runs: [],
    iterations: 1,
    converged: true,
    ...overrides,
  });
  const dob: Comparison = { field: 'dob', comparator: 'exact', weight: 3, else_weight: -6 } as Comparison;

  it('sets min_score from the prior of a random pair, not the share among candidates', () => {
    const suggestion = suggestRule('r', [dob], 5, estimateOf({ prior: 0.001 }), 0.99);
    // log2(0.99 / 0.01) - log2(0.001 / 0.999), far above what lambda 0.5 alone would give (6.63)
    expect(suggestion.suggestedMinScore).toBe(16.59);
    expect(suggestion.problem).toContain('cannot be reached');
  });

  it('says why instead of suggesting a min_score rules validate refuses', () => {
    const notAbove0 = suggestRule('r', [dob], 5, estimateOf({ prior: 0.995 }), 0.99);
    expect(notAbove0.suggestedMinScore).toBeLessThanOrEqual(0);
    expect(notAbove0.problem).toContain('not above 0');
    const fine = suggestRule('r', [dob], 5, estimateOf({ prior: 0.2, m: [[0.99, 0.01]], u: [[0.001, 0.999]] }), 0.99);
    // log2(0.99 / 0.01) - log2(0.2 / 0.8)
    expect(fine.suggestedMinScore).toBe(8.63);
    // An agreement gives log2(0.99 / 0.001) = 9.95, above the threshold: reachable, no problem.
    expect(fine.problem).toBeUndefined();
  });

  it('keeps the current weights of a comparison it could not estimate', () => {
    const suggestion = suggestRule('r', [dob], 5, estimateOf({ mSource: ['none'], prior: 0.2 }), 0.99);
    expect(suggestion.comparisons[0]?.outcomes.map((outcome) => outcome.suggested)).toEqual([3, -6]);
  });
});
