/**
 * The outcome a pair reaches on one comparison of a fuzzy rule, as the training counts it: the
 * index of the first level reached, the rule's "else" (both values present, no level reached), or
 * missing (a side has no value). Scoring adds the weight of this outcome; training estimates how
 * often matches and non-matches reach each one.
 */
import { measureOf } from '../resolve/fuzzy-score.js';
import type { Comparison } from '../rules/schema.js';
import { DATE_CLOSENESS } from '../similarity/date-closeness.js';

/** A side lacks the field: no evidence either way. */
export const MISSING = -1;

/** How many outcomes a comparison has besides missing: its levels, then "else". */
export function outcomeCount(comparison: Comparison): number {
  return comparison.comparator === 'exact' ? 2 : comparison.levels.length + 1;
}

/** With several values per side (two emails), the best outcome counts, as in scoring. */
export function comparisonOutcome(comparison: Comparison, left: readonly string[], right: readonly string[]): number {
  if (left.length === 0 || right.length === 0) return MISSING;
  let best = outcomeCount(comparison) - 1;
  for (const l of left) {
    for (const r of right) best = Math.min(best, outcomeAt(comparison, measureOf(comparison, l, r)));
  }
  return best;
}

function outcomeAt(comparison: Comparison, measure: number): number {
  switch (comparison.comparator) {
    case 'exact':
      return measure === 1 ? 0 : 1;
    case 'levenshtein': {
      const index = comparison.levels.findIndex((level) => measure <= level.max_distance);
      return index === -1 ? comparison.levels.length : index;
    }
    case 'jaro_winkler': {
      const index = comparison.levels.findIndex((level) => measure >= level.min_similarity);
      return index === -1 ? comparison.levels.length : index;
    }
    case 'date': {
      const index = comparison.levels.findIndex((level) => measure <= DATE_CLOSENESS.indexOf(level.within));
      return index === -1 ? comparison.levels.length : index;
    }
  }
}

/** The weights a comparison gives its outcomes today, in outcome order. */
export function currentWeights(comparison: Comparison): number[] {
  return comparison.comparator === 'exact'
    ? [comparison.weight, comparison.else_weight]
    : [...comparison.levels.map((level) => level.weight), comparison.else_weight];
}
