/**
 * Fellegi-Sunter parameters by expectation maximisation, the way Splink trains its model:
 *   - u (how often two different people reach each outcome) is counted on random pairs, where
 *     nearly every pair is a non-match, and then held fixed;
 *   - m (how often the same person reaches each outcome) is estimated by EM once per blocking key,
 *     on the pairs that key finds, started from anchor pairs that a deterministic rule already links.
 *     A run leaves out the comparisons made of its own key's fields: pairs found by a shared date of
 *     birth agree on it whether or not they are one person, so that run says nothing about how often
 *     matches agree on it, and counting it anyway lets the match class absorb the non-matches (every
 *     candidate pair ends up a "match"). Each comparison's m is the mean of the runs that left it
 *     in: each key's pairs are one sample with its own bias (a key that finds mostly matches has
 *     many more of them), and none outweighs the others;
 *   - lambda, the share of matches among all the rule's candidate pairs, is estimated last with m and
 *     u held, and kept below LAMBDA_CEILING. The threshold, though, rests on the prior of a random
 *     pair (`prior`: matching candidate pairs over all pairs, the pairs no key finds taken for
 *     non-matches). A pair is scored on every comparison, its key's fields too, with u from random
 *     pairs: that agreement already says the pair was blocked together, and starting from the share
 *     among candidate pairs would count it twice and merge pairs that share a key and little else.
 * Comparisons are taken as independent given the match status (the model's usual assumption).
 * A missing value is no evidence: it is left out of both the likelihood and the counts.
 * References: I. P. Fellegi and A. B. Sunter, "A Theory for Record Linkage", JASA 64 (1969);
 * W. E. Winkler, "Using the EM Algorithm for Weight Computation in the Fellegi-Sunter Model of
 * Record Linkage" (1988).
 */
import { MISSING } from './outcome.js';

/** One pair's outcome on each comparison of a rule (MISSING, or an outcome index). */
export type Pattern = readonly number[];

/** The pairs one blocking key finds, and the comparisons made of that key's fields. */
export interface TrainingRun {
  /** Indexes of the comparisons whose field is part of the key: left out of this run. */
  readonly blocked: readonly number[];
  readonly candidates: readonly Pattern[];
}

export interface EstimateInput {
  /** Outcomes per comparison (levels + else), in the rule's order. */
  readonly outcomes: readonly number[];
  /** One run per blocking key. */
  readonly runs: readonly TrainingRun[];
  /** Every candidate pair of the rule once (the union of the runs'): where lambda is estimated. */
  readonly candidates: readonly Pattern[];
  /** How many pairs the records form in all, n(n-1)/2; by default the candidate pairs alone. */
  readonly totalPairs?: number;
  readonly randomPairs: readonly Pattern[];
  /** Candidate pairs a deterministic rule links: where m starts. */
  readonly anchors: readonly Pattern[];
  readonly maxIterations?: number;
  /** EM stops once no parameter moves by more than this. */
  readonly tolerance?: number;
}

/**
 * Where a comparison's m comes from: EM on the runs that left it in; the anchor pairs, when every
 * blocking key holds its field; or nowhere (no anchors either), and its current weights stay.
 */
export type MSource = 'em' | 'anchors' | 'none';

export interface RunEstimate {
  /** The run's position in the input (its blocking key's). */
  readonly index: number;
  readonly blocked: readonly number[];
  readonly pairs: number;
  /** The share of matches among this key's pairs. */
  readonly lambda: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface Estimate {
  /** m[comparison][outcome] */
  readonly m: number[][];
  /** u[comparison][outcome] */
  readonly u: number[][];
  readonly mSource: readonly MSource[];
  /** The share of matches among all the rule's candidate pairs. */
  readonly lambda: number;
  /** The probability that two records drawn at random match: lambda x candidate pairs / all pairs. */
  readonly prior: number;
  readonly runs: readonly RunEstimate[];
  /** The most iterations a run took, and whether every run converged. */
  readonly iterations: number;
  readonly converged: boolean;
}

/** Keeps a probability off 0 and 1, so an outcome never seen does not make an infinite weight. */
const FLOOR = 1e-5;
/** Counts added to every outcome when estimating from few pairs (Laplace smoothing). */
const PSEUDO_COUNT = 0.5;
/**
 * The highest share of matches EM may take among candidate pairs. Above it, blocking alone would
 * decide and the threshold the share implies falls to about 0 (a pair with nothing in common would
 * merge); a share this high is far more likely EM taking non-matches for matches than real. At 0.95
 * a pair must still carry log2(19), about 4.2 bits, less than the match probability asks.
 */
export const LAMBDA_CEILING = 0.95;

export function estimateParameters(input: EstimateInput): Estimate {
  const { outcomes } = input;
  const maxIterations = input.maxIterations ?? 100;
  const tolerance = input.tolerance ?? 1e-5;
  const u = frequencies(input.randomPairs, outcomes, () => 1);
  const start = input.anchors.length > 0 ? frequencies(input.anchors, outcomes, () => 1) : descendingStart(outcomes);
  // Per comparison, the sum of the m each run that left it in found, and how many runs did.
  const sums = outcomes.map((count) => new Array<number>(count).fill(0));
  const estimatedBy = outcomes.map(() => 0);
  const runs: RunEstimate[] = [];
  for (const [index, run] of input.runs.entries()) {
    const active = outcomes.map((_, k) => !run.blocked.includes(k));
    if (run.candidates.length === 0 || !active.some(Boolean)) continue;
    const result = runEm(run.candidates, active, start, u, input.anchors.length, { maxIterations, tolerance });
    const runM = frequencies(run.candidates, outcomes, (position) => result.weights[position] as number);
    runM.forEach((row, k) => {
      if (!active[k]) return;
      const sum = sums[k] as number[];
      row.forEach((m, outcome) => {
        sum[outcome] = (sum[outcome] as number) + m;
      });
      estimatedBy[k] = (estimatedBy[k] as number) + 1;
    });
    runs.push({
      index,
      blocked: run.blocked,
      pairs: run.candidates.length,
      lambda: result.lambda,
      iterations: result.iterations,
      converged: result.converged,
    });
  }
  const mSource: MSource[] = estimatedBy.map((count) =>
    count > 0 ? 'em' : input.anchors.length > 0 ? 'anchors' : 'none',
  );
  const m = sums.map((row, k) =>
    mSource[k] === 'em' ? row.map((sum) => sum / (estimatedBy[k] as number)) : (start[k] as number[]),
  );
  const active = mSource.map((source) => source !== 'none');
  const totalPairs = Math.max(input.totalPairs ?? input.candidates.length, input.candidates.length, 1);
  const prior = randomPairPrior(input.candidates, totalPairs, m, u, active, { maxIterations, tolerance });
  return {
    m,
    u,
    mSource,
    lambda: input.candidates.length === 0 ? prior : (prior * totalPairs) / input.candidates.length,
    prior,
    runs,
    iterations: Math.max(0, ...runs.map((run) => run.iterations)),
    converged: runs.every((run) => run.converged),
  };
}

interface Limits {
  readonly maxIterations: number;
  readonly tolerance: number;
}

/** EM over one key's pairs, on the comparisons left in; returns each pair's final P(match). */
function runEm(
  candidates: readonly Pattern[],
  active: readonly boolean[],
  start: number[][],
  u: number[][],
  anchorCount: number,
  limits: Limits,
): { weights: number[]; lambda: number; iterations: number; converged: boolean } {
  const outcomes = start.map((row) => row.length);
  let m = start;
  let lambda = guard(Math.max(anchorCount, 1) / candidates.length);
  let weights: number[] = [];
  let iterations = 0;
  let converged = false;
  while (iterations < limits.maxIterations && !converged) {
    iterations++;
    weights = candidates.map((pattern) => posterior(pattern, m, u, lambda, active));
    const nextM = frequencies(candidates, outcomes, (index) => weights[index] as number);
    const nextLambda = guard(mean(weights));
    converged = Math.abs(nextLambda - lambda) < limits.tolerance && largestChange(m, nextM, active) < limits.tolerance;
    m = nextM;
    lambda = nextLambda;
  }
  weights = candidates.map((pattern) => posterior(pattern, m, u, lambda, active));
  return { weights, lambda, iterations, converged };
}

/**
 * The prior of a random pair with m and u held: the expected number of matching candidate pairs
 * over all pairs, iterated to its fixed point (each candidate's P(match) rests on the prior). At most
 * LAMBDA_CEILING of the candidate pairs count as matches.
 */
function randomPairPrior(
  candidates: readonly Pattern[],
  totalPairs: number,
  m: number[][],
  u: number[][],
  active: readonly boolean[],
  limits: Limits,
): number {
  // Among millions of records a random pair matches far less often than FLOOR: its own floor.
  const bounded = (prior: number) =>
    Math.min((LAMBDA_CEILING * candidates.length) / totalPairs, Math.max(1e-15, prior));
  if (candidates.length === 0) return bounded(1 / totalPairs);
  let prior = bounded((0.5 * candidates.length) / totalPairs);
  // The fixed point moves slowly when few pairs are matches: more steps than EM's, each one cheap.
  for (let iteration = 0; iteration < limits.maxIterations * 10; iteration++) {
    let matches = 0;
    for (const pattern of candidates) matches += posterior(pattern, m, u, prior, active);
    const next = bounded(matches / totalPairs);
    const moved = Math.abs(next - prior) / prior;
    prior = next;
    if (moved < limits.tolerance) break;
  }
  return prior;
}

/** P(match | pattern) under the model, every comparison counted. */
export function matchProbability(pattern: Pattern, m: number[][], u: number[][], lambda: number): number {
  return posterior(pattern, m, u, lambda, undefined);
}

function posterior(
  pattern: Pattern,
  m: number[][],
  u: number[][],
  lambda: number,
  active: readonly boolean[] | undefined,
): number {
  let logRatio = Math.log(lambda) - Math.log(1 - lambda);
  for (let k = 0; k < pattern.length; k++) {
    const outcome = pattern[k] as number;
    if (outcome === MISSING || (active && !active[k])) continue;
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
  return counts.map(smoothed);
}

function smoothed(row: readonly number[]): number[] {
  const total = row.reduce((sum, count) => sum + count, 0) + PSEUDO_COUNT * row.length;
  return row.map((count) => clamp((count + PSEUDO_COUNT) / total));
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

function largestChange(before: number[][], after: number[][], active: readonly boolean[]): number {
  let largest = 0;
  before.forEach((row, k) => {
    if (!active[k]) return;
    row.forEach((value, outcome) => {
      largest = Math.max(largest, Math.abs(value - ((after[k] as number[])[outcome] as number)));
    });
  });
  return largest;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);

/** A share of matches: off 0, and at most LAMBDA_CEILING. */
function guard(lambda: number): number {
  return Math.min(LAMBDA_CEILING, clamp(lambda));
}

function clamp(probability: number): number {
  return Math.min(1 - FLOOR, Math.max(FLOOR, probability));
}
