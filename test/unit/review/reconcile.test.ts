/** How a commit changes the review queue: found again, changed, gone, decided, or its record removed. */
import { describe, expect, it } from 'vitest';
import type { ReviewCandidate } from '../../../src/core/resolve/review-candidates.js';
import { newReviewItems, reconcileReview } from '../../../src/core/review/reconcile.js';
import { decideItem, type ReviewItem, reviewItemId } from '../../../src/core/review/review-item.js';

const band = (a: string, b: string, score = 6): ReviewCandidate => ({
  a,
  b,
  kind: 'score_band',
  rule: 'names',
  score,
  threshold: 7,
});

const [existing] = newReviewItems([band('crm:1', 'crm:2')], 3, '2026-06-01T00:00:00.000Z') as [ReviewItem];
const at = '2026-06-02T00:00:00.000Z';

describe('reconcileReview', () => {
  it('gives an item an ID from its pair, whichever way round, and writes nothing for one found again unchanged', () => {
    expect(existing.id).toBe(reviewItemId('crm:2', 'crm:1'));
    expect(existing.id).toMatch(/^r_[0-9a-f]{20}$/);
    expect(existing.id).not.toBe(reviewItemId('crm:1', 'crm:3'));
    const change = reconcileReview({
      existing: [existing],
      candidates: [band('crm:1', 'crm:2')],
      removed: new Set(),
      commit: 4,
      at,
    });
    expect(change).toEqual({ upserts: [], removed: [] });
  });

  it('rewrites a changed finding, keeping its creation; removes an open item not found again; adds a new one', () => {
    const other = newReviewItems([band('crm:5', 'crm:6')], 2, '2026-05-01T00:00:00.000Z')[0] as ReviewItem;
    const change = reconcileReview({
      existing: [existing, other],
      candidates: [band('crm:1', 'crm:2', 5.5), band('crm:3', 'crm:4')],
      removed: new Set(),
      commit: 4,
      at,
    });
    expect(change.removed).toEqual([other.id]);
    expect(change.upserts).toEqual([
      { ...existing, score: 5.5, updatedCommit: 4, updatedAt: at },
      {
        ...band('crm:3', 'crm:4'),
        id: reviewItemId('crm:3', 'crm:4'),
        status: 'open',
        createdCommit: 4,
        createdAt: at,
        updatedCommit: 4,
        updatedAt: at,
      },
    ]);
  });

  it('keeps a decided item as it is, whether found again or not, and never reopens it', () => {
    const decided = decideItem(existing, { action: 'keep_apart', actor: 'user:kim', at, decisionId: 'd4' }, 4);
    expect(decided).toMatchObject({ status: 'decided', updatedCommit: 4, createdCommit: 3 });
    for (const candidates of [[band('crm:1', 'crm:2')], [band('crm:1', 'crm:2', 6.5)], []]) {
      expect(reconcileReview({ existing: [decided], candidates, removed: new Set(), commit: 5, at })).toEqual({
        upserts: [],
        removed: [],
      });
    }
  });

  it('removes every item naming a removed record, decided or not', () => {
    const decided = decideItem(
      newReviewItems([band('crm:1', 'crm:9')], 2, at)[0] as ReviewItem,
      { action: 'link', actor: 'user:kim', at, decisionId: 'd3' },
      3,
    );
    const change = reconcileReview({
      existing: [existing, decided],
      candidates: [],
      removed: new Set(['crm:1']),
      commit: 5,
      at,
    });
    expect(change.removed).toEqual([existing.id, decided.id].sort());
  });

  it('keeps a guard conflict with its values masked', () => {
    const [item] = newReviewItems(
      [
        {
          a: 'crm:1',
          b: 'crm:2',
          kind: 'refused',
          rule: 'phone',
          reason: 'guard_conflict',
          field: 'first_name',
          conflict: {
            field: 'first_name',
            comparator: 'exact',
            value: 'annabel',
            side: 'a',
            others: ['bob', 'roberta'],
          },
        },
      ],
      1,
      at,
    );
    expect(item?.conflict).toEqual({ comparator: 'exact', value: 'a***', side: 'a', others: ['b***', 'r***'] });
    expect(JSON.stringify(item)).not.toMatch(/annabel|roberta/);
  });
});
