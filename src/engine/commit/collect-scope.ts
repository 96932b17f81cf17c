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
import { blockingKeys, fuzzyRulesOf } from '../../core/resolve/blocking.js';
import type { CompiledFuzzyRule, CompiledRules } from '../../core/resolve/compiled-rules.js';
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
  const blockCache = new Map<string, RecordRef[]>();
  const fuzzyRules = fuzzyRulesOf(rules);

  let frontier = new Set<RecordRef>(seeds);
  let pendingIdentifiers = new Set<string>(extraIdentifiers);
  const reached = new Set<RecordRef>(frontier);
  /** Reached records whose old profile is still to be read (members of a profile read have theirs). */
  let profileUnknown = new Set<RecordRef>(frontier);
  /** Block members found last round, to read and score against the records whose blocks they are in. */
  let candidates: Candidates | undefined;

  // Each round asks its questions in two steps, those of a step side by side (a remote store answers
  // them over one connection each, at once): the frontier's records with last round's block
  // candidates, and the old profiles (with their members) of the records reached since; then the
  // holders and shared marks of the values of the records read, and the fuzzy rules' blocks. Every
  // step waits a round trip, so candidates are scored in the next round's first step rather than in a
  // third step of their own; what a match reaches is followed as soon as before. The closure is the
  // same whatever the order its records are reached in.
  while (frontier.size > 0 || pendingIdentifiers.size > 0 || candidates !== undefined || profileUnknown.size > 0) {
    const next = new Set<RecordRef>();
    const reach = (ref: RecordRef) => {
      if (!reached.has(ref)) {
        reached.add(ref);
        next.add(ref);
        profileUnknown.add(ref);
      }
    };
    const lookUp = [...profileUnknown];
    profileUnknown = new Set();
    const [read, reachedProfiles] = await Promise.all([
      view.records([...frontier, ...(candidates?.refs ?? [])]),
      view.reachRecords(lookUp),
    ]);
    const fresh: PreparedRecord[] = [];
    for (const ref of frontier) {
      const record = read.get(ref);
      if (record) {
        records.set(ref, record);
        fresh.push(record);
      }
    }

    // Old profiles: everything that was together must be re-decided together.
    for (const [ref, id] of reachedProfiles.profileOf) oldProfileOf.set(ref, id);
    for (const [id, profile] of reachedProfiles.profiles) {
      if (oldProfiles.has(id)) continue;
      oldProfiles.set(id, profile);
      for (const ref of profile.records) {
        if (!oldProfileOf.has(ref)) oldProfileOf.set(ref, id);
        if (!reached.has(ref)) {
          reached.add(ref);
          next.add(ref);
        }
      }
    }

    // Fuzzy matches among last round's candidates join this round's records: kept when they score a
    // match or fall in the rule's review band (the review items of a scope come from resolving it).
    if (candidates) {
      for (const record of matches(candidates, read, reached, fuzzyRules, frequencies)) {
        reached.add(record.ref);
        profileUnknown.add(record.ref);
        records.set(record.ref, record);
        fresh.push(record);
      }
      candidates = undefined;
    }

    // Identifiers: follow every value but hubs (too many holders to be anyone's), and bring in all
    // holders of a value that just became or stopped being a hub, whose profiles must be re-decided.
    const identifiers = new Set(pendingIdentifiers);
    pendingIdentifiers = new Set();
    for (const record of fresh) {
      for (const identifier of record.identifiers) {
        const key = identifierKey(identifier.type, identifier.key);
        if (!hubs.has(key)) identifiers.add(key);
      }
    }
    const identifierList = [...identifiers].filter((key) => !hubs.has(key));

    // Fuzzy candidates: the records under each blocking key of the records read.
    const keysOf = fuzzyRules.map((rule) => {
      const byRecord = new Map<RecordRef, string[]>();
      for (const record of fresh) byRecord.set(record.ref, blockingKeys(record, rule));
      return byRecord;
    });
    const wanted = new Set<string>();
    for (const byRecord of keysOf)
      for (const keys of byRecord.values()) for (const key of keys) if (!blockCache.has(key)) wanted.add(key);

    const { holding, members } = await view.scopeRound(identifierList, [...wanted]);
    for (const key of identifierList) {
      const { holders, shared } = holding.get(key) ?? NOT_HELD;
      if (shared) storedShared.add(key);
      const isHub = holders.length > HUB_HOLDERS;
      hubs.set(key, isHub);
      // A hub stored as shared was no evidence before either; one that just became a hub was.
      if (!isHub || !shared) for (const ref of holders) reach(ref);
    }
    for (const key of wanted) blockCache.set(key, members.get(key) ?? []);

    const refs = new Set<RecordRef>();
    for (const byRecord of keysOf)
      for (const keys of byRecord.values())
        for (const key of keys) for (const ref of blockCache.get(key) ?? []) if (!reached.has(ref)) refs.add(ref);
    if (refs.size > 0) candidates = { refs, askers: fresh, keysOf, blocks: blockCache };
    frontier = next;
  }
  return { records, hubs, oldProfileOf, oldProfiles, storedShared };
}

const NOT_HELD = { holders: [], shared: false } as const;

/** Block members not yet reached, to score against the records whose blocks they were found in. */
interface Candidates {
  readonly refs: ReadonlySet<RecordRef>;
  readonly askers: readonly PreparedRecord[];
  /** Per fuzzy rule, each asker's blocking keys. */
  readonly keysOf: readonly ReadonlyMap<RecordRef, readonly string[]>[];
  /** The records under each of those keys. */
  readonly blocks: ReadonlyMap<string, readonly RecordRef[]>;
}

/** The candidates, read, that still need reaching and score a match or a review band against an asker. */
function matches(
  candidates: Candidates,
  read: ReadonlyMap<RecordRef, PreparedRecord>,
  reached: ReadonlySet<RecordRef>,
  fuzzyRules: readonly CompiledFuzzyRule[],
  frequencies: TermFrequencies,
): PreparedRecord[] {
  const found = new Map<RecordRef, PreparedRecord>();
  fuzzyRules.forEach((rule, index) => {
    const floor = lowestScoreOfInterest(rule);
    for (const record of candidates.askers) {
      for (const key of candidates.keysOf[index]?.get(record.ref) ?? []) {
        for (const ref of candidates.blocks.get(key) ?? []) {
          if (reached.has(ref) || found.has(ref)) continue;
          const other = read.get(ref);
          if (!other) continue;
          if (reachesMinScore(compareKeysOf(record, rule), compareKeysOf(other, rule), rule, frequencies, floor))
            found.set(ref, other);
        }
      }
    }
  });
  return [...found.values()];
}
