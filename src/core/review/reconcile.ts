/**
 * The queue after a commit: the open items that touch the commit's scope are replaced by the ones
 * its resolution found. An item found again keeps its ID and creation, and counts as changed only
 * when what was found changed (a new score, another reason); an open item not found again is gone
 * (the pair now matches, or no longer scores in the band). A decided item stays decided and is never
 * reopened: its decision (a link or a keep-apart) also stops resolution finding the pair again. Items
 * naming a record that leaves the graph go with it, decided or not.
 */
import { redact } from '../audience/redact.js';
import type { ReviewCandidate } from '../resolve/review-candidates.js';
import type { RecordRef } from '../resolve/types.js';
import { type ReviewChange, type ReviewFindingFields, type ReviewItem, reviewItemId } from './review-item.js';

export interface ReconcileInput {
  /** Every stored item naming a record of the scope or a removed record. */
  readonly existing: readonly ReviewItem[];
  /** What the scope's resolution found. */
  readonly candidates: readonly ReviewCandidate[];
  /** Records this commit removes from the graph. */
  readonly removed: ReadonlySet<RecordRef>;
  readonly commit: number;
  readonly at: string;
}

export function reconcileReview(input: ReconcileInput): ReviewChange {
  const byId = new Map(input.existing.map((item) => [item.id, item]));
  const found = new Set<string>();
  const upserts: ReviewItem[] = [];
  for (const candidate of input.candidates) {
    const id = reviewItemId(candidate.a, candidate.b);
    found.add(id);
    const before = byId.get(id);
    if (before?.status === 'decided') continue;
    const finding = findingOf(candidate);
    if (before && sameFinding(before, finding)) continue;
    upserts.push({
      id,
      ...finding,
      status: 'open',
      createdCommit: before?.createdCommit ?? input.commit,
      createdAt: before?.createdAt ?? input.at,
      updatedCommit: input.commit,
      updatedAt: input.at,
    });
  }
  const removed: string[] = [];
  for (const item of input.existing) {
    const gone = input.removed.has(item.a) || input.removed.has(item.b);
    if (gone || (item.status === 'open' && !found.has(item.id))) removed.push(item.id);
  }
  return { upserts, removed: removed.sort() };
}

/** New items for a first load: every candidate found, created by this commit. */
export function newReviewItems(candidates: readonly ReviewCandidate[], commit: number, at: string): ReviewItem[] {
  return candidates.map((candidate) => ({
    id: reviewItemId(candidate.a, candidate.b),
    ...findingOf(candidate),
    status: 'open',
    createdCommit: commit,
    createdAt: at,
    updatedCommit: commit,
    updatedAt: at,
  }));
}

/** A candidate as an item holds it: only the fields it has, a guard's values masked. */
export function findingOf(candidate: ReviewCandidate): ReviewFindingFields {
  const { a, b, kind, rule, reason, score, threshold, field, conflict } = candidate;
  return {
    a,
    b,
    kind,
    rule,
    ...(reason !== undefined ? { reason } : {}),
    ...(score !== undefined ? { score } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(field !== undefined ? { field } : {}),
    ...(conflict
      ? {
          conflict: {
            comparator: conflict.comparator,
            value: redact(conflict.value),
            side: conflict.side,
            others: conflict.others.map(redact),
          },
        }
      : {}),
  };
}

function sameFinding(item: ReviewFindingFields, finding: ReviewFindingFields): boolean {
  return canonical(item) === canonical(finding);
}

/** The finding's fields in a fixed order, absent ones as null: equal findings give equal text. */
function canonical(fields: ReviewFindingFields): string {
  const { a, b, kind, rule, reason, score, threshold, field, conflict } = fields;
  const guard = conflict ? [conflict.comparator, conflict.value, conflict.side, conflict.others] : null;
  return JSON.stringify([a, b, kind, rule, reason ?? null, score ?? null, threshold ?? null, field ?? null, guard]);
}
