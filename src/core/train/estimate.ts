/**
 * Fellegi-Sunter parameters by expectation maximisation, the way Splink trains its model:
 *   - u (how often two different people reach each outcome) is counted on random pairs, where
 *     nearly every pair is a non-match, and then held fixed;
 *   - m (how often the same person reaches each outcome) and lambda (the share of matches among
 *     the candidate pairs) are estimated by EM over the blocked pairs, started from anchor pairs
 *     that a deterministic rule already links.
 * Comparisons are taken as independent given the match status (the model's usual assumption).
 * A missing value is no evidence: it is left out of both the likelihood and the counts.
 * References: I. P. Fellegi and A. B. Sunter, "A Theory for Record Linkage", JASA 64 (1969);
 * W. E. Winkler, "Using the EM Algorithm for Weight Computation in the Fellegi-Sunter Model of
 * Record Linkage" (1988).
 */
import { MISSING } from './outcome.js';

/** One pair's outcome on each comparison of a rule (MISSING, or an outcome index). */
export type Pattern = readonly number[];

export interface EstimateInput {
  /** Outcomes per comparison (levels + else), in the rule's order. */
  readonly outcomes: readonly number[];
  readonly candidates: readonly Pattern[];
  readonly randomPairs: readonly Pattern[];
  /** Candidate pairs a deterministic rule links: where m starts. */
  readonly anchors: readonly Pattern[];
  readonly maxIterations?: number;
  /** EM stops once no parameter moves by more than this. */
  readonly tolerance?: number;
}

export interface Estimate {
  /** m[comparison][outcome] */
  readonly m: number[][];
  /** u[comparison][outcome] */
  readonly u: number[][];
  readonly lambda: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Keeps a probability off 0 and 1, so an outcome never seen does not make an infinite weight. */
const FLOOR = 1e-5;
/** Counts added to every outcome when estimating from few pairs (Laplace smoothing). */
const PSEUDO_COUNT = 0.5;

export function estimateParameters(input: EstimateInput): Estimate {
  const { outcomes, candidates } = input;
  const u = frequencies(input.randomPairs, outcomes, () => 1);
  let m = input.anchors.length > 0 ? frequencies(input.anchors, outcomes, () => 1) : descendingStart(outcomes);
  let lambda = clamp(candidates.length === 0 ? 0.5 : Math.max(input.anchors.length, 1) / candidates.length);
  const maxIterations = input.maxIterations ?? 100;
  const tolerance = input.tolerance ?? 1e-5;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const weights = candidates.map((pattern) => matchProbability(pattern, m, u, lambda));
    const nextM = frequencies(candidates, outcomes, (index) => weights[index] as number);
    const nextLambda = clamp(weights.reduce((sum, weight) => sum + weight, 0) / Math.max(candidates.length, 1));
    converged = Math.abs(nextLambda - lambda) < tolerance && largestChange(m, nextM) < tolerance;
    m = nextM;
    lambda = nextLambda;
  }
  return { m, u, lambda, iterations, converged };
}

/** P(match | pattern) under the model. */
export function matchProbability(pattern: Pattern, m: number[][], u: number[][], lambda: number): number {
  let logRatio = Math.log(lambda) - Math.log(1 - lambda);
  for (let k = 0; k < pattern.length; k++) {
    const outcome = pattern[k] as number;
    if (outcome === MISSING) continue;
    logRatio += Math.log((m[k] as number[])[outcome] as number) - Math.log((u[k] as number[])[outcome] as number);
  }
  return 1 / (1 + Math.exp(-logRatio));
}

/** Weighted share of each outcome among the pairs where the comparison is not missing. */
function frequencies(
  patterns: readonly Pattern[],
  outcomes: readonly number[],
  weightOf: (index: number) => number,
): number[][] {
  const counts = outcomes.map((count) => new Array<number>(count).fill(0));
  patterns.forEach((pattern, index) => {
    const weight = weightOf(index);
    for (let k = 0; k < pattern.length; k++) {
      const outcome = pattern[k] as number;
      if (outcome === MISSING) continue;
      const row = counts[k] as number[];
      row[outcome] = (row[outcome] as number) + weight;
    }
  });
  return counts.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0) + PSEUDO_COUNT * row.length;
    return row.map((count) => clamp((count + PSEUDO_COUNT) / total));
  });
}

/** Without anchors: matches mostly reach the first level, rarely "else". */
function descendingStart(outcomes: readonly number[]): number[][] {
  return outcomes.map((count) => {
    const raw = Array.from(
      { length: count },
      (_, outcome) => 2 ** (count - 1 - outcome) * (outcome === count - 1 ? 0.1 : 1),
    );
    const total = raw.reduce((sum, value) => sum + value, 0);
    return raw.map((value) => value / total);
  });
}

function largestChange(before: number[][], after: number[][]): number {
  let largest = 0;
  before.forEach((row, k) => {
    row.forEach((value, outcome) => {
      largest = Math.max(largest, Math.abs(value - ((after[k] as number[])[outcome] as number)));
    });
  });
  return largest;
}

function clamp(probability: number): number {
  return Math.min(1 - FLOOR, Math.max(FLOOR, probability));
}
