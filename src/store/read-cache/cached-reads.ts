/**
 * The store's reads with the hot ones answered from a CommitCache: which profiles hold an
 * identifier (the API's lookup), a profile by ID (its records and evidence, or where a merged ID
 * went), a profile's records, and records by reference (a profile's golden record). Each key is
 * cached on its own, so a batch reads only the keys it misses, in one store call. Calls naming many
 * keys (an audience's thousands of people) go to the store as they are: they would only push the hot
 * entries out. Every other read goes straight to the store. Answers are frozen: a caller that
 * changed one would change what the next caller is handed.
 */
import type { EventCount } from '../../core/resolve/event-counts.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import type { ReviewItem, ReviewPage, ReviewQuery } from '../../core/review/review-item.js';
import type { DecisionEntry, GraphReads, ProfileLookup, StoredProfile } from '../graph-store.js';
import { inOrder } from '../in-order.js';
import type { CommitCache } from './commit-cache.js';
import type { CommitWatch } from './commit-watch.js';

/** Keys a call may name and still be cached: the API's lookups name one to a few. */
export const MAX_CACHED_KEYS = 64;

export class CachedReads implements GraphReads {
  constructor(
    private readonly store: GraphReads,
    private readonly cache: CommitCache,
    private readonly watch: CommitWatch,
  ) {}

  profilesHolding(identifiers: readonly string[]): Promise<Map<string, string[]>> {
    return this.each('holding', identifiers, (keys) => this.store.profilesHolding(keys));
  }

  profileRecords(ids: readonly string[]): Promise<Map<string, readonly RecordRef[]>> {
    return this.each('records-of', ids, (keys) => this.store.profileRecords(keys));
  }

  getRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>> {
    return this.each('record', refs, (keys) => this.store.getRecords(keys));
  }

  async findProfile(id: string): Promise<ProfileLookup | undefined> {
    const found = await this.each('profile', [id], async (ids) => {
      const lookup = await this.store.findProfile(ids[0] as string);
      return new Map(lookup ? [[id, lookup]] : []);
    });
    return found.get(id);
  }

  /** Each key from the cache at the latest commit known, the missing ones read in one store call. */
  private async each<V>(
    kind: string,
    keys: readonly string[],
    read: (missing: string[]) => Promise<Map<string, V>>,
  ): Promise<Map<string, V>> {
    if (keys.length > MAX_CACHED_KEYS) return read([...keys]);
    const commit = await this.watch.current();
    const answers = new Map<string, V | undefined>();
    const missing: string[] = [];
    for (const key of keys) {
      if (answers.has(key)) continue;
      const hit = this.cache.lookup<V>(`${kind}\u0000${key}`);
      if (hit) answers.set(key, hit.value);
      else if (!missing.includes(key)) missing.push(key);
    }
    if (missing.length > 0) {
      const found = await read(missing);
      for (const key of missing) {
        const value = found.get(key);
        const kept = value === undefined ? undefined : deepFreeze(value);
        this.cache.remember(`${kind}\u0000${key}`, kept, commit);
        answers.set(key, kept);
      }
    }
    return inOrder(keys, (key) => answers.get(key));
  }

  // Everything else, straight from the store.

  get oneWriter(): boolean {
    return this.store.oneWriter;
  }

  lastCommit(): Promise<number> {
    return this.store.lastCommit();
  }
  position(): Promise<string> {
    return this.store.position();
  }
  lastCommitAfter(position: string): Promise<number> {
    return this.store.lastCommitAfter(position);
  }
  getEncodedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    return this.store.getEncodedRecords(refs);
  }
  holdersOf(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return this.store.holdersOf(identifiers);
  }
  profileIdsOf(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    return this.store.profileIdsOf(refs);
  }
  getProfiles(ids: readonly string[]): Promise<Map<string, StoredProfile>> {
    return this.store.getProfiles(ids);
  }
  sharedIdentifiers(identifiers: readonly string[]): Promise<Set<string>> {
    return this.store.sharedIdentifiers(identifiers);
  }
  decisionsFor(refs: readonly RecordRef[]): Promise<DecisionEntry[]> {
    return this.store.decisionsFor(refs);
  }
  sharedCount(): Promise<number> {
    return this.store.sharedCount();
  }
  reviewItems(query: ReviewQuery): Promise<ReviewPage> {
    return this.store.reviewItems(query);
  }
  reviewItemsById(ids: readonly string[]): Promise<Map<string, ReviewItem>> {
    return this.store.reviewItemsById(ids);
  }
  reviewItemsOf(refs: readonly RecordRef[]): Promise<ReviewItem[]> {
    return this.store.reviewItemsOf(refs);
  }
  currentRules(): Promise<{ version: string; text: string } | undefined> {
    return this.store.currentRules();
  }
  currentProfileIds(ids: readonly string[]): Promise<Map<string, string>> {
    return this.store.currentProfileIds(ids);
  }
  eventsOf(profileId: string): Promise<ProfileEvent[]> {
    return this.store.eventsOf(profileId);
  }
  event(id: string): Promise<ProfileEvent | undefined> {
    return this.store.event(id);
  }
  allEvents(afterCommit?: number): AsyncIterable<ProfileEvent> {
    return this.store.allEvents(afterCommit);
  }
  eventCounts(afterCommit: number, upTo: number): Promise<EventCount[]> {
    return this.store.eventCounts(afterCommit, upTo);
  }
  profiles(): AsyncIterable<StoredProfile> {
    return this.store.profiles();
  }
  profilesChangedSince(commit: number): Promise<string[]> {
    return this.store.profilesChangedSince(commit);
  }
  records(): AsyncIterable<PreparedRecord> {
    return this.store.records();
  }
}

/** Freezes an answer and the objects and arrays in it (answers are small: a profile, a record). */
function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
