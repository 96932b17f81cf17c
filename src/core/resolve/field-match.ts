/**
 * When two values of a field agree, for a deterministic rule's compared field or a guard: equal
 * matching keys, nicknames of one first name, or a Jaro-Winkler similarity at a threshold.
 */
import type { FieldComparator, FieldEntry } from '../rules/schema.js';
import { jaroWinkler } from '../similarity/jaro-winkler.js';
import { areNicknames } from '../similarity/nicknames.js';

export interface FieldMatch {
  readonly field: string;
  readonly comparator: FieldComparator;
  /** jaro_winkler only. */
  readonly minSimilarity: number;
  /** Nicknames agree (always for `nickname`, on request for `jaro_winkler`). */
  readonly nicknames: boolean;
}

/** A bare field name means `exact`. */
export function compileFieldMatch(entry: FieldEntry): FieldMatch {
  if (typeof entry === 'string') return { field: entry, comparator: 'exact', minSimilarity: 1, nicknames: false };
  switch (entry.comparator) {
    case 'exact':
      return { field: entry.field, comparator: 'exact', minSimilarity: 1, nicknames: false };
    case 'nickname':
      return { field: entry.field, comparator: 'nickname', minSimilarity: 1, nicknames: true };
    case 'jaro_winkler':
      return {
        field: entry.field,
        comparator: 'jaro_winkler',
        minSimilarity: entry.min_similarity,
        nicknames: entry.nicknames,
      };
  }
}

export function valuesAgree(match: FieldMatch, left: string, right: string): boolean {
  if (left === right) return true;
  if (match.nicknames && areNicknames(left, right)) return true;
  return match.comparator === 'jaro_winkler' && jaroWinkler(left, right) >= match.minSimilarity;
}

/** Whether any value of one side agrees with any of the other's (several emails, say). */
export function anyAgree(match: FieldMatch, left: readonly string[], right: readonly string[]): boolean {
  for (const l of left) for (const r of right) if (valuesAgree(match, l, r)) return true;
  return false;
}
