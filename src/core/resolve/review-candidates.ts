/**
 * Review candidates: pairs of records a resolution keeps apart that a data steward should look at,
 * found while the rules run (resolve-records.ts) and returned beside the profiles:
 *   - `score_band`: a fuzzy pair scoring in its rule's review band (review_from up to min_score);
 *   - `refused`: a merge a rule proposed and a protection refused (a guard, a never-merge field, an
 *     identifier limit, the profile size cap), or one only a shared value kept from a rule: a fuzzy
 *     pair that reaches min_score when the shared value counts, or a deterministic rule of two or
 *     more fields whose values all agree, one through a shared value. A rule on the shared value
 *     alone (a household's landline) makes no candidate: that the value is used by several people
 *     is all it says, and every household would fill the queue.
 *
 * A candidate is kept only when its two records end in different profiles that no manual decision
 * keeps apart, and only one per pair of profiles: the first found, in the resolver's priority order
 * (rules in file order, each rule's own order), so resolving a component alone or with others gives
 * the same candidates.
 */
import type { ConstrainedUnion } from './constrained-union.js';
import type { GuardConflict } from './profile-guards.js';
import type { PreparedRecord, RecordRef, RefusalReason } from './types.js';

export type ReviewKind = 'score_band' | 'refused';

/** Why a refused candidate was refused: a protection, or a shared value. Manual decisions make none. */
export type ReviewReason = Exclude<RefusalReason, 'manual_decision'> | 'shared_value';

/** What a rule found between two records (indexes into the records resolved), before the pair is ordered. */
export interface ReviewFinding {
  readonly kind: ReviewKind;
  readonly rule: string;
  readonly reason?: ReviewReason;
  /** Fuzzy rules: the pair's score (shared values counting for nothing) and the rule's min_score. */
  readonly score?: number;
  readonly threshold?: number;
  /** `guard_conflict`: the guarded field; `shared_value`: the field whose value is shared. */
  readonly field?: string;
  /** `guard_conflict`: the values that disagreed, side a or b being the finding's first or second record. */
  readonly conflict?: GuardConflict;
}

export interface ReviewCandidate extends ReviewFinding {
  /** The two records in reference order (a < b). */
  readonly a: RecordRef;
  readonly b: RecordRef;
}

export class ReviewCollector {
  private readonly findings: { readonly a: number; readonly b: number; readonly finding: ReviewFinding }[] = [];

  add(a: number, b: number, finding: ReviewFinding): void {
    this.findings.push({ a, b, finding });
  }

  /** The candidates once every rule has run: apart, not kept apart by hand, one per pair of profiles. */
  finish(records: readonly PreparedRecord[], union: ConstrainedUnion): ReviewCandidate[] {
    const seen = new Set<string>();
    const candidates: ReviewCandidate[] = [];
    for (const { a, b, finding } of this.findings) {
      const rootA = union.find(a);
      const rootB = union.find(b);
      if (rootA === rootB) continue;
      // With `manual`, only a keep-apart decision between the two profiles refuses.
      if (union.refusal(a, b, { manual: true })) continue;
      const pair = rootA < rootB ? `${rootA},${rootB}` : `${rootB},${rootA}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      candidates.push(ordered((records[a] as PreparedRecord).ref, (records[b] as PreparedRecord).ref, finding));
    }
    return candidates.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  }
}

/** The candidate with its records in reference order; a guard conflict's side follows its record. */
function ordered(first: RecordRef, second: RecordRef, finding: ReviewFinding): ReviewCandidate {
  const swap = second < first;
  const score = finding.score === undefined ? {} : { score: Math.round(finding.score * 1000) / 1000 };
  const conflict =
    finding.conflict && swap
      ? { conflict: { ...finding.conflict, side: finding.conflict.side === 'a' ? ('b' as const) : ('a' as const) } }
      : {};
  return { ...finding, ...score, ...conflict, a: swap ? second : first, b: swap ? first : second };
}
