/**
 * The embedded store's state, held in memory and rebuilt from the write-ahead log at start. Applying
 * a ChangeSet is the only way it changes, both live and during replay, so a replayed store equals
 * the one that wrote the log.
 */
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { identifierKey } from '../../core/resolve/types.js';
import type { ChangeSet, DecisionEntry, ProfileLookup, StoredProfile } from '../graph-store.js';

export class MemoryState {
  lastCommit = 0;
  readonly records = new Map<RecordRef, PreparedRecord>();
  private readonly blockKeysOf = new Map<RecordRef, readonly string[]>();
  readonly holders = new Map<string, Set<RecordRef>>();
  readonly blocks = new Map<string, Set<RecordRef>>();
  readonly profileOf = new Map<RecordRef, string>();
  readonly profiles = new Map<string, StoredProfile>();
  /** Every profile ID ever issued -> the profile it now lives in (itself when live). */
  readonly redirects = new Map<string, string>();
  readonly shared = new Set<string>();
  readonly decisions = new Map<string, DecisionEntry>();
  readonly events: ProfileEvent[] = [];
  private readonly eventsByProfile = new Map<string, number[]>();
  private readonly eventIndex = new Map<string, number>();
  rules: { version: string; text: string } | undefined;

  apply(change: ChangeSet): void {
    for (const ref of change.removals) this.removeRecord(ref);
    for (const { record, blockKeys } of change.upserts) {
      this.removeRecord(record.ref);
      this.records.set(record.ref, record);
      this.blockKeysOf.set(record.ref, blockKeys);
      for (const identifier of record.identifiers)
        addTo(this.holders, identifierKey(identifier.type, identifier.key), record.ref);
      for (const key of blockKeys) addTo(this.blocks, key, record.ref);
    }
    for (const retired of change.retired) {
      const profile = this.profiles.get(retired.id);
      if (profile)
        for (const ref of profile.records) if (this.profileOf.get(ref) === retired.id) this.profileOf.delete(ref);
      this.profiles.delete(retired.id);
      // An emptied profile keeps a self-redirect: its ID stays issued (never reused) but finds nothing.
      this.redirects.set(retired.id, retired.mergedInto ?? retired.id);
    }
    for (const profile of change.profiles) {
      const previous = this.profiles.get(profile.id);
      if (previous)
        for (const ref of previous.records) if (this.profileOf.get(ref) === profile.id) this.profileOf.delete(ref);
      this.profiles.set(profile.id, profile);
      this.redirects.set(profile.id, profile.id);
      for (const ref of profile.records) this.profileOf.set(ref, profile.id);
    }
    for (const { identifier, shared } of change.shared) {
      if (shared) this.shared.add(identifier);
      else this.shared.delete(identifier);
    }
    for (const id of change.decisionsRemoved) this.decisions.delete(id);
    for (const entry of change.decisionsAdded) this.decisions.set(entry.decision.id, entry);
    for (const event of change.events) this.addEvent(event);
    if (change.rules) this.rules = change.rules;
    this.lastCommit = change.commit;
  }

  findProfile(id: string): ProfileLookup | undefined {
    let current = id;
    // Redirect chains are short (each merge adds one hop); the bound guards against a corrupt cycle.
    for (let hops = 0; hops < 1000; hops++) {
      const next = this.redirects.get(current);
      if (next === undefined) return undefined;
      if (next === current) {
        const profile = this.profiles.get(current);
        if (!profile) return undefined;
        return current === id ? { profile } : { profile, redirectedFrom: id };
      }
      current = next;
    }
    return undefined;
  }

  eventsOf(profileId: string): ProfileEvent[] {
    return (this.eventsByProfile.get(profileId) ?? []).map((index) => this.events[index] as ProfileEvent);
  }

  event(id: string): ProfileEvent | undefined {
    const index = this.eventIndex.get(id);
    return index === undefined ? undefined : this.events[index];
  }

  private addEvent(event: ProfileEvent): void {
    const index = this.events.length;
    this.events.push(event);
    this.eventIndex.set(event.id, index);
    for (const id of new Set([...event.before, ...event.after])) {
      const list = this.eventsByProfile.get(id);
      if (list) list.push(index);
      else this.eventsByProfile.set(id, [index]);
    }
  }

  private removeRecord(ref: RecordRef): void {
    const record = this.records.get(ref);
    if (!record) return;
    for (const identifier of record.identifiers)
      removeFrom(this.holders, identifierKey(identifier.type, identifier.key), ref);
    for (const key of this.blockKeysOf.get(ref) ?? []) removeFrom(this.blocks, key, ref);
    this.records.delete(ref);
    this.blockKeysOf.delete(ref);
  }
}

function addTo(index: Map<string, Set<RecordRef>>, key: string, ref: RecordRef): void {
  const set = index.get(key);
  if (set) set.add(ref);
  else index.set(key, new Set([ref]));
}

function removeFrom(index: Map<string, Set<RecordRef>>, key: string, ref: RecordRef): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(ref);
  if (set.size === 0) index.delete(key);
}
