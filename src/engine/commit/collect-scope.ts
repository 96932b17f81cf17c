/**
 * Finds every record whose profile (or review items) may change: starting from the records a commit
 * touches, follow identifier values (all but hubs: whether a value is shared is decided during
 * resolution, from all its holders), fuzzy matches and pairs in a review band, and membership of the
 * same current profile, until nothing new is reached. Resolving exactly this closure gives the same
 * profiles (and review items) as resolving all records at once, because no evidence crosses its border.
 *
 * Works in rounds, each asking the store one batched question per kind, so a remote store is
 * queried a handful of times per commit rather than once per record.
 */
import { blockingKeys } from '../../core/resolve/blocking.js';
import type { CompiledRules } from '../../core/resolve/compiled-rules.js';
import { compareKeysOf, lowestScoreOfInterest, reachesMinScore } from '../../core/resolve/fuzzy-score.js';
import { HUB_HOLDERS } from '../../core/resolve/shared-values.js';
import type { TermFrequencies } from '../../core/resolve/term-frequencies.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { identifierKey } from '../../core/resolve/types.js';
import type { StoredProfile } from '../../store/graph-store.js';
import type { StagedView } from './staged-view.js';

export interface Scope {
  readonly records: Map<RecordRef, PreparedRecord>;
  /** Hub verdict (too many holders to count) of every identifier the scope's records hold. */
  readonly hubs: Map<string, boolean>;
  /** Old profile of each scope record (records new to the store have none). */
  readonly oldProfileOf: Map<RecordRef, string>;
  /** The stored profiles of `oldProfileOf`'s ids, as read while collecting. */
  readonly oldProfiles: Map<string, StoredProfile>;
  /** Which of `hubs`' identifiers the store marks shared, as read while collecting. */
  readonly storedShared: Set<string>;
}

export async function collectScope(
  view: StagedView,
  rules: CompiledRules,
  frequencies: TermFrequencies,
  seeds: Iterable<RecordRef>,
  /** Identifiers whose holders changed without being reachable from a seed (a record's removed values). */
  extraIdentifiers: Iterable<string> = [],
): Promise<Scope> {
  const records = new Map<RecordRef, PreparedRecord>();
  const hubs = new Map<string, boolean>();
  const oldProfileOf = new Map<RecordRef, string>();
  const oldProfiles = new Map<string, StoredProfile>();
  const storedShared = new Set<string>();
  const visitedProfiles = new Set<string>();
  const blockCache = new Map<string, RecordRef[]>();
  const fuzzyRules = rules.rules.filter((rule) => rule.kind === 'fuzzy');

  let frontier = new Set<RecordRef>(seeds);
  let pendingIdentifiers = new Set<string>(extraIdentifiers);
  const reached = new Set<RecordRef>(frontier);

  // Each round asks its questions in three steps, those of a step side by side (a remote store
  // answers them over one connection each, at once): the frontier's records and old profiles; then
  // those profiles' members, the holders of the records' values and the fuzzy rules' blocks; then
  // the block members' records, to score them.
  while (frontier.size > 0 || pendingIdentifiers.size > 0) {
    const next = new Set<RecordRef>();
    const reach = (ref: RecordRef) => {
      if (!reached.has(ref)) {
        reached.add(ref);
        next.add(ref);
      }
    };
    const [fresh, profileIds] = await Promise.all([
      view.records(frontier),
      frontier.size > 0 ? view.store.profileIdsOf([...frontier]) : new Map<RecordRef, string>(),
    ]);
    for (const [ref, record] of fresh) records.set(ref, record);

    // Old profiles: everything that was together must be re-decided together.
    const newProfiles: string[] = [];
    for (const [ref, id] of profileIds) {
      oldProfileOf.set(ref, id);
      if (!visitedProfiles.has(id)) {
        visitedProfiles.add(id);
        newProfiles.push(id);
      }
    }

    // Identifiers: follow every value but hubs (too many holders to be anyone's), and bring in all
    // holders of a value that just became or stopped being a hub, whose profiles must be re-decided.
    const identifiers = new Set(pendingIdentifiers);
    pendingIdentifiers = new Set();
    for (const record of fresh.values()) {
      for (const identifier of record.identifiers) {
        const key = identifierKey(identifier.type, identifier.key);
        if (!hubs.has(key)) identifiers.add(key);
      }
    }
    const identifierList = [...identifiers].filter((key) => !hubs.has(key));

    // Fuzzy matches: candidates under each blocking key, kept when they score a match or fall in
    // the rule's review band (the review items of a scope come from resolving it).
    const keysOf = fuzzyRules.map((rule) => {
      const byRecord = new Map<RecordRef, string[]>();
      for (const record of fresh.values()) byRecord.set(record.ref, blockingKeys(record, rule));
      return byRecord;
    });
    const wanted = new Set<string>();
    for (const byRecord of keysOf)
      for (const keys of byRecord.values()) for (const key of keys) if (!blockCache.has(key)) wanted.add(key);

    const [profiles, holders, shared, members] = await Promise.all([
      newProfiles.length > 0 ? view.store.getProfiles(newProfiles) : new Map<string, StoredProfile>(),
      identifierList.length > 0 ? view.holders(identifierList) : new Map<string, RecordRef[]>(),
      identifierList.length > 0 ? view.store.sharedIdentifiers(identifierList) : new Set<string>(),
      wanted.size > 0 ? view.blockMembers([...wanted]) : new Map<string, RecordRef[]>(),
    ]);
    for (const [id, profile] of profiles) {
      oldProfiles.set(id, profile);
      for (const ref of profile.records) reach(ref);
    }
    for (const key of shared) storedShared.add(key);
    for (const key of identifierList) {
      const refs = holders.get(key) ?? [];
      const isHub = refs.length > HUB_HOLDERS;
      hubs.set(key, isHub);
      // A hub stored as shared was no evidence before either; one that just became a hub was.
      if (!isHub || !shared.has(key)) for (const ref of refs) reach(ref);
    }
    for (const key of wanted) blockCache.set(key, members.get(key) ?? []);

    const candidates = new Set<RecordRef>();
    for (const byRecord of keysOf)
      for (const keys of byRecord.values())
        for (const key of keys) for (const ref of blockCache.get(key) ?? []) if (!reached.has(ref)) candidates.add(ref);
    const candidateRecords =
      candidates.size > 0 ? await view.records(candidates) : new Map<RecordRef, PreparedRecord>();
    fuzzyRules.forEach((rule, index) => {
      const floor = lowestScoreOfInterest(rule);
      for (const record of fresh.values()) {
        for (const key of keysOf[index]?.get(record.ref) ?? []) {
          for (const ref of blockCache.get(key) ?? []) {
            if (reached.has(ref)) continue;
            const other = candidateRecords.get(ref);
            if (!other) continue;
            if (reachesMinScore(compareKeysOf(record, rule), compareKeysOf(other, rule), rule, frequencies, floor))
              reach(ref);
          }
        }
      }
    });
    frontier = next;
  }
  return { records, hubs, oldProfileOf, oldProfiles, storedShared };
}
