/**
 * The GraphStore on Neo4j. The graph a Cypher user sees (graph/README.md):
 *   (:Profile {id, seq, retired, mergedInto, edges})-[:HAS_RECORD {i}]->(:Record {ref, source, recordId, ts, data})
 *   (:Record)-[:HAS_IDENTIFIER]->(:Identifier {key, type, matchKey, shared})
 *   (:Record)-[:IN_BLOCK]->(:Block {key})
 *   (:Event {id, kind, at, actor, rule, data})-[:CHANGED]->(:Profile)
 *   (:Decision {id, kind, actor, at, data})-[:CONCERNS]->(:DecisionRef {ref})
 *   (:Meta {id: 'meta', lastCommit, rulesVersion, rulesText, turnHolder, turnUntil})
 *   (:ReviewItem {id, a, b, status, kind, rule, createdCommit, data})
 *   (:SourceState {source, origin, column, watermark, at}): where incremental reading of a source stopped
 *   (:Audience), (:AudienceChunk), (:Segment): audiences and saved segments (neo4j-audiences.ts)
 * Bodies the engine reads whole (a record's canonical values, a profile's merge edges, an event) are
 * JSON strings; what queries follow or filter on is nodes, relationships and properties. Each batch
 * read is one query (UNWIND $keys), and answers come back in the order the embedded store gives, so
 * the engine resolves the same way on either store.
 */

import { decodeRecord } from '../../codec/record-codec.js';
import type { AudienceDefinition, SavedSegment } from '../../core/audience/definitions.js';
import type { AudienceMember } from '../../core/audience/members.js';
import type { EventCount } from '../../core/resolve/event-counts.js';
import type { EventKind, ProfileEvent } from '../../core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import type { ReviewItem, ReviewPage, ReviewQuery } from '../../core/review/review-item.js';
import type {
  ChangeSet,
  DecisionEntry,
  FetchAhead,
  GraphStore,
  IdentifierHolding,
  ProfileLookup,
  ReachedProfiles,
  ScopeRound,
  SourceState,
  StoredProfile,
} from '../graph-store.js';
import { inOrder } from '../in-order.js';
import { decodeBookmarks, encodeBookmarks } from './bookmarks.js';
import { CommitTurn } from './commit-turn.js';
import { Neo4jConnection, type Neo4jSettings, run } from './connection.js';
import { blockMembers } from './cypher/blocks.js';
import { decisionsFor } from './cypher/decisions.js';
import { event, eventCounts, eventsOf, eventsPage } from './cypher/events.js';
import { holdersOf, identifierHolders, sharedAmong, sharedCount } from './cypher/identifiers.js';
import { currentRules, lastCommit } from './cypher/meta.js';
import {
  currentProfileIds,
  findProfile,
  issuedProfileIds,
  liveProfiles,
  profileIdsOf,
  profileIdsPage,
  profileRecordLists,
  profilesChangedSince,
  profilesHolding,
  profilesPage,
  reachRecords,
} from './cypher/profile-reads.js';
import { recordData, recordsPage } from './cypher/records.js';
import { reviewCount, reviewItemsById, reviewItemsOf, reviewPage } from './cypher/review.js';
import { scopeRound } from './cypher/scope-round.js';
import { rememberSourceState, sourceState } from './cypher/source-states.js';
import type { Statement } from './cypher/statement.js';
import { applyMigrations, readMigrations, verifyConstraints } from './migrations.js';
import { Neo4jAudiences } from './neo4j-audiences.js';
import { ReadBatcher } from './read-batcher.js';
import { writeChange } from './write-change.js';

const PAGE = 5_000;

export class Neo4jStore implements GraphStore {
  /** Any number of processes may write to one Neo4j graph. */
  readonly oneWriter = false;
  private closed = false;
  private readonly audienceNodes: Neo4jAudiences;
  // The reads the API makes thousands of times a second, a key or two each, go in shared statements.
  private readonly holding = new ReadBatcher((keys) => this.readProfilesHolding(keys));
  private readonly recordLists = new ReadBatcher((ids) => this.readProfileRecords(ids));
  private readonly encodedRecords = new ReadBatcher((refs) => this.readEncodedRecords(refs));

  /** This process's place in the turn-taking of writers that race for the commit lane. */
  private readonly turn: CommitTurn;

  private constructor(
    private readonly db: Neo4jConnection,
    turnLeaseMs: number | undefined,
  ) {
    this.audienceNodes = new Neo4jAudiences(db);
    this.turn = new CommitTurn(db, turnLeaseMs);
  }

  /**
   * Connects, applies graph/migrations (idempotent; unless settings.migrate is false), checks the
   * constraints are in place, and returns the store; a StoreError says what is wrong and what to do.
   */
  static async open(settings: Neo4jSettings): Promise<Neo4jStore> {
    const connection = await Neo4jConnection.open(settings);
    try {
      const migrations = settings.migrate === false ? await readMigrations() : await applyMigrations(connection);
      await verifyConstraints(connection, migrations);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return new Neo4jStore(connection, settings.turnLeaseMs);
  }

  async lastCommit(): Promise<number> {
    const rows = await this.query(lastCommit());
    return Number(rows[0]?.last ?? 0);
  }

  async position(): Promise<string> {
    return encodeBookmarks(await this.db.bookmarks());
  }

  async lastCommitAfter(position: string): Promise<number> {
    const rows = await this.db.readStatement(lastCommit(), decodeBookmarks(position));
    return Number(rows[0]?.last ?? 0);
  }

  async getRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>> {
    const encoded = await this.getEncodedRecords(refs);
    return inOrder(refs, (ref) => {
      const data = encoded.get(ref);
      return data === undefined ? undefined : decodeRecord(ref, data);
    });
  }

  getEncodedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    return this.encodedRecords.get(refs);
  }

  private async readEncodedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    const rows = await this.query(recordData(refs));
    const byRef = new Map(rows.map((row) => [row.ref as string, row.data as string]));
    return inOrder(refs, (ref) => byRef.get(ref));
  }

  async holdersOf(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return this.members(identifiers, holdersOf(identifiers));
  }

  async blockMembers(blockKeys: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return this.members(blockKeys, blockMembers(blockKeys));
  }

  async identifierHolders(identifiers: readonly string[]): Promise<Map<string, IdentifierHolding>> {
    if (identifiers.length === 0) return new Map();
    return holdingFrom(identifiers, await this.query(identifierHolders(identifiers)));
  }

  async reachRecords(refs: readonly RecordRef[]): Promise<ReachedProfiles> {
    if (refs.length === 0) return { profileOf: new Map(), profiles: new Map() };
    const rows = await this.query(reachRecords(refs));
    const idOf = new Map<RecordRef, string>();
    const live = new Map<string, StoredProfile>();
    for (const row of rows) {
      for (const ref of row.refs as RecordRef[]) idOf.set(ref, row.id as string);
      if (row.live === true) live.set(row.id as string, toProfile(row));
    }
    const profileOf = inOrder(refs, (ref) => idOf.get(ref));
    const profiles = inOrder([...new Set(profileOf.values())], (id) => live.get(id));
    return { profileOf, profiles };
  }

  async scopeRound(
    identifiers: readonly string[],
    blockKeys: readonly string[],
    ahead: FetchAhead,
  ): Promise<ScopeRound> {
    const records = new Map<RecordRef, PreparedRecord>();
    const profileOf = new Map<RecordRef, string>();
    const profiles = new Map<string, StoredProfile>();
    const reached = { profileOf, profiles };
    if (identifiers.length === 0 && blockKeys.length === 0)
      return { holding: new Map(), members: new Map(), records, reached };
    // The statement's parts each collect into a list: it answers one row, however little it finds.
    const [row = { holding: [], members: [], profiles: [], memberData: [] }] = await this.query(
      scopeRound(identifiers, blockKeys, ahead),
    );
    for (const profile of row.profiles as Record<string, unknown>[]) {
      const id = profile.id as string;
      const data = profile.data as (string | null)[];
      (profile.records as RecordRef[]).forEach((ref, index) => {
        const encoded = data[index];
        // No data for a record the caller has.
        if (encoded) records.set(ref, decodeRecord(ref, encoded));
        profileOf.set(ref, id);
      });
      if (profile.live === true) profiles.set(id, toProfile(profile));
    }
    for (const [ref, data] of row.memberData as [RecordRef, string][]) {
      if (!records.has(ref)) records.set(ref, decodeRecord(ref, data));
    }
    return {
      holding: holdingFrom(identifiers, row.holding as Record<string, unknown>[]),
      members: listsFrom(blockKeys, row.members as Record<string, unknown>[]),
      records,
      reached,
    };
  }

  async profileIdsOf(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    const rows = await this.query(profileIdsOf(refs));
    const byRef = new Map(rows.map((row) => [row.ref as string, row.id as string]));
    return inOrder(refs, (ref) => byRef.get(ref));
  }

  async getProfiles(ids: readonly string[]): Promise<Map<string, StoredProfile>> {
    const rows = await this.query(liveProfiles(ids));
    const byId = new Map(rows.map((row) => [row.id as string, toProfile(row)]));
    return inOrder(ids, (id) => byId.get(id));
  }

  profileRecords(ids: readonly string[]): Promise<Map<string, readonly RecordRef[]>> {
    return this.recordLists.get(ids);
  }

  private async readProfileRecords(ids: readonly string[]): Promise<Map<string, readonly RecordRef[]>> {
    const rows = await this.query(profileRecordLists(ids));
    const byId = new Map(rows.map((row) => [row.id as string, row.records as RecordRef[]]));
    return inOrder(ids, (id) => byId.get(id));
  }

  async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    // A commit that makes no new profile (most updates) asks about none: no round trip.
    if (ids.length === 0) return new Set();
    const rows = await this.query(issuedProfileIds(ids));
    const found = new Set(rows.map((row) => row.id as string));
    return new Set(ids.filter((id) => found.has(id)));
  }

  async sharedIdentifiers(identifiers: readonly string[]): Promise<Set<string>> {
    const rows = await this.query(sharedAmong(identifiers));
    const found = new Set(rows.map((row) => row.key as string));
    return new Set(identifiers.filter((key) => found.has(key)));
  }

  async sharedCount(): Promise<number> {
    const rows = await this.query(sharedCount());
    return Number(rows[0]?.n ?? 0);
  }

  async decisionsFor(refs: readonly RecordRef[]): Promise<DecisionEntry[]> {
    const rows = await this.query(decisionsFor(refs));
    return rows.map((row) => JSON.parse(row.data as string) as DecisionEntry);
  }

  async reviewItems(query: ReviewQuery): Promise<ReviewPage> {
    const total = Number((await this.query(reviewCount(query)))[0]?.total ?? 0);
    if (total === 0 || query.limit === 0) return { items: [], total };
    const rows = await this.query(reviewPage(query));
    return { items: rows.map((row) => JSON.parse(row.data as string) as ReviewItem), total };
  }

  async reviewItemsById(ids: readonly string[]): Promise<Map<string, ReviewItem>> {
    if (ids.length === 0) return new Map();
    const rows = await this.query(reviewItemsById(ids));
    const byId = new Map(rows.map((row) => [row.id as string, JSON.parse(row.data as string) as ReviewItem]));
    return inOrder(ids, (id) => byId.get(id));
  }

  async reviewItemsOf(refs: readonly RecordRef[]): Promise<ReviewItem[]> {
    if (refs.length === 0) return [];
    const rows = await this.query(reviewItemsOf(refs));
    rows.sort((x, y) => ((x.id as string) < (y.id as string) ? -1 : 1));
    return rows.map((row) => JSON.parse(row.data as string) as ReviewItem);
  }

  async currentRules(): Promise<{ version: string; text: string } | undefined> {
    const rows = await this.query(currentRules());
    const row = rows[0];
    return row ? { version: row.version as string, text: row.text as string } : undefined;
  }

  async commit(change: ChangeSet): Promise<void> {
    await writeChange(this.db, change, this.turn.writer);
    this.turn.committed();
  }

  claimTurn(): Promise<boolean> {
    return this.turn.claim();
  }

  releaseTurn(): Promise<void> {
    return this.turn.release();
  }

  async sourceState(source: string): Promise<SourceState | undefined> {
    const row = (await this.query(sourceState(source)))[0];
    if (!row) return undefined;
    return {
      source,
      origin: row.origin as string,
      column: row.column as string,
      watermark: row.watermark as string,
      at: row.at as string,
    };
  }

  async rememberSourceState(state: SourceState): Promise<void> {
    await this.db.write((tx) => run(tx, rememberSourceState(state)), { sourceState: state.source });
  }

  audience(id: string): Promise<AudienceDefinition | undefined> {
    return this.audienceNodes.audience(id);
  }

  audiences(): Promise<AudienceDefinition[]> {
    return this.audienceNodes.audiences();
  }

  putAudience(
    definition: AudienceDefinition,
    members: Iterable<AudienceMember>,
    options: { readonly replace: boolean },
  ): Promise<boolean> {
    return this.audienceNodes.putAudience(definition, members, options);
  }

  audienceMembers(id: string): AsyncIterable<AudienceMember[]> {
    return this.audienceNodes.audienceMembers(id);
  }

  dropAudienceRows(id: string, lines: ReadonlySet<number>): Promise<number> {
    return this.audienceNodes.dropAudienceRows(id, lines);
  }

  removeAudience(id: string): Promise<boolean> {
    return this.audienceNodes.removeAudience(id);
  }

  segment(id: string): Promise<SavedSegment | undefined> {
    return this.audienceNodes.segment(id);
  }

  segments(): Promise<SavedSegment[]> {
    return this.audienceNodes.segments();
  }

  putSegment(segment: SavedSegment): Promise<void> {
    return this.audienceNodes.putSegment(segment);
  }

  async findProfile(id: string): Promise<ProfileLookup | undefined> {
    const rows = await this.query(findProfile(id));
    const row = rows[0];
    if (!row) return undefined;
    const profile = toProfile(row);
    return profile.id === id ? { profile } : { profile, redirectedFrom: id };
  }

  async currentProfileIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.query(currentProfileIds(ids));
    return new Map(rows.map((row) => [row.id as string, row.current as string]));
  }

  profilesHolding(identifiers: readonly string[]): Promise<Map<string, string[]>> {
    return this.holding.get(identifiers);
  }

  private async readProfilesHolding(identifiers: readonly string[]): Promise<Map<string, string[]>> {
    if (identifiers.length === 0) return new Map();
    const rows = await this.query(profilesHolding(identifiers));
    // The statement lists a profile once per record holding the value, in holding order.
    const byKey = new Map(rows.map((row) => [row.key as string, [...new Set(row.ids as string[])]]));
    return inOrder(identifiers, (key) => byKey.get(key));
  }

  async eventsOf(profileId: string): Promise<ProfileEvent[]> {
    const rows = await this.query(eventsOf(profileId));
    return rows.map((row) => JSON.parse(row.data as string) as ProfileEvent);
  }

  async event(id: string): Promise<ProfileEvent | undefined> {
    const rows = await this.query(event(id));
    const data = rows[0]?.data;
    return data === undefined ? undefined : (JSON.parse(data as string) as ProfileEvent);
  }

  async eventCounts(afterCommit: number, upTo: number): Promise<EventCount[]> {
    const rows = await this.query(eventCounts(afterCommit, upTo));
    return rows.map((row) => ({ day: row.day as string, kind: row.kind as EventKind, count: Number(row.count) }));
  }

  async *allEvents(afterCommit = 0): AsyncIterable<ProfileEvent> {
    // After every event of that commit: its numbers start at 1 and never reach this.
    let after = { commit: afterCommit, n: Number.MAX_SAFE_INTEGER };
    for (;;) {
      const rows = await this.query(eventsPage(after, PAGE));
      for (const row of rows) yield JSON.parse(row.data as string) as ProfileEvent;
      if (rows.length < PAGE) return;
      const last = rows.at(-1) as Record<string, unknown>;
      after = { commit: Number(last.commit), n: Number(last.n) };
    }
  }

  async *profiles(): AsyncIterable<StoredProfile> {
    let after = '';
    for (;;) {
      const rows = await this.query(profilesPage(after, PAGE));
      for (const row of rows) yield toProfile(row);
      if (rows.length < PAGE) return;
      after = rows.at(-1)?.id as string;
    }
  }

  async profilesChangedSince(commit: number): Promise<string[]> {
    if (commit > 0) {
      const rows = await this.query(profilesChangedSince(commit));
      return rows.map((row) => row.id as string).sort();
    }
    // Every ID ever issued, profiles written before `changed` existed included: paged on the ID index.
    const ids: string[] = [];
    for (let after = ''; ; ) {
      const rows = await this.query(profileIdsPage(after, PAGE));
      for (const row of rows) ids.push(row.id as string);
      if (rows.length < PAGE) return ids;
      after = ids.at(-1) as string;
    }
  }

  async *records(): AsyncIterable<PreparedRecord> {
    let after = '';
    for (;;) {
      const rows = await this.query(recordsPage(after, PAGE));
      for (const row of rows) yield decodeRecord(row.ref as string, row.data as string);
      if (rows.length < PAGE) return;
      after = rows.at(-1)?.ref as string;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  private async members(keys: readonly string[], statement: Statement): Promise<Map<string, RecordRef[]>> {
    return listsFrom(keys, await this.query(statement));
  }

  /** Runs one read statement (auto-commit: one round trip) and returns its rows as plain objects. */
  private query(statement: Statement): Promise<Record<string, unknown>[]> {
    return this.db.readStatement(statement);
  }
}

/** Rows of `key` and `refs` as the answer to `keys`: in the order asked, without a key with no refs. */
function listsFrom(keys: readonly string[], rows: readonly Record<string, unknown>[]): Map<string, RecordRef[]> {
  const byKey = new Map(rows.map((row) => [row.key as string, row.refs as RecordRef[]]));
  return inOrder(keys, (key) => {
    const refs = byKey.get(key);
    return refs && refs.length > 0 ? refs : undefined;
  });
}

/**
 * Rows of `key`, `refs` and `shared` as identifierHolders' answer: an identifier node neither held
 * nor shared (its holders went) is no answer, as on the embedded store.
 */
function holdingFrom(
  identifiers: readonly string[],
  rows: readonly Record<string, unknown>[],
): Map<string, IdentifierHolding> {
  const byKey = new Map(
    rows.map((row) => [row.key as string, { holders: row.refs as RecordRef[], shared: row.shared === true }]),
  );
  return inOrder(identifiers, (key) => {
    const found = byKey.get(key);
    return found && (found.holders.length > 0 || found.shared) ? found : undefined;
  });
}

function toProfile(row: Record<string, unknown>): StoredProfile {
  return {
    id: row.id as string,
    seq: Number(row.seq),
    records: row.records as RecordRef[],
    edges: JSON.parse((row.edges as string | null) ?? '[]'),
  };
}
