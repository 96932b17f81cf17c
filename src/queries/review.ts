/**
 * The review queue: items to decide (pairs of records kept apart that a steward should look at),
 * a page at a time with filters, and one item with its two records side by side. The list holds no
 * record values (a guard's values are masked); the values appear only when one item is shown.
 */

import type { FrequencySource } from '../core/resolve/term-frequencies.js';
import type { PreparedRecord, RecordRef } from '../core/resolve/types.js';
import { identifierKey } from '../core/resolve/types.js';
import type { ReviewItem, ReviewQuery } from '../core/review/review-item.js';
import type { FieldSideBySide, PairScoring } from '../core/review/side-by-side.js';
import { scoreForReview, sideBySide } from '../core/review/side-by-side.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';
import { QueryError } from './query-error.js';

export const REVIEW_PAGE_DEFAULT = 50;
export const REVIEW_PAGE_MAX = 500;

export interface ReviewList {
  readonly items: readonly ReviewItem[];
  /** Items matching the filters, in all pages. */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export async function listReview(store: Pick<GraphReads, 'reviewItems'>, query: ReviewQuery): Promise<ReviewList> {
  const { items, total } = await store.reviewItems(query);
  return { items, total, offset: query.offset, limit: query.limit };
}

/** One record of an item as the records hold it now, with the profile it is in. */
export interface ReviewRecord {
  readonly ref: RecordRef;
  readonly source: string;
  readonly recordId: string;
  readonly profileId: string | null;
  /** When the source last saw the record (its timestamp field), or null when it has none. */
  readonly seen: string | null;
}

export interface ReviewView {
  readonly item: ReviewItem;
  readonly records: readonly [ReviewRecord, ReviewRecord];
  readonly fields: readonly FieldSideBySide[];
  /** For an item of a fuzzy rule in force: the pair scored now, comparison by comparison. */
  readonly scoring?: PairScoring;
}

type ShowReads = Pick<GraphReads, 'reviewItemsById' | 'getRecords' | 'profileIdsOf' | 'sharedIdentifiers'>;

export async function showReview(
  store: ShowReads,
  rules: Pick<LoadedRules, 'compiled'>,
  id: string,
  /** The term counts resolution scores with. */
  frequencies: FrequencySource,
): Promise<ReviewView> {
  const item = (await store.reviewItemsById([id])).get(id);
  if (!item) throw new QueryError('NOT_FOUND', `no review item ${id}`);
  const records = await store.getRecords([item.a, item.b]);
  const a = records.get(item.a);
  const b = records.get(item.b);
  // An item naming a removed record goes in the same commit; this guards against reading between.
  if (!a || !b) throw new QueryError('NOT_FOUND', `a record of review item ${id} is no longer in the graph`);
  const profiles = await store.profileIdsOf([item.a, item.b]);
  const rule = rules.compiled.rules.find((candidate) => candidate.id === item.rule);
  const keys = [...a.identifiers, ...b.identifiers].map((identifier) => identifierKey(identifier.type, identifier.key));
  const shared = await store.sharedIdentifiers([...new Set(keys)]);
  const noEvidence = (field: string, key: string) =>
    rules.compiled.identifierTypes.has(field) && shared.has(identifierKey(field, key));
  const scoring = rule?.kind === 'fuzzy' ? scoreForReview(a, b, rule, noEvidence, await frequencies()) : undefined;
  return {
    item,
    records: [recordOf(a, profiles.get(item.a)), recordOf(b, profiles.get(item.b))],
    fields: sideBySide(a, b, rule),
    ...(scoring ? { scoring } : {}),
  };
}

function recordOf(record: PreparedRecord, profileId: string | undefined): ReviewRecord {
  return {
    ref: record.ref,
    source: record.source,
    recordId: record.recordId,
    profileId: profileId ?? null,
    seen: record.ts > 0 ? new Date(record.ts).toISOString() : null,
  };
}
