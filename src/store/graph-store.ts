/**
 * The port every store implements (the embedded store and Neo4j). Reads are batched so that a
 * remote store answers one query per resolution round, not one per record; writes arrive as one
 * ChangeSet per commit, which the store applies atomically and durably before it resolves.
 */

import type { PackedRecord } from '../codec/packed-record.js';
import type { AudienceDefinition, SavedSegment } from '../core/audience/definitions.js';
import type { AudienceMember } from '../core/audience/members.js';
import type { EventCount } from '../core/resolve/event-counts.js';
import type { ProfileEvent } from '../core/resolve/events.js';
import type { Decision, MergeEdge, PreparedRecord, RecordRef } from '../core/resolve/types.js';
import type { ReviewChange, ReviewItem, ReviewPage, ReviewQuery } from '../core/review/review-item.js';

/** A record with the blocking keys it has under the rules in force (so stores need not know the rules). */
export interface StagedRecord {
  readonly record: PreparedRecord;
  readonly blockKeys: readonly string[];
  /**
   * The record packed (codec/packed-record.ts), when the caller holds it so (the bulk path):
   * a store that keeps records encoded takes what it needs from here and never reads `record`,
   * which the caller may then decode only when asked.
   */
  readonly packed?: PackedRecord;
}

/**
 * A profile or event a change set may carry with its JSON already made (the bulk path does, see
 * engine/bulk-load/packed-profile.ts): a store that keeps JSON writes it as it is, rather than encode again.
 */
export interface WithJson {
  readonly json?: string;
}

/**
 * A bulk-path profile carries the JSON of its edges too, as the worker that resolved it wrote them:
 * a store that keeps the edges as text (Neo4j) writes it as it is rather than parsing it to encode
 * it again.
 */
export interface WithEdgesJson {
  readonly edgesJson?: string;
}

export interface StoredProfile {
  readonly id: string;
  readonly seq: number;
  readonly records: readonly RecordRef[];
  /** The spanning forest of accepted evidence that holds the profile together. */
  readonly edges: readonly MergeEdge[];
}

export interface RetiredProfile {
  readonly id: string;
  /** The surviving profile it was merged into; absent when its records were all removed. */
  readonly mergedInto?: string;
}

export interface ChangeSet {
  /** Monotonic commit number, assigned by the engine from `lastCommit() + 1`. */
  readonly commit: number;
  readonly at: string;
  readonly rulesVersion: string;
  readonly upserts: readonly StagedRecord[];
  /** Blocking keys that updated records had before (under the rules that were in force). */
  readonly staleBlockKeys?: readonly { readonly ref: RecordRef; readonly keys: readonly string[] }[];
  readonly removals: readonly RecordRef[];
  /**
   * Records erased for a privacy request (also in `removals`). Beyond removing them, the store
   * removes what it kept of them elsewhere: their content in logs, and their mentions and
   * evidence in history (see core/resolve/erasure.ts), before the commit is acknowledged.
   */
  readonly erased?: readonly RecordRef[];
  /** Profiles whose membership or evidence changed, in full. */
  readonly profiles: readonly (StoredProfile & WithJson & WithEdgesJson)[];
  /** Profiles that ceased to exist: absorbed by a merge, or emptied. */
  readonly retired: readonly RetiredProfile[];
  /** Identifier keys whose shared status changed. */
  readonly shared: readonly { readonly identifier: string; readonly shared: boolean }[];
  readonly decisionsAdded: readonly DecisionEntry[];
  readonly decisionsRemoved: readonly string[];
  readonly events: readonly (ProfileEvent & WithJson)[];
  /** Review items written (new, changed or decided) and removed (core/review/reconcile.ts). */
  readonly review?: ReviewChange;
  /**
   * Set by the bulk path: every upsert is a record the store does not hold and every profile is
   * new, so a store may create instead of merge (nothing to look up, nothing to replace).
   */
  readonly firstLoad?: boolean;
  /** A new rule set, when this commit applied one. */
  readonly rules?: { readonly version: string; readonly text: string };
}

export interface DecisionEntry {
  readonly decision: Decision;
  readonly actor: string;
  readonly at: string;
  readonly note?: string;
}

/** An identifier value as the commit path reads it: the records holding it, and its shared mark. */
export interface IdentifierHolding {
  /** Records holding it, in the order they came to hold it (as `holdersOf`); empty when none does. */
  readonly holders: RecordRef[];
  /** Marked shared (no longer merge evidence), as `sharedIdentifiers` says. */
  readonly shared: boolean;
}

/**
 * One round of finding a commit's scope, as one read: the holders of some identifiers and the members
 * of some blocks, with the data of the records they name (`records`) and, for the holders, their
 * profiles and the data of those profiles' records. A store that answers from memory may leave
 * `records` and `reached` empty: they only save the next round's reads a trip, and never change
 * what those reads answer.
 */
export interface ScopeRound {
  readonly holding: Map<string, IdentifierHolding>;
  readonly members: Map<string, RecordRef[]>;
  /** Records the answer names, as stored; not every one need be there (those the caller has are not). */
  readonly records: Map<RecordRef, PreparedRecord>;
  /**
   * The profiles of some of `records` (on Neo4j the holders' profiles, not the block members'): each
   * record it names has its stored profile there, with all that profile's records.
   */
  readonly reached: ReachedProfiles;
}

/** What a scope round may fetch ahead of the next round's reads, and what it need not fetch again. */
export interface FetchAhead {
  /** Holders of an identifier held by more records (a hub, which a scope does not follow) are not fetched. */
  readonly mostHolders: number;
  /** Records whose data the caller has: not fetched again. */
  readonly haveRecords: ReadonlySet<RecordRef>;
  /** Records whose profile (with that profile's records) the caller has: not fetched again. */
  readonly haveProfiles: ReadonlySet<RecordRef>;
}

/** The profiles a commit reaches through some of its records: each record's profile, and those profiles. */
export interface ReachedProfiles {
  /** The profile of each record that has one (as `profileIdsOf`). */
  readonly profileOf: Map<RecordRef, string>;
  /** Those profiles, the live ones, as `getProfiles` gives them. */
  readonly profiles: Map<string, StoredProfile>;
}

export interface ProfileLookup {
  /** The profile asked for, or the one it was merged into. */
  readonly profile: StoredProfile;
  /** Set when the ID asked for was merged away. */
  readonly redirectedFrom?: string;
}

/**
 * Reads of profiles, records and history: what the queries (src/queries) and audiences use. Batched
 * by key, so a remote store answers one statement per call.
 */
export interface GraphReads {
  /**
   * True when only this process writes to the graph (the embedded store and import files, each held
   * by one process): a commit it has not seen yet will never come from anyone else.
   */
  readonly oneWriter: boolean;
  lastCommit(): Promise<number>;
  /**
   * Where this process's view of the store stands, as text another process can be handed (in a
   * consistency token): Neo4j's bookmarks of everything this process wrote or read; '' on the
   * embedded store, which one process owns, so there is nothing to catch up with.
   */
  position(): Promise<string>;
  /**
   * The last commit, read once the store has caught up with `position` (from `position()` here or in
   * another process): a Neo4j cluster member waits for the transactions it names before answering.
   */
  lastCommitAfter(position: string): Promise<number>;
  getRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>>;
  /**
   * The same records in their compact encoding (record-codec.ts), as both stores keep them: what a
   * worker thread is handed, so the reading thread does not decode what another thread will use.
   */
  getEncodedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>>;
  /** Records holding each identifier key, in the order they came to hold it. */
  holdersOf(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>>;
  /**
   * The live profiles holding each identifier key, without repeats, in the order of `holdersOf`
   * (the first is the profile of the record that has held it longest). One statement however many
   * keys: the API's lookup is this call.
   */
  profilesHolding(identifiers: readonly string[]): Promise<Map<string, string[]>>;
  profileIdsOf(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>>;
  getProfiles(ids: readonly string[]): Promise<Map<string, StoredProfile>>;
  /**
   * The records of each live profile, as `getProfiles` lists them, without the evidence that holds
   * them together: all that reading an audience's people needs.
   */
  profileRecords(ids: readonly string[]): Promise<Map<string, readonly RecordRef[]>>;
  sharedIdentifiers(identifiers: readonly string[]): Promise<Set<string>>;
  /** The manual decisions (links, keep-aparts) that name any of these records. */
  decisionsFor(refs: readonly RecordRef[]): Promise<DecisionEntry[]>;
  /** How many identifier values are shared (no longer merge evidence). */
  sharedCount(): Promise<number>;
  /** Review items matching the query's filters, one page in queue order (oldest first, then ID), with the total. */
  reviewItems(query: ReviewQuery): Promise<ReviewPage>;
  /** Review items by ID (unknown IDs are left out). */
  reviewItemsById(ids: readonly string[]): Promise<Map<string, ReviewItem>>;
  /** Every review item, open or decided, naming any of these records, in ID order. */
  reviewItemsOf(refs: readonly RecordRef[]): Promise<ReviewItem[]>;
  currentRules(): Promise<{ version: string; text: string } | undefined>;
  findProfile(id: string): Promise<ProfileLookup | undefined>;
  /**
   * Where each of these profile IDs lives now, merged IDs followed to their survivor, in one round:
   * for the many IDs an audience names. IDs of no live profile are left out.
   */
  currentProfileIds(ids: readonly string[]): Promise<Map<string, string>>;
  eventsOf(profileId: string): Promise<ProfileEvent[]>;
  event(id: string): Promise<ProfileEvent | undefined>;
  /**
   * Every event, in commit order, for reading history whole. With `afterCommit`, only the events of
   * later commits. (Trends are counted with eventCounts, which reads no event.)
   */
  allEvents(afterCommit?: number): AsyncIterable<ProfileEvent>;
  /**
   * How many events of each kind each UTC day (of the event's time) holds, among the commits after
   * `afterCommit` up to `upTo`: the trends a data steward watches, counted without reading each
   * event (a graph database counts them where they are).
   */
  eventCounts(afterCommit: number, upTo: number): Promise<EventCount[]>;
  /** All live profiles, in ID order, for export and statistics. */
  profiles(): AsyncIterable<StoredProfile>;
  /**
   * The profile IDs a commit after `commit` touched, each once, in the order the store finds them
   * cheapest to read on (the embedded store: the order they were issued, whose records lie
   * together in memory): profiles created, changed, merged away or emptied, and the profiles of
   * records whose content changed. From 0, every profile ID ever issued. What an incremental
   * export of the resolved tables rewrites.
   */
  profilesChangedSince(commit: number): Promise<string[]>;
  /** All records, in reference order. */
  records(): AsyncIterable<PreparedRecord>;
}

/**
 * What the engine's incremental commit path needs (ingest, decisions, rules apply, erasure): the
 * reads resolution makes to find a commit's scope, and the commit itself.
 */
export interface GraphCommits
  extends Pick<
    GraphReads,
    | 'lastCommit'
    | 'getRecords'
    | 'holdersOf'
    | 'profileIdsOf'
    | 'getProfiles'
    | 'sharedIdentifiers'
    | 'currentRules'
    | 'findProfile'
    | 'event'
    | 'records'
    | 'decisionsFor'
    | 'reviewItemsOf'
    | 'reviewItemsById'
  > {
  /** Records under each fuzzy-rule blocking key. */
  blockMembers(blockKeys: readonly string[]): Promise<Map<string, RecordRef[]>>;
  /**
   * `holdersOf` and `sharedIdentifiers` of the same keys as one read (one statement on Neo4j): a key
   * is in the answer when a record holds it or it is marked shared.
   */
  identifierHolders(identifiers: readonly string[]): Promise<Map<string, IdentifierHolding>>;
  /**
   * `profileIdsOf` these records and `getProfiles` of the profiles found, as one read (one statement
   * on Neo4j): how the commit path steps from records to the profiles they were in.
   */
  reachRecords(refs: readonly RecordRef[]): Promise<ReachedProfiles>;
  /**
   * `identifierHolders` and `blockMembers` in one read, with what the next round asks of the records
   * they name (ScopeRound), as far as `ahead` allows.
   */
  scopeRound(identifiers: readonly string[], blockKeys: readonly string[], ahead: FetchAhead): Promise<ScopeRound>;
  /** Which of these profile IDs were ever issued (live or retired): new IDs must not reuse one. */
  existingProfileIds(ids: readonly string[]): Promise<Set<string>>;
  /**
   * Applies a change atomically and durably; refuses (STORE_CONFLICT) one that does not follow the
   * last, or one due while another writer holds the turn. A commit gives up its writer's turn.
   */
  commit(change: ChangeSet): Promise<void>;
  /**
   * Claims the turn to commit next, for a writer that kept losing the race to other processes'
   * commits: while it stands, other writers' commits are refused (and retried), until this writer
   * commits, gives it up, or its short lease runs out (a writer that died). Waits a while for another
   * writer's turn to end; whether the turn was had. One process's store has no one to take turns
   * with: the embedded store says yes at once.
   */
  claimTurn(): Promise<boolean>;
  /** Gives up a claimed turn this writer did not commit in (best effort: the lease covers a failure). */
  releaseTurn(): Promise<void>;
}

/**
 * The bulk first load into an empty store: it checks the store is empty, then writes commits whose
 * records and profiles are all new (ChangeSet.firstLoad, with `packed` records and ready `json`).
 */
export type BulkLoadTarget = Pick<GraphCommits, 'lastCommit' | 'commit'>;

/**
 * What resolving a commit's scope reads (engine/commit): records, the holders and shared marks of
 * their values, their block members, their current profiles, which profile IDs were ever issued,
 * and the review items naming its records (which the commit replaces).
 */
export type ScopeReads = Pick<
  GraphCommits,
  'getRecords' | 'identifierHolders' | 'reachRecords' | 'scopeRound' | 'existingProfileIds' | 'reviewItemsOf'
>;

/**
 * What planning an erasure reads: the profiles erased, the decisions about their records, and the
 * scope of the profiles their shared values touched. It is then written as a commit (ChangeSet.erased).
 */
export type ErasureReads = ScopeReads & Pick<GraphCommits, 'findProfile' | 'decisionsFor'>;

/**
 * Where incremental reading of a source stopped: the newest value of its timestamp column among
 * the rows read and committed, kept per source so the next run reads only rows at or after it.
 */
export interface SourceState {
  readonly source: string;
  /** Which table or query of which database the watermark is for (no credentials). */
  readonly origin: string;
  /** The column the watermark is a value of. */
  readonly column: string;
  /** The newest value read, as the database prints it (given back to it as the lower bound). */
  readonly watermark: string;
  /** When it was remembered (ISO 8601). */
  readonly at: string;
}

/** Watermarks of incremental sources (`idgraph ingest --from`), outside the commit sequence. */
export interface SourceStates {
  sourceState(source: string): Promise<SourceState | undefined>;
  /** Replaces the source's watermark durably. */
  rememberSourceState(state: SourceState): Promise<void>;
}

/**
 * Audiences (src/audience) kept with the graph, outside the commit sequence: each one's definition,
 * its members as uploaded (raw identifiers among them: personal data), and the saved segments that
 * define some of them. Every API instance on one graph sees the same audiences. Ids are checked by
 * the caller (AUDIENCE_ID); an unknown id reads as nothing.
 */
export interface AudienceStorage {
  audience(id: string): Promise<AudienceDefinition | undefined>;
  /** Every audience, in id order. */
  audiences(): Promise<AudienceDefinition[]>;
  /**
   * Writes an audience and its members. With `replace`, one of the same id is replaced; without,
   * nothing is written when one exists and the answer is false. A reader sees the old audience
   * whole or the new one whole, never a mix.
   */
  putAudience(
    definition: AudienceDefinition,
    members: Iterable<AudienceMember>,
    options: { readonly replace: boolean },
  ): Promise<boolean>;
  /**
   * The members in the order they were written, a batch at a time; none for an unknown audience.
   * A reader whose audience is replaced under it is refused (STORE_CONFLICT) rather than given a mix.
   */
  audienceMembers(id: string): AsyncIterable<AudienceMember[]>;
  /**
   * Removes the member rows at these lines (an erasure) and lowers the audience's row count by as
   * many, durably, before it answers how many went.
   */
  dropAudienceRows(id: string, lines: ReadonlySet<number>): Promise<number>;
  /** Removes the audience, its members and the saved segment of the same id; false when there was none. */
  removeAudience(id: string): Promise<boolean>;
  segment(id: string): Promise<SavedSegment | undefined>;
  /** Every saved segment, in id order. */
  segments(): Promise<SavedSegment[]>;
  /** Writes a segment's definition (its members are the audience of the same id, written apart). */
  putSegment(segment: SavedSegment): Promise<void>;
}

/** The whole port, as both adapters implement it; callers take one of the roles above, or a Pick of one. */
export interface GraphStore extends GraphReads, GraphCommits, SourceStates, AudienceStorage {
  close(): Promise<void>;
}
