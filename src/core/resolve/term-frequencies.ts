/**
 * Term frequencies: how many records hold each value of a field, so that agreeing on a rare value
 * weighs more than agreeing on a common one. Two records that both say "John" are weaker evidence
 * than two that both say "Zbigniew", and a rule that gives both the same weight lets chains form
 * through the common values inside large profiles.
 *
 * A comparison with `term_frequency` adds, when its two values are the same, log2(u / p(value)) to
 * its weight: p(value) is the share of the field's values that are this one, and u = sum of p(v)^2
 * over all values is the chance two values drawn at random agree (what an exact match's u is). A
 * value as common as the average changes nothing; a rarer one adds weight, a commoner one takes
 * weight away, clamped to +-max_adjustment. Only the counts are kept: the same counts, however
 * they were reached (counted at once by the bulk path, kept up to date by each commit), give the
 * same adjustments.
 */
import { type Comparison, DEFAULT_MAX_ADJUSTMENT } from '../rules/schema.js';
import { fieldKeys } from './compiled-rules.js';
import type { PreparedRecord } from './types.js';

/** What scoring reads of the frequencies: the adjustment for an agreement on one value. */
export interface TermFrequencies {
  /**
   * log2(u / p(key)) for the field, clamped to +-limit. 0 for a field never counted (nothing is
   * known of its values); a value the counts do not hold is taken as held once, the rarest a value can be.
   */
  adjustment(field: string, key: string, limit: number): number;
}

/** Whatever gives the frequencies when asked: an explanation needs them only for a pair apart. */
export type FrequencySource = () => Promise<TermFrequencies>;

/** Scoring without frequencies: every agreement weighs its level's weight. */
export const NO_TERM_FREQUENCIES: TermFrequencies = { adjustment: () => 0 };

/** The bound a comparison's adjustment stays within. */
export const maxAdjustmentOf = (comparison: Comparison): number => comparison.max_adjustment ?? DEFAULT_MAX_ADJUSTMENT;

/** The adjustment a comparison gives two values: only an agreement on one value, and only with term_frequency. */
export function adjustmentFor(
  comparison: Comparison,
  left: string,
  right: string,
  frequencies: TermFrequencies,
): number {
  if (comparison.term_frequency !== true || left !== right) return 0;
  return frequencies.adjustment(comparison.field, left, maxAdjustmentOf(comparison));
}

const TERM_KEY_SEPARATOR = '\u0000';

/** A (field, value) as one string: how the bulk path carries a record's counted values (codec/packed-record.ts). */
export const termKey = (field: string, key: string): string => `${field}${TERM_KEY_SEPARATOR}${key}`;

/** The termKey of each value a record holds of these fields, each value once. */
export function termKeysOf(record: PreparedRecord, fields: readonly string[]): string[] {
  return fields.flatMap((field) => fieldKeys(record, field).map((key) => termKey(field, key)));
}

interface FieldCounts {
  readonly counts: Map<string, number>;
  /** The sum of the counts: how many (record, value) holdings there are. */
  total: number;
  /** The sum of each count squared, so that u = sumSquares / total^2 stays one division away. */
  sumSquares: number;
}

/** A count of every value of the counted fields, which records add to and take from. */
export class TermCounts implements TermFrequencies {
  private readonly byField = new Map<string, FieldCounts>();

  constructor(readonly fields: readonly string[]) {
    for (const field of fields) this.byField.set(field, { counts: new Map(), total: 0, sumSquares: 0 });
  }

  /** Counts of (field, key) pairs as the bulk path gathers them, or as another thread sent them. */
  static fromEntries(fields: readonly string[], entries: Iterable<readonly [string, string, number]>): TermCounts {
    const counts = new TermCounts(fields);
    for (const [field, key, count] of entries) counts.change(field, key, count);
    return counts;
  }

  /** Every count, to be sent to another thread (fromEntries reads them back). */
  *entries(): Generator<[string, string, number]> {
    for (const [field, { counts }] of this.byField) for (const [key, count] of counts) yield [field, key, count];
  }

  /** Counts a value given as a termKey (a field not counted here is passed over). */
  addTermKey(entry: string): void {
    const at = entry.indexOf(TERM_KEY_SEPARATOR);
    this.change(entry.slice(0, at), entry.slice(at + 1), 1);
  }

  /** Counts a record's values (each value once per record), or takes them away with -1. */
  add(record: PreparedRecord, sign: 1 | -1 = 1): void {
    for (const field of this.fields) for (const key of fieldKeys(record, field)) this.change(field, key, sign);
  }

  /** Moves one value's count by delta. A count that would fall below 0 is a caller's mistake, refused. */
  change(field: string, key: string, delta: number): void {
    const counted = this.byField.get(field);
    if (!counted || delta === 0) return;
    const before = counted.counts.get(key) ?? 0;
    const after = before + delta;
    if (after < 0) throw new RangeError(`term count of a ${field} value would fall below 0`);
    if (after === 0) counted.counts.delete(key);
    else counted.counts.set(key, after);
    counted.total += delta;
    counted.sumSquares += after * after - before * before;
  }

  /** How many holdings of this value are counted (0 when none). */
  count(field: string, key: string): number {
    return this.byField.get(field)?.counts.get(key) ?? 0;
  }

  adjustment(field: string, key: string, limit: number): number {
    const counted = this.byField.get(field);
    if (!counted || counted.total === 0) return 0;
    const count = Math.max(1, counted.counts.get(key) ?? 0);
    // u / p = (sumSquares / total^2) / (count / total), with integers until the one division.
    const raw = Math.log2(counted.sumSquares / (counted.total * count));
    // Rounded, so that evidence reads 2.322 rather than sixteen digits; the same counts round the same.
    return Math.min(limit, Math.max(-limit, Math.round(raw * 1000) / 1000));
  }
}
