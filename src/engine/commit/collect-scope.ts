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
import type { StagedView } from './staged-view.js';

export interface Scope {
  readonly records: Map<RecordRef, PreparedRecord>;
  /** Hub verdict (too many holders to count) of every identifier the scope's records hold. */
  readonly hubs: Map<string, boolean>;
  /** Old profile of each scope record (records new to the store have none). */
  readonly oldProfileOf: Map<RecordRef, string>;
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
  const visitedProfiles = new Set<string>();
  const blockCache = new Map<string, RecordRef[]>();

  let frontier = new Set<RecordRef>(seeds);
  let pendingIdentifiers = new Set<string>(extraIdentifiers);
  const reached = new Set<RecordRef>(frontier);

  while (frontier.size > 0 || pendingIdentifiers.size > 0) {
    const next = new Set<RecordRef>();
    const reach = (ref: RecordRef) => {
      if (!reached.has(ref)) {
        reached.add(ref);
        next.add(ref);
      }
    };
    const fresh = await view.records(frontier);
    for (const [ref, record] of fresh) records.set(ref, record);

    // Old profiles: everything that was together must be re-decided together.
    const profileIds = await view.store.profileIdsOf([...frontier]);
    const newProfiles: string[] = [];
    for (const [ref, id] of profileIds) {
      oldProfileOf.set(ref, id);
      if (!visitedProfiles.has(id)) {
        visitedProfiles.add(id);
        newProfiles.push(id);
      }
    }
    for (const profile of (await view.store.getProfiles(newProfiles)).values()) {
      for (const ref of profile.records) reach(ref);
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
    const holders = await view.holders(identifierList);
    const storedShared = await view.store.sharedIdentifiers(identifierList);
    for (const key of identifierList) {
      const refs = holders.get(key) ?? [];
      const isHub = refs.length > HUB_HOLDERS;
      hubs.set(key, isHub);
      // A hub stored as shared was no evidence before either; one that just became a hub was.
      if (!isHub || !storedShared.has(key)) for (const ref of refs) reach(ref);
    }

    // Fuzzy matches: candidates under each blocking key, kept when they score a match or fall in
    // the rule's review band (the review items of a scope come from resolving it).
    for (const rule of rules.rules) {
      if (rule.kind !== 'fuzzy') continue;
      const floor = lowestScoreOfInterest(rule);
      const keysOf = new Map<RecordRef, string[]>();
      const wanted = new Set<string>();
      for (const record of fresh.values()) {
        const keys = blockingKeys(record, rule);
        keysOf.set(record.ref, keys);
        for (const key of keys) if (!blockCache.has(key)) wanted.add(key);
      }
      if (wanted.size > 0) {
        const members = await view.blockMembers([...wanted]);
        for (const key of wanted) blockCache.set(key, members.get(key) ?? []);
      }
      const candidates = new Set<RecordRef>();
      for (const keys of keysOf.values())
        for (const key of keys) for (const ref of blockCache.get(key) ?? []) candidates.add(ref);
      const candidateRecords = await view.records([...candidates].filter((ref) => !reached.has(ref)));
      for (const record of fresh.values()) {
        for (const key of keysOf.get(record.ref) ?? []) {
          for (const ref of blockCache.get(key) ?? []) {
            if (reached.has(ref)) continue;
            const other = candidateRecords.get(ref);
            if (!other) continue;
            if (reachesMinScore(compareKeysOf(record, rule), compareKeysOf(other, rule), rule, frequencies, floor))
              reach(ref);
          }
        }
      }
    }
    frontier = next;
  }
  return { records, hubs, oldProfileOf };
}
