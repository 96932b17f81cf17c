/**
 * The embedded store's state, held in memory and rebuilt from the write-ahead log at start. Applying
 * a log entry is the only way it changes, both live and during replay, so a replayed store equals
 * the one that wrote the log. Records and profiles are kept as JSON strings and parsed when read:
 * a million records fit in a fraction of the memory their object trees would take. Each profile's
 * list of records is also kept apart, so listing them parses nothing.
 */

import { decodeRecord } from '../../codec/record-codec.js';
import { blockHash } from '../../core/resolve/block-hash.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { identifierKey } from '../../core/resolve/types.js';
import type { ReviewItem } from '../../core/review/review-item.js';
import type { DecisionEntry, ProfileLookup, StoredProfile } from '../graph-store.js';
import type { LogEntry } from './log-entry.js';

/** A key held by one record is stored as the ref itself; by several, as an array. */
type RefIndex = Map<string, RecordRef | RecordRef[]>;
type BlockIndex = Map<number, RecordRef | RecordRef[]>;

export class MemoryState {
  lastCommit = 0;
  eventsEnd = 0;
  private readonly recordJson = new Map<RecordRef, string>();
  private readonly holderIndex: RefIndex = new Map();
  /** Block members by blocking-key hash (block-hash.ts). */
  private readonly blockIndex: BlockIndex = new Map();
  readonly profileOf = new Map<RecordRef, string>();
  private readonly profileJson = new Map<string, string>();
  /** Records of each live profile, also in its JSON: kept apart so listing them parses nothing. */
  readonly recordsOf = new Map<string, readonly RecordRef[]>();
  /** Every profile ID ever issued -> the profile it now lives in (itself when live or emptied). */
  readonly redirects = new Map<string, string>();
  readonly shared = new Set<string>();
  readonly decisions = new Map<string, DecisionEntry>();
  readonly review = new Map<string, ReviewItem>();
  /** Review items naming each record. */
  private readonly reviewOfRef = new Map<RecordRef, string[]>();
  /** Event locations in the events file; eventsOfProfile indexes into them. */
  private readonly eventOffsets: number[] = [];
  private readonly eventLengths: number[] = [];
  private readonly eventsOfProfile = new Map<string, number | number[]>();
  /** Commit -> index of its first event, to find an event by its id `e<commit>-<n>`. */
  private readonly firstEventOfCommit = new Map<number, number>();
  rules: { version: string; text: string } | undefined;
  /**
   * Which profile IDs each commit touched, in commit order (profilesChangedSince): an array of
   * pointers to ID strings the state holds anyway, so a million profiles cost a few MB.
   */
  private readonly touched: { readonly commit: number; readonly ids: readonly string[] }[] = [];

  apply(entry: LogEntry): void {
    if (entry.rules) this.blockIndex.clear();
    for (const { ref, keys } of entry.staleBlocks) for (const key of keys) removeFrom(this.blockIndex, key, ref);
    for (const ref of entry.removals) this.removeRecord(ref);
    for (const record of entry.upserts) {
      if (!entry.firstLoad) this.removeHolders(record.ref);
      this.recordJson.set(record.ref, record.json);
      for (const key of record.ids) addTo(this.holderIndex, key, record.ref);
      for (const key of record.blocks) addTo(this.blockIndex, key, record.ref);
    }
    for (const retired of entry.retired) {
      this.releaseMembers(retired.id);
      this.profileJson.delete(retired.id);
      this.recordsOf.delete(retired.id);
      // An emptied profile keeps a self-redirect: its ID stays issued (never reused) but finds nothing.
      this.redirects.set(retired.id, retired.mergedInto ?? retired.id);
    }
    for (const profile of entry.profiles) {
      if (!entry.firstLoad) this.releaseMembers(profile.id);
      this.profileJson.set(profile.id, profile.json);
      this.recordsOf.set(profile.id, profile.records);
      this.redirects.set(profile.id, profile.id);
      for (const ref of profile.records) this.profileOf.set(ref, profile.id);
    }
    for (const { identifier, shared } of entry.shared) {
      if (shared) this.shared.add(identifier);
      else this.shared.delete(identifier);
    }
    for (const id of entry.decisionsRemoved) this.decisions.delete(id);
    for (const decision of entry.decisionsAdded) this.decisions.set(decision.decision.id, decision);
    for (const id of entry.review?.removed ?? []) this.removeReviewItem(id);
    for (const item of entry.review?.upserts ?? []) {
      if (!this.review.has(item.id)) {
        addReviewRef(this.reviewOfRef, item.a, item.id);
        addReviewRef(this.reviewOfRef, item.b, item.id);
      }
      this.review.set(item.id, item);
    }
    if (entry.events.length > 0) this.firstEventOfCommit.set(entry.commit, this.eventOffsets.length);
    for (const event of entry.events) {
      const index = this.eventOffsets.length;
      this.eventOffsets.push(event.offset);
      this.eventLengths.push(event.length);
      for (const profile of event.profiles) {
        const known = this.eventsOfProfile.get(profile);
        if (known === undefined) this.eventsOfProfile.set(profile, index);
        else if (typeof known === 'number') this.eventsOfProfile.set(profile, [known, index]);
        else known.push(index);
      }
    }
    this.noteTouched(entry);
    if (entry.rules) this.rules = entry.rules;
    this.eventsEnd = entry.eventsEnd;
    this.lastCommit = entry.commit;
  }

  /** IDs of the review items naming a record. */
  reviewIdsOf(ref: RecordRef): readonly string[] {
    return this.reviewOfRef.get(ref) ?? [];
  }

  private removeReviewItem(id: string): void {
    const item = this.review.get(id);
    if (!item) return;
    this.review.delete(id);
    for (const ref of [item.a, item.b]) {
      const ids = this.reviewOfRef.get(ref)?.filter((other) => other !== id) ?? [];
      if (ids.length > 0) this.reviewOfRef.set(ref, ids);
      else this.reviewOfRef.delete(ref);
    }
  }

  /**
   * Every profile ID a commit after `commit` touched (all IDs ever issued from 0), in the order they
   * were touched first: reading profiles in the order they were written finds their records near
   * each other in memory (over a million records, a third less time than in ID order).
   */
  profilesChangedSince(commit: number): string[] {
    if (commit <= 0) return [...this.redirects.keys()];
    // Commits ascend: the first one after `commit` by bisection, then everything from there.
    let low = 0;
    let high = this.touched.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.touched[middle] as { commit: number }).commit <= commit) low = middle + 1;
      else high = middle;
    }
    const ids = new Set<string>();
    for (let at = low; at < this.touched.length; at++)
      for (const id of (this.touched[at] as { ids: readonly string[] }).ids) ids.add(id);
    return [...ids];
  }

  /**
   * Notes the profiles an applied entry touched: its profiles and retirements, and the profiles of
   * its updated records, whose golden record may have changed while their membership did not.
   */
  private noteTouched(entry: LogEntry): void {
    const ids = entry.profiles.map((profile) => profile.id);
    for (const retired of entry.retired) ids.push(retired.id);
    if (!entry.firstLoad) {
      for (const record of entry.upserts) {
        const id = this.profileOf.get(record.ref);
        if (id !== undefined) ids.push(id);
      }
    }
    if (ids.length > 0) this.touched.push({ commit: entry.commit, ids });
  }

  record(ref: RecordRef): PreparedRecord | undefined {
    const json = this.recordJson.get(ref);
    return json === undefined ? undefined : decodeRecord(ref, json);
  }

  encodedRecord(ref: RecordRef): string | undefined {
    return this.recordJson.get(ref);
  }

  recordRefs(): RecordRef[] {
    return [...this.recordJson.keys()];
  }

  holders(key: string): readonly RecordRef[] {
    return asList(this.holderIndex.get(key));
  }

  blockMembers(key: string): readonly RecordRef[] {
    return asList(this.blockIndex.get(blockHash(key)));
  }

  profile(id: string): StoredProfile | undefined {
    const json = this.profileJson.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as StoredProfile);
  }

  profileIds(): string[] {
    return [...this.profileJson.keys()];
  }

  findProfile(id: string): ProfileLookup | undefined {
    const current = this.currentProfileId(id);
    const profile = current === undefined ? undefined : this.profile(current);
    if (!profile) return undefined;
    return current === id ? { profile } : { profile, redirectedFrom: id };
  }

  /** The live profile an issued ID leads to, following merges; undefined for unknown or emptied IDs. */
  currentProfileId(id: string): string | undefined {
    let current = id;
    // Redirect chains are short (each merge adds one hop); the bound guards against a corrupt cycle.
    for (let hops = 0; hops < 1000; hops++) {
      const next = this.redirects.get(current);
      if (next === undefined) return undefined;
      if (next === current) return this.profileJson.has(current) ? current : undefined;
      current = next;
    }
    return undefined;
  }

  eventLocationsOf(profileId: string): { offset: number; length: number }[] {
    const known = this.eventsOfProfile.get(profileId);
    const indexes = known === undefined ? [] : typeof known === 'number' ? [known] : known;
    return indexes.map((index) => this.location(index));
  }

  /** Where in the events file the first event of a commit after this one starts; undefined when none has events. */
  eventsOffsetAfter(commit: number): number | undefined {
    for (let later = commit + 1; later <= this.lastCommit; later++) {
      const first = this.firstEventOfCommit.get(later);
      if (first !== undefined) return this.eventOffsets[first];
    }
    return undefined;
  }

  /** Location of event `e<commit>-<n>`, or undefined. */
  eventLocation(id: string): { offset: number; length: number } | undefined {
    const match = /^e(\d+)-(\d+)$/.exec(id);
    if (!match) return undefined;
    const first = this.firstEventOfCommit.get(Number(match[1]));
    if (first === undefined) return undefined;
    const index = first + Number(match[2]) - 1;
    const next = this.firstEventOfCommit.get(Number(match[1]) + 1);
    if (index >= this.eventOffsets.length || (next !== undefined && index >= next)) return undefined;
    return this.location(index);
  }

  private location(index: number): { offset: number; length: number } {
    return { offset: this.eventOffsets[index] as number, length: this.eventLengths[index] as number };
  }

  /** Unsets the profile of the records a profile had. */
  private releaseMembers(profileId: string): void {
    for (const ref of this.recordsOf.get(profileId) ?? []) {
      if (this.profileOf.get(ref) === profileId) this.profileOf.delete(ref);
    }
  }

  /** Drops a record's identifiers from the holders index; they are read from its JSON (updates are rare). */
  private removeHolders(ref: RecordRef): void {
    const previous = this.record(ref);
    if (!previous) return;
    for (const identifier of previous.identifiers) {
      removeFrom(this.holderIndex, identifierKey(identifier.type, identifier.key), ref);
    }
  }

  private removeRecord(ref: RecordRef): void {
    this.removeHolders(ref);
    this.recordJson.delete(ref);
  }
}

function asList(entry: RecordRef | RecordRef[] | undefined): readonly RecordRef[] {
  if (entry === undefined) return [];
  return typeof entry === 'string' ? [entry] : entry;
}

function addTo<K>(index: Map<K, RecordRef | RecordRef[]>, key: K, ref: RecordRef): void {
  const entry = index.get(key);
  if (entry === undefined) index.set(key, ref);
  else if (typeof entry === 'string') {
    if (entry !== ref) index.set(key, [entry, ref]);
  } else if (!entry.includes(ref)) entry.push(ref);
}

function removeFrom<K>(index: Map<K, RecordRef | RecordRef[]>, key: K, ref: RecordRef): void {
  const entry = index.get(key);
  if (entry === undefined) return;
  if (typeof entry === 'string') {
    if (entry === ref) index.delete(key);
    return;
  }
  const at = entry.indexOf(ref);
  if (at !== -1) entry.splice(at, 1);
  if (entry.length === 1) index.set(key, entry[0] as RecordRef);
}

function addReviewRef(index: Map<RecordRef, string[]>, ref: RecordRef, id: string): void {
  const ids = index.get(ref);
  if (ids) ids.push(id);
  else index.set(ref, [id]);
}
