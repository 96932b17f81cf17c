/**
 * Trained parameters as rules: each outcome's weight is log2(m/u), the evidence for a match it
 * carries, and the rule's min_score is the summed weight at which a candidate pair is a match with
 * the probability asked for, given the share of matches among candidates (lambda):
 *   P(match) >= p  <=>  score + log2(lambda / (1 - lambda)) >= log2(p / (1 - p)).
 */
import type { Comparison } from '../rules/schema.js';
import type { Estimate } from './estimate.js';
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
  readonly outcomes: readonly OutcomeSuggestion[];
}

export interface RuleSuggestion {
  readonly rule: string;
  readonly comparisons: readonly ComparisonSuggestion[];
  readonly currentMinScore: number;
  readonly suggestedMinScore: number;
  readonly lambda: number;
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
    return {
      field: comparison.field,
      outcomes: current.map((weight, outcome) => ({
        label: outcomeLabel(comparison, outcome),
        m: m[outcome] as number,
        u: u[outcome] as number,
        current: weight,
        suggested: round(Math.log2((m[outcome] as number) / (u[outcome] as number))),
      })),
    };
  });
  const prior = Math.log2(estimate.lambda / (1 - estimate.lambda));
  const suggestedMinScore = round(Math.log2(matchProbability / (1 - matchProbability)) - prior);
  return { rule, comparisons, currentMinScore, suggestedMinScore, lambda: estimate.lambda };
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
