/**
 * Scores one candidate pair under a fuzzy rule: each comparison adds the weight of the first level
 * the pair reaches (or its else_weight); a field missing on either side adds nothing, since absence
 * is not evidence either way.
 */
import type { Comparison } from '../rules/schema.js';
import { jaroWinkler } from '../similarity/jaro-winkler.js';
import { levenshtein } from '../similarity/levenshtein.js';
import { areNicknames } from '../similarity/nicknames.js';
import { type CompiledFuzzyRule, fieldKeys } from './compiled-rules.js';
import type { EvidenceItem, PreparedRecord } from './types.js';

export interface PairScore {
  readonly score: number;
  readonly evidence: EvidenceItem[];
}

export function scorePair(a: PreparedRecord, b: PreparedRecord, rule: CompiledFuzzyRule): PairScore {
  let score = 0;
  const evidence: EvidenceItem[] = [];
  for (const comparison of rule.compare) {
    const left = fieldKeys(a, comparison.field);
    const right = fieldKeys(b, comparison.field);
    if (left.length === 0 || right.length === 0) continue;
    const best = bestOutcome(comparison, left, right);
    score += best.weight;
    evidence.push({
      field: comparison.field,
      values: [best.left, best.right],
      comparator: comparison.comparator,
      ...(comparison.comparator === 'levenshtein' ? { distance: best.measure } : { similarity: best.measure }),
      weight: best.weight,
    });
  }
  return { score, evidence };
}

interface Outcome {
  weight: number;
  measure: number;
  left: string;
  right: string;
}

/** With several values per side (two emails, say) the best-scoring combination counts. */
function bestOutcome(comparison: Comparison, left: readonly string[], right: readonly string[]): Outcome {
  let best: Outcome | undefined;
  for (const l of left) {
    for (const r of right) {
      const outcome = compareValues(comparison, l, r);
      if (!best || outcome.weight > best.weight) best = outcome;
    }
  }
  return best as Outcome;
}

function compareValues(comparison: Comparison, left: string, right: string): Outcome {
  switch (comparison.comparator) {
    case 'exact': {
      const equal = left === right;
      return { weight: equal ? comparison.weight : comparison.else_weight, measure: equal ? 1 : 0, left, right };
    }
    case 'levenshtein': {
      const distance = levenshtein(left, right);
      const level = comparison.levels.find((candidate) => distance <= candidate.max_distance);
      return { weight: level ? level.weight : comparison.else_weight, measure: distance, left, right };
    }
    case 'jaro_winkler': {
      const similarity =
        comparison.nicknames && areNicknames(left, right) ? 1 : Math.round(jaroWinkler(left, right) * 1000) / 1000;
      const level = comparison.levels.find((candidate) => similarity >= candidate.min_similarity);
      return { weight: level ? level.weight : comparison.else_weight, measure: similarity, left, right };
    }
  }
}
