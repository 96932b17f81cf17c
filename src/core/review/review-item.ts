/**
 * A review item: a pair of records resolution keeps apart that a data steward should decide on
 * (link them, or keep them apart), as the stores keep it. It holds what resolution found (the
 * candidate, see core/resolve/review-candidates.ts) with any value masked, when it was found and
 * last changed, and once decided, the decision. The records' values are read from the records
 * when an item is shown, never copied here: erasing a record leaves nothing of it in the queue.
 */
import { hash } from 'node:crypto';
import type { ReviewCandidate, ReviewKind, ReviewReason } from '../resolve/review-candidates.js';
import type { RecordRef } from '../resolve/types.js';

export type ReviewStatus = 'open' | 'decided';

/** What a steward decides: link the two records, or keep them apart for good. */
export type ReviewAction = 'link' | 'keep_apart';

export interface ReviewDecision {
  readonly action: ReviewAction;
  /** `user:<name>`, as on every decision. */
  readonly actor: string;
  readonly at: string;
  /** The manual decision recorded for it (`d<commit>`), which keeps holding through re-runs. */
  readonly decisionId: string;
  readonly note?: string;
}

export interface ReviewItem {
  /** `r_` and 20 hex digits, from the pair: one item per pair of records, ever. */
  readonly id: string;
  /** The two records in reference order (a < b). */
  readonly a: RecordRef;
  readonly b: RecordRef;
  readonly kind: ReviewKind;
  readonly rule: string;
  /** `refused` items: what refused the merge. */
  readonly reason?: ReviewReason;
  /** Fuzzy rules: the pair's score and the rule's min_score. */
  readonly score?: number;
  readonly threshold?: number;
  /** The guarded field of a `guard_conflict`, the field of a `shared_value`. */
  readonly field?: string;
  /** `guard_conflict`: the value with no partner (side a or b: whose profile holds it) and the other side's values, masked. */
  readonly conflict?: {
    readonly comparator: string;
    readonly value: string;
    readonly side: 'a' | 'b';
    readonly others: readonly string[];
  };
  readonly status: ReviewStatus;
  readonly createdCommit: number;
  readonly createdAt: string;
  readonly updatedCommit: number;
  readonly updatedAt: string;
  readonly decision?: ReviewDecision;
}

/** What one commit does to the queue: items written in full (new, changed or decided), and items gone. */
export interface ReviewChange {
  readonly upserts: readonly ReviewItem[];
  readonly removed: readonly string[];
}

/** A page of the queue: filters are all optional; items come oldest first (created commit, then ID). */
export interface ReviewQuery {
  readonly status?: ReviewStatus;
  readonly rule?: string;
  readonly kind?: ReviewKind;
  readonly offset: number;
  readonly limit: number;
}

export interface ReviewPage {
  readonly items: ReviewItem[];
  /** Items matching the filters, in all pages. */
  readonly total: number;
}

export function reviewItemId(a: RecordRef, b: RecordRef): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return `r_${hash('sha256', `${first}\u0000${second}`).slice(0, 20)}`;
}

/** Whether an item passes a query's filters. */
export function matchesQuery(item: ReviewItem, query: Omit<ReviewQuery, 'offset' | 'limit'>): boolean {
  return (
    (query.status === undefined || item.status === query.status) &&
    (query.rule === undefined || item.rule === query.rule) &&
    (query.kind === undefined || item.kind === query.kind)
  );
}

/** Queue order: the oldest items first, then by ID. */
export function compareQueueOrder(x: ReviewItem, y: ReviewItem): number {
  return x.createdCommit - y.createdCommit || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}

/** The item once decided: the decision holds it, and nothing resolution finds later reopens it. */
export function decideItem(item: ReviewItem, decision: ReviewDecision, commit: number): ReviewItem {
  return { ...item, status: 'decided', decision, updatedCommit: commit, updatedAt: decision.at };
}

/** The finding part of a candidate, as an item stores it (guard values masked by the caller). */
export type ReviewFindingFields = Pick<
  ReviewItem,
  'a' | 'b' | 'kind' | 'rule' | 'reason' | 'score' | 'threshold' | 'field' | 'conflict'
>;

export type { ReviewCandidate };
