/**
 * Scores one candidate pair under a fuzzy rule: each comparison adds the weight of the first level
 * the pair reaches (or its else_weight); a field missing on either side adds the comparison's
 * missing_weight, 0 unless the rules say (absence is then no evidence either way). A comparison
 * with term_frequency adds to an agreement on one value how rare that value is (term-frequencies.ts).
 */
import type { Comparison } from '../rules/schema.js';
import { DATE_CLOSENESS, dateCloseness } from '../similarity/date-closeness.js';
import { jaroWinkler } from '../similarity/jaro-winkler.js';
import { levenshtein } from '../similarity/levenshtein.js';
import { areNicknames } from '../similarity/nicknames.js';
import { type CompiledFuzzyRule, fieldKeys } from './compiled-rules.js';
import { adjustmentFor, maxAdjustmentOf, type TermFrequencies } from './term-frequencies.js';
import type { EvidenceItem, PreparedRecord } from './types.js';

export interface PairScore {
  readonly score: number;
  readonly evidence: EvidenceItem[];
}

/** Whether a value (a field and matching key) is no evidence: an identifier value found shared. */
export type NoEvidence = (field: string, key: string) => boolean;

const EVERY_VALUE_COUNTS: NoEvidence = () => false;

/**
 * A shared value gives no positive weight (the family mailbox two people agree on says nothing of
 * them), while a disagreement still counts: so the score never exceeds the one without the verdicts,
 * and the bound reachesMinScore computes without them still holds.
 */
export function scorePair(
  a: PreparedRecord,
  b: PreparedRecord,
  rule: CompiledFuzzyRule,
  frequencies: TermFrequencies,
  noEvidence: NoEvidence = EVERY_VALUE_COUNTS,
): PairScore {
  let score = 0;
  const evidence: EvidenceItem[] = [];
  for (const comparison of rule.compare) {
    const left = fieldKeys(a, comparison.field);
    const right = fieldKeys(b, comparison.field);
    if (left.length === 0 || right.length === 0) {
      score += comparison.missing_weight ?? 0;
      continue;
    }
    const best = bestOutcome(comparison, left, right, noEvidence, frequencies);
    score += best.weight;
    evidence.push({
      field: comparison.field,
      values: [best.left, best.right],
      comparator: comparison.comparator,
      // A date's measure is the index of the closest level it reached (date-closeness.ts).
      ...(comparison.comparator === 'levenshtein' || comparison.comparator === 'date'
        ? { distance: best.measure }
        : { similarity: best.measure }),
      weight: best.weight,
      ...(best.adjusted ? { termFrequencyAdjustment: best.adjustment } : {}),
    });
  }
  return { score, evidence };
}

/** A record's keys for each comparison of a rule, in the rule's order (what scoring reads of it). */
export type CompareKeys = readonly (readonly string[])[];

export function compareKeysOf(record: PreparedRecord, rule: CompiledFuzzyRule): CompareKeys {
  return rule.compare.map((comparison) => fieldKeys(record, comparison.field));
}

/**
 * The lowest score resolution looks at under a rule: the review band's lower end when the rule has
 * one (a pair in the band is a review item, so its records are resolved together), else min_score.
 */
export const lowestScoreOfInterest = (rule: CompiledFuzzyRule): number => rule.reviewFrom ?? rule.minScore;

/**
 * scorePair's decision (score >= min_score, or another floor) without its evidence, from the
 * records' CompareKeys. It stops once even the best weights of the comparisons left cannot reach the
 * floor: finding the components of a large load asks this of hundreds of thousands of pairs, most of
 * them no match. The bound adds in scorePair's order, so it is never below the score scorePair would reach.
 */
export function reachesMinScore(
  a: CompareKeys,
  b: CompareKeys,
  rule: CompiledFuzzyRule,
  frequencies: TermFrequencies,
  minScore: number = rule.minScore,
): boolean {
  const { compare } = rule;
  const best = bestWeights(rule);
  let score = 0;
  for (let index = 0; index < compare.length; index++) {
    let bound = score;
    for (let rest = index; rest < compare.length; rest++) bound += best[rest] as number;
    if (bound < minScore) return false;
    const left = a[index] as readonly string[];
    const right = b[index] as readonly string[];
    if (left.length === 0 || right.length === 0) {
      score += (compare[index] as Comparison).missing_weight ?? 0;
      continue;
    }
    let weight = Number.NEGATIVE_INFINITY;
    for (const l of left) {
      for (const r of right) weight = Math.max(weight, weightOf(compare[index] as Comparison, l, r, frequencies));
    }
    score += weight;
  }
  return score >= minScore;
}

const bestWeightsOfRule = new WeakMap<CompiledFuzzyRule, readonly number[]>();

/**
 * The most each comparison can add: its best level, or nothing when a side lacks the field. Equal
 * values reach the first level, the only one a term-frequency adjustment adds to, by at most its bound.
 */
function bestWeights(rule: CompiledFuzzyRule): readonly number[] {
  let weights = bestWeightsOfRule.get(rule);
  if (!weights) {
    weights = rule.compare.map((comparison) => {
      const rare = comparison.term_frequency === true ? maxAdjustmentOf(comparison) : 0;
      const levels = comparison.comparator === 'exact' ? [comparison.weight] : comparison.levels.map((l) => l.weight);
      return Math.max(
        comparison.missing_weight ?? 0,
        comparison.else_weight,
        ...levels.map((weight, index) => weight + (index === 0 ? rare : 0)),
      );
    });
    bestWeightsOfRule.set(rule, weights);
  }
  return weights;
}

interface Outcome {
  weight: number;
  measure: number;
  left: string;
  right: string;
  /** Whether a term-frequency adjustment applied (the comparison weighs frequencies and the values agree). */
  adjusted: boolean;
  adjustment: number;
}

/** With several values per side (two emails, say) the best-scoring combination counts. */
function bestOutcome(
  comparison: Comparison,
  left: readonly string[],
  right: readonly string[],
  noEvidence: NoEvidence,
  frequencies: TermFrequencies,
): Outcome {
  let best: Outcome | undefined;
  for (const l of left) {
    for (const r of right) {
      const measure = measureOf(comparison, l, r);
      const adjusted = comparison.term_frequency === true && l === r;
      const adjustment = adjustmentFor(comparison, l, r, frequencies);
      let weight = weightAt(comparison, measure) + adjustment;
      if (weight > 0 && (noEvidence(comparison.field, l) || noEvidence(comparison.field, r))) weight = 0;
      if (!best || weight > best.weight) best = { weight, measure, left: l, right: r, adjusted, adjustment };
    }
  }
  return best as Outcome;
}

function weightOf(comparison: Comparison, left: string, right: string, frequencies: TermFrequencies): number {
  return weightAt(comparison, measureOf(comparison, left, right)) + adjustmentFor(comparison, left, right, frequencies);
}

/** Equality (1 or 0), edit distance or similarity, as the comparator measures. */
export function measureOf(comparison: Comparison, left: string, right: string): number {
  switch (comparison.comparator) {
    case 'exact':
      return left === right ? 1 : 0;
    case 'levenshtein':
      return levenshtein(left, right);
    case 'jaro_winkler':
      return comparison.nicknames && areNicknames(left, right) ? 1 : Math.round(jaroWinkler(left, right) * 1000) / 1000;
    case 'date':
      return dateCloseness(left, right);
  }
}

function weightAt(comparison: Comparison, measure: number): number {
  switch (comparison.comparator) {
    case 'exact':
      return measure === 1 ? comparison.weight : comparison.else_weight;
    case 'levenshtein':
      return comparison.levels.find((level) => measure <= level.max_distance)?.weight ?? comparison.else_weight;
    case 'jaro_winkler':
      return comparison.levels.find((level) => measure >= level.min_similarity)?.weight ?? comparison.else_weight;
    case 'date':
      return (
        comparison.levels.find((level) => measure <= DATE_CLOSENESS.indexOf(level.within))?.weight ??
        comparison.else_weight
      );
  }
}
