/**
 * (:ReviewItem {id, a, b, status, kind, rule, createdCommit, data}): the review queue, `a` and `b`
 * being the item's two records, `data` the whole item as JSON, and the other properties what the
 * queue is filtered and ordered by (graph/migrations/004-review-items.cypher indexes them).
 */
import type { ReviewChange, ReviewQuery } from '../../../core/review/review-item.js';
import { type Batches, batched, cypher, int, type Statement } from './statement.js';

const REMOVE_REVIEW_ITEMS = cypher`
  UNWIND $rows AS id
  MATCH (i:ReviewItem {id: id})
  DELETE i`;

/** Review items gone by ID. */
export const removeReviewItems = (ids: ReviewChange['removed']): Batches =>
  batched('removeReviewItems', REMOVE_REVIEW_ITEMS, ids);

const UPSERT_REVIEW_ITEMS = cypher`
  UNWIND $rows AS row
  MERGE (i:ReviewItem {id: row.id})
  SET i.a = row.a, i.b = row.b, i.status = row.status, i.kind = row.kind, i.rule = row.rule,
      i.createdCommit = row.createdCommit, i.data = row.data`;

/** A review item as the write takes it: the properties the queue is read by, and the whole item as JSON. */
export function reviewItemRows(items: ReviewChange['upserts']) {
  return items.map((item) => ({
    id: item.id,
    a: item.a,
    b: item.b,
    status: item.status,
    kind: item.kind,
    rule: item.rule,
    createdCommit: int(item.createdCommit),
    data: JSON.stringify(item),
  }));
}

/** Review items written in full: new, changed or decided. */
export const upsertReviewItems = (items: ReviewChange['upserts']): Batches =>
  batched('upsertReviewItems', UPSERT_REVIEW_ITEMS, reviewItemRows(items));

const REVIEW_ITEMS_OF = cypher`
  UNWIND $refs AS ref
  MATCH (i:ReviewItem {a: ref})
  RETURN i.id AS id, i.data AS data
  UNION
  UNWIND $refs AS ref
  MATCH (i:ReviewItem {b: ref})
  RETURN i.id AS id, i.data AS data`;

/** Every item naming any of these records, once (columns `id`, `data`; the caller orders): an index seek per side. */
export const reviewItemsOf = (refs: readonly string[]): Statement => ({
  name: 'reviewItemsOf',
  cypher: REVIEW_ITEMS_OF,
  params: { refs: [...new Set(refs)] },
});

const REVIEW_ITEMS_BY_ID = cypher`
  UNWIND $ids AS id
  MATCH (i:ReviewItem {id: id})
  RETURN i.id AS id, i.data AS data`;

/** Items by ID (columns `id`, `data`). */
export const reviewItemsById = (ids: readonly string[]): Statement => ({
  name: 'reviewItemsById',
  cypher: REVIEW_ITEMS_BY_ID,
  params: { ids: [...new Set(ids)] },
});

const FILTER = `($status IS NULL OR i.status = $status) AND ($rule IS NULL OR i.rule = $rule)
  AND ($kind IS NULL OR i.kind = $kind)`;

const REVIEW_PAGE = cypher`
  MATCH (i:ReviewItem)
  WHERE ${FILTER}
  RETURN i.data AS data ORDER BY i.createdCommit, i.id SKIP $offset LIMIT $limit`;

const filterParams = (query: Omit<ReviewQuery, 'offset' | 'limit'>) => ({
  status: query.status ?? null,
  rule: query.rule ?? null,
  kind: query.kind ?? null,
});

/** One page of the queue in queue order (column `data`). */
export const reviewPage = (query: ReviewQuery): Statement => ({
  name: 'reviewPage',
  cypher: REVIEW_PAGE,
  params: { ...filterParams(query), offset: int(query.offset), limit: int(query.limit) },
});

const REVIEW_COUNT = cypher`
  MATCH (i:ReviewItem)
  WHERE ${FILTER}
  RETURN count(i) AS total`;

/** How many items match the filters (column `total`). */
export const reviewCount = (query: Omit<ReviewQuery, 'offset' | 'limit'>): Statement => ({
  name: 'reviewCount',
  cypher: REVIEW_COUNT,
  params: filterParams(query),
});
