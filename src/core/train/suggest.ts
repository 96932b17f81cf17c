/**
 * Trained parameters as rules: each outcome's weight is log2(m/u), the evidence for a match it
 * carries, and the rule's min_score is the summed weight at which a pair is a match with the
 * probability asked for, given the prior that two random records match (every comparison is scored,
 * the blocking key's fields too, so the prior is a random pair's, not a candidate pair's):
 *   P(match) >= p  <=>  score + log2(prior / (1 - prior)) >= log2(p / (1 - p)).
 * A comparison the training could not estimate (its field in every blocking key, no anchor pairs)
 * keeps its current weights. A threshold `rules validate` would refuse (not above 0, or above the best
 * score the trained weights can reach) is not suggested: the rule says why instead.
 */
import type { Comparison } from '../rules/schema.js';
import type { Estimate, MSource } from './estimate.js';
import { currentWeights } from './outcome.js';

export interface OutcomeSuggestion {
  /** "level 1 (min_similarity 0.95)", "else". */
  readonly label: string;
  readonly m: number;
  readonly u: number;
  readonly current: number;
  readonly suggested: number;
}

export interface ComparisonSuggestion {
  readonly field: string;
  /** Where m comes from; with "none" the suggested weights are the current ones. */
  readonly mSource: MSource;
  readonly outcomes: readonly OutcomeSuggestion[];
}

export interface RuleSuggestion {
  readonly rule: string;
  readonly comparisons: readonly ComparisonSuggestion[];
  readonly currentMinScore: number;
  readonly suggestedMinScore: number;
  readonly lambda: number;
  /** The probability that two records drawn at random match: where the threshold starts. */
  readonly prior: number;
  /** Why the suggested min_score cannot be written (rules validate would refuse it), when it cannot. */
  readonly problem?: string;
}

/** Weights are written with two decimals: finer than that is noise of the sample. */
const round = (value: number) => Math.round(value * 100) / 100;

export function suggestRule(
  rule: string,
  compare: readonly Comparison[],
  currentMinScore: number,
  estimate: Estimate,
  matchProbability: number,
): RuleSuggestion {
  const comparisons = compare.map((comparison, k) => {
    const current = currentWeights(comparison);
    const m = estimate.m[k] as number[];
    const u = estimate.u[k] as number[];
    const mSource = estimate.mSource[k] ?? 'none';
    return {
      field: comparison.field,
      mSource,
      outcomes: current.map((weight, outcome) => ({
        label: outcomeLabel(comparison, outcome),
        m: m[outcome] as number,
        u: u[outcome] as number,
        current: weight,
        suggested: mSource === 'none' ? weight : round(Math.log2((m[outcome] as number) / (u[outcome] as number))),
      })),
    };
  });
  const prior = Math.log2(estimate.prior / (1 - estimate.prior));
  const suggestedMinScore = round(Math.log2(matchProbability / (1 - matchProbability)) - prior);
  const best = round(
    comparisons.reduce(
      (sum, comparison) => sum + Math.max(0, ...comparison.outcomes.map((outcome) => outcome.suggested)),
      0,
    ),
  );
  const suggestion = {
    rule,
    comparisons,
    currentMinScore,
    suggestedMinScore,
    lambda: estimate.lambda,
    prior: estimate.prior,
  };
  if (suggestedMinScore <= 0) {
    return {
      ...suggestion,
      problem:
        `the suggested min_score ${suggestedMinScore} is not above 0 (rules validate refuses it): EM puts the ` +
        `probability that two random records match at ${estimate.prior.toPrecision(3)}, so at match probability ` +
        `${matchProbability} a pair with no evidence would merge; ask for a higher --match-probability`,
    };
  }
  if (suggestedMinScore > best) {
    return {
      ...suggestion,
      problem:
        `the suggested min_score ${suggestedMinScore} cannot be reached: the best score the trained weights ` +
        `give is ${best} (rules validate refuses it); ask for a lower --match-probability`,
    };
  }
  return suggestion;
}

function outcomeLabel(comparison: Comparison, outcome: number): string {
  switch (comparison.comparator) {
    case 'exact':
      return outcome === 0 ? 'equal' : 'else';
    case 'levenshtein': {
      const level = comparison.levels[outcome];
      return level ? `max_distance ${level.max_distance}` : 'else';
    }
    case 'jaro_winkler': {
      const level = comparison.levels[outcome];
      return level ? `min_similarity ${level.min_similarity}` : 'else';
    }
    case 'date': {
      const level = comparison.levels[outcome];
      return level ? `within ${level.within}` : 'else';
    }
  }
}
