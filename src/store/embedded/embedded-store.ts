/**
 * The default store: no server, state in memory, durability from the write-ahead log in its folder
 * and history in an events file beside it. One process owns a folder at a time (a lock file says
 * which), since two writers would interleave commits that each resolved against a state the other
 * did not see.
 *
 * Readers open a folder without the lock (`openReadOnly`): they replay the log as it is and never
 * write, so `idgraph lookup` works while `idgraph serve` holds the store. The writer only appends
 * whole lines and renames rewritten files into place, so a reader sees every commit acknowledged
 * before it opened, and a line being appended ends the replay like a torn one.
 *
 * Commits of the bulk path (ChangeSet.firstLoad) are written but not applied to the state in
 * memory at once: a first load is a process of its own (`idgraph load`) that ends when it has
 * written, so building the indexes of a million records would be work thrown away (a third of the
 * load's time), and the next process builds them from the log anyway. Should this process read
 * after all, the state first catches up by replaying those commits from the log: the same entries
 * through the same `apply`, so the state is the one an immediate apply would have built.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudienceDefinition, SavedSegment } from '../../core/audience/definitions.js';
import type { AudienceMember } from '../../core/audience/members.js';
import { redactEvent } from '../../core/resolve/erasure.js';
import { commitOfEvent, type EventCount, EventCounter } from '../../core/resolve/event-counts.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import {
  compareQueueOrder,
  matchesQuery,
  type ReviewItem,
  type ReviewPage,
  type ReviewQuery,
} from '../../core/review/review-item.js';
import type {
  ChangeSet,
  DecisionEntry,
  GraphStore,
  IdentifierHolding,
  ProfileLookup,
  ReachedProfiles,
  ScopeRound,
  SourceState,
  StoredProfile,
} from '../graph-store.js';
import { inOrder } from '../in-order.js';
import { StoreError } from '../store-error.js';
import { AudienceFiles } from './audience-files.js';
import { EventLog } from './event-log.js';
import { inTurns } from './in-turns.js';
import { type LogEntry, logEntryCodec, toLogEntry } from './log-entry.js';
import { MemoryState } from './memory-state.js';
import { RecentEventCounts } from './recent-event-counts.js';
import { redactLogEntry } from './redact-log-entry.js';
import { replaceFile } from './replace-file.js';
import { readSourceStates, writeSourceStates } from './source-states-file.js';
import { EVENTS_FILE, LOG_FILE, prepareStoreFolder, requireStoreFolder } from './store-folder.js';
import { acquireLock } from './store-lock.js';
import { WriteAheadLog } from './write-ahead-log.js';

export interface EmbeddedOptions {
  /** Where the audiences are kept (audience-files.ts): the store's `audiences` folder unless told. */
  readonly audiences?: string;
}

export class EmbeddedStore implements GraphStore {
  /** A lock file keeps every other process out. */
  readonly oneWriter = true;
  private closed = false;
  /** Bulk commits written to the log and not applied yet: the first one's offset, the last one's number. */
  private behind: { readonly from: number; lastCommit: number } | undefined;
  /** A bulk commit being written: a catch-up must not start until it is in the log. */
  private writingUnapplied: Promise<void> | undefined;
  private catchingUp: Promise<void> | undefined;
  /** The event counts of the commits this process wrote last (the overview's trend asks for them). */
  private readonly recentCounts: RecentEventCounts;

  private constructor(
    private readonly state: MemoryState,
    private readonly log: WriteAheadLog<LogEntry>,
    private readonly events: EventLog,
    /** The writer's lock; none for a reader. */
    private readonly lockPath: string | undefined,
    private readonly folder: string,
    /** Watermarks of incremental sources, as sources.json holds them. */
    private readonly sourceStates: Map<string, SourceState>,
    private readonly audienceFiles: AudienceFiles,
    /** Records erased by commits whose scrub of the files a crash cut short: a reader leaves them out of events. */
    private readonly unscrubbed: ReadonlySet<string> = new Set(),
  ) {
    this.recentCounts = new RecentEventCounts(state.lastCommit);
  }

  static async open(folder: string, options: EmbeddedOptions = {}): Promise<EmbeddedStore> {
    await prepareStoreFolder(folder);
    const lockPath = join(folder, 'LOCK');
    await acquireLock(lockPath, folder);
    const state = new MemoryState();
    try {
      const erasures: { commit: number; refs: readonly string[] }[] = [];
      const log = await WriteAheadLog.open<LogEntry>(
        join(folder, LOG_FILE),
        (entry) => {
          state.apply(entry);
          if (entry.erased) erasures.push({ commit: entry.commit, refs: entry.erased });
        },
        logEntryCodec,
      );
      const events = await EventLog.open(join(folder, EVENTS_FILE), state.eventsEnd);
      const sourceStates = await readSourceStates(folder).catch(async (error: unknown) => {
        await Promise.all([log.close(), events.close()]);
        throw error;
      });
      const store = new EmbeddedStore(
        state,
        log,
        events,
        lockPath,
        folder,
        sourceStates,
        audienceFiles(folder, options),
      );
      // An erasure whose scrub a crash cut short is finished now, before anything else is served.
      const scrubbed = await scrubbedThrough(folder);
      const unfinished = erasures.filter((erasure) => erasure.commit > scrubbed);
      if (unfinished.length > 0)
        await store.scrub(
          unfinished.flatMap((erasure) => erasure.refs),
          state.lastCommit,
        );
      return store;
    } catch (error) {
      await rm(lockPath, { force: true });
      throw error;
    }
  }

  /**
   * Opens an existing store to read, without the lock and without writing anything: no torn tail
   * is cut and no unfinished scrub is finished (the writer does both when it opens); erased
   * records such a scrub would remove are left out of the events read instead.
   */
  static async openReadOnly(folder: string, options: EmbeddedOptions = {}): Promise<EmbeddedStore> {
    await requireStoreFolder(folder);
    const state = new MemoryState();
    const erasures: { commit: number; refs: readonly string[] }[] = [];
    const log = await WriteAheadLog.openForReading<LogEntry>(
      join(folder, LOG_FILE),
      (entry) => {
        state.apply(entry);
        if (entry.erased) erasures.push({ commit: entry.commit, refs: entry.erased });
      },
      logEntryCodec,
    );
    const events = await EventLog.openForReading(join(folder, EVENTS_FILE), state.eventsEnd).catch(
      async (error: unknown) => {
        await log.close();
        throw error;
      },
    );
    const sourceStates = await readSourceStates(folder).catch(async (error: unknown) => {
      await Promise.all([log.close(), events.close()]);
      throw error;
    });
    const scrubbed = await scrubbedThrough(folder);
    const unscrubbed = erasures.filter((erasure) => erasure.commit > scrubbed).flatMap((erasure) => erasure.refs);
    return new EmbeddedStore(
      state,
      log,
      events,
      undefined,
      folder,
      sourceStates,
      audienceFiles(folder, options),
      new Set(unscrubbed),
    );
  }

  async lastCommit(): Promise<number> {
    return this.behind?.lastCommit ?? this.state.lastCommit;
  }

  /** One process owns the store: everything written is in its memory already, no position to name. */
  async position(): Promise<string> {
    return '';
  }

  async lastCommitAfter(_position: string): Promise<number> {
    return this.lastCommit();
  }

  async getRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>> {
    const state = await this.current();
    return inOrder(refs, (ref) => state.record(ref));
  }

  async getEncodedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    const state = await this.current();
    return inOrder(refs, (ref) => state.encodedRecord(ref));
  }

  async holdersOf(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>> {
    const state = await this.current();
    return pick(identifiers, (key) => state.holders(key));
  }

  async blockMembers(blockKeys: readonly string[]): Promise<Map<string, RecordRef[]>> {
    const state = await this.current();
    return pick(blockKeys, (key) => state.blockMembers(key));
  }

  async identifierHolders(identifiers: readonly string[]): Promise<Map<string, IdentifierHolding>> {
    const state = await this.current();
    const found = new Map<string, IdentifierHolding>();
    for (const key of identifiers) {
      const holders = [...state.holders(key)];
      const shared = state.shared.has(key);
      if (holders.length > 0 || shared) found.set(key, { holders, shared });
    }
    return found;
  }

  async reachRecords(refs: readonly RecordRef[]): Promise<ReachedProfiles> {
    const state = await this.current();
    const profileOf = inOrder(refs, (ref) => state.profileOf.get(ref));
    const profiles = inOrder([...new Set(profileOf.values())], (id) => state.profile(id));
    return { profileOf, profiles };
  }

  /** Answered from memory: the next round's reads cost no trip, so nothing is fetched ahead. */
  async scopeRound(identifiers: readonly string[], blockKeys: readonly string[]): Promise<ScopeRound> {
    const [holding, members] = await Promise.all([this.identifierHolders(identifiers), this.blockMembers(blockKeys)]);
    return { holding, members, records: new Map(), reached: { profileOf: new Map(), profiles: new Map() } };
  }

  async profileIdsOf(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    const state = await this.current();
    return inOrder(refs, (ref) => state.profileOf.get(ref));
  }

  async getProfiles(ids: readonly string[]): Promise<Map<string, StoredProfile>> {
    const state = await this.current();
    return inOrder(ids, (id) => state.profile(id));
  }

  async profileRecords(ids: readonly string[]): Promise<Map<string, readonly RecordRef[]>> {
    const state = await this.current();
    return inOrder(ids, (id) => state.recordsOf.get(id));
  }

  async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    const state = await this.current();
    return new Set(ids.filter((id) => state.redirects.has(id)));
  }

  async sharedIdentifiers(identifiers: readonly string[]): Promise<Set<string>> {
    const state = await this.current();
    return new Set(identifiers.filter((identifier) => state.shared.has(identifier)));
  }

  async sharedCount(): Promise<number> {
    const state = await this.current();
    return state.shared.size;
  }

  async decisionsFor(refs: readonly RecordRef[]): Promise<DecisionEntry[]> {
    const state = await this.current();
    const wanted = new Set(refs);
    return [...state.decisions.values()].filter((entry) => decisionRefs(entry).some((ref) => wanted.has(ref)));
  }

  async reviewItems(query: ReviewQuery): Promise<ReviewPage> {
    const state = await this.current();
    const matching = [...state.review.values()].filter((item) => matchesQuery(item, query)).sort(compareQueueOrder);
    return { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
  }

  async reviewItemsById(ids: readonly string[]): Promise<Map<string, ReviewItem>> {
    const state = await this.current();
    return inOrder(ids, (id) => state.review.get(id));
  }

  async reviewItemsOf(refs: readonly RecordRef[]): Promise<ReviewItem[]> {
    const state = await this.current();
    const ids = new Set(refs.flatMap((ref) => state.reviewIdsOf(ref)));
    return [...ids]
      .sort()
      .map((id) => state.review.get(id))
      .filter((item): item is ReviewItem => item !== undefined);
  }

  async currentRules(): Promise<{ version: string; text: string } | undefined> {
    const state = await this.current();
    return state.rules;
  }

  async sourceState(source: string): Promise<SourceState | undefined> {
    return this.sourceStates.get(source);
  }

  async rememberSourceState(state: SourceState): Promise<void> {
    this.requireWriter();
    const next = new Map(this.sourceStates).set(state.source, state);
    await writeSourceStates(this.folder, next);
    this.sourceStates.set(state.source, state);
  }

  audience(id: string): Promise<AudienceDefinition | undefined> {
    return this.audienceFiles.audience(id);
  }

  audiences(): Promise<AudienceDefinition[]> {
    return this.audienceFiles.audiences();
  }

  async putAudience(
    definition: AudienceDefinition,
    members: Iterable<AudienceMember>,
    options: { readonly replace: boolean },
  ): Promise<boolean> {
    this.requireWriter();
    return this.audienceFiles.putAudience(definition, members, options);
  }

  audienceMembers(id: string): AsyncIterable<AudienceMember[]> {
    return this.audienceFiles.audienceMembers(id);
  }

  async dropAudienceRows(id: string, lines: ReadonlySet<number>): Promise<number> {
    this.requireWriter();
    return this.audienceFiles.dropAudienceRows(id, lines);
  }

  async removeAudience(id: string): Promise<boolean> {
    this.requireWriter();
    return this.audienceFiles.removeAudience(id);
  }

  segment(id: string): Promise<SavedSegment | undefined> {
    return this.audienceFiles.segment(id);
  }

  segments(): Promise<SavedSegment[]> {
    return this.audienceFiles.segments();
  }

  async putSegment(segment: SavedSegment): Promise<void> {
    this.requireWriter();
    return this.audienceFiles.putSegment(segment);
  }

  private requireWriter(): void {
    if (!this.lockPath) {
      throw new StoreError(
        'STORE_READ_ONLY',
        `the store in ${this.folder} was opened to read; a write needs the store to itself`,
      );
    }
  }

  /** One process writes an embedded store (its lock file): no other writer to take turns with. */
  async claimTurn(): Promise<boolean> {
    return true;
  }

  async releaseTurn(): Promise<void> {}

  async commit(change: ChangeSet): Promise<void> {
    this.requireWriter();
    const last = await this.lastCommit();
    if (change.commit !== last + 1) {
      throw new StoreError('STORE_CONFLICT', `commit ${change.commit} does not follow ${last}`);
    }
    if (change.firstLoad) return this.commitUnapplied(change);
    // Caught up first: the replay reads the log to its end, which must not hold this entry yet.
    const state = await this.current();
    const entry = await this.write(change);
    state.apply(entry);
    if (entry.erased) await this.scrub(entry.erased, entry.commit);
  }

  /** Writes a change durably (events first: the log entry that points at them makes it count). */
  private async write(change: ChangeSet): Promise<LogEntry> {
    const eventsBefore = this.events.end;
    const { located, end } = await this.events.append(change.events);
    const entry = toLogEntry(change, located, end);
    // Events without their log entry would be left between the last commit's and the next one's.
    const offset = await this.log.append(entry).catch(async (error: unknown) => {
      await this.events.cutTo(eventsBefore);
      throw error;
    });
    this.recentCounts.add(entry.commit, change.events);
    if (change.firstLoad) {
      if (this.behind) this.behind.lastCommit = entry.commit;
      else this.behind = { from: offset, lastCommit: entry.commit };
    }
    return entry;
  }

  /** A bulk commit: written, left for `current` to apply. */
  private async commitUnapplied(change: ChangeSet): Promise<void> {
    // A catch-up under way reads the log to its end, and one starting now waits for this write.
    await this.catchingUp;
    const writing = this.write(change).then(() => undefined);
    this.writingUnapplied = writing;
    try {
      await writing;
    } finally {
      this.writingUnapplied = undefined;
    }
  }

  /** The state with every commit applied: bulk commits written since the last read are replayed first. */
  private async current(): Promise<MemoryState> {
    if (this.writingUnapplied) await this.writingUnapplied.catch(() => undefined);
    if (this.behind) {
      const { from } = this.behind;
      // One replay however many reads wait for it. If it fails, the state is part applied and
      // cannot be trusted, so every later read fails too (reopening the store rebuilds it).
      this.catchingUp ??= this.log
        .replayFrom(from, (entry) => this.state.apply(entry))
        .then(() => {
          this.behind = undefined;
          this.catchingUp = undefined;
        });
      await this.catchingUp;
    }
    return this.state;
  }

  /**
   * Removes erased records from the files: their mentions and evidence from past events, their
   * content from past log entries. Then notes the commit it is done through, so a scrub a crash
   * interrupted is redone at the next open (both rewrites can run again safely).
   */
  private async scrub(refs: readonly string[], commit: number): Promise<void> {
    const erased = new Set(refs);
    const mentions = mentionsOf(refs);
    await this.events.rewrite((event) => redactEvent(event, erased), mentions?.text);
    await this.log.rewrite((entry) => redactLogEntry(entry, erased), mentions?.bytes);
    const marker = join(this.folder, 'scrubbed');
    await replaceFile(marker, (out) => out.writeFile(String(commit)).then(() => undefined));
  }

  async findProfile(id: string): Promise<ProfileLookup | undefined> {
    const state = await this.current();
    return state.findProfile(id);
  }

  async currentProfileIds(ids: readonly string[]): Promise<Map<string, string>> {
    const state = await this.current();
    return inOrder(ids, (id) => state.currentProfileId(id));
  }

  async profilesHolding(identifiers: readonly string[]): Promise<Map<string, string[]>> {
    const state = await this.current();
    const found = new Map<string, string[]>();
    for (const key of identifiers) {
      const ids = new Set<string>();
      for (const ref of state.holders(key)) {
        const id = state.profileOf.get(ref);
        if (id) ids.add(id);
      }
      if (ids.size > 0) found.set(key, [...ids]);
    }
    return found;
  }

  async eventsOf(profileId: string): Promise<ProfileEvent[]> {
    const state = await this.current();
    const events: ProfileEvent[] = [];
    for (const location of state.eventLocationsOf(profileId)) events.push(await this.readEvent(location));
    return events;
  }

  async event(id: string): Promise<ProfileEvent | undefined> {
    const state = await this.current();
    const location = state.eventLocation(id);
    return location ? this.readEvent(location) : undefined;
  }

  private async readEvent(location: { offset: number; length: number }): Promise<ProfileEvent> {
    const event = await this.events.read(location);
    return this.unscrubbed.size > 0 ? (redactEvent(event, this.unscrubbed) ?? event) : event;
  }

  async *allEvents(afterCommit = 0): AsyncIterable<ProfileEvent> {
    const state = await this.current();
    const from = afterCommit > 0 ? state.eventsOffsetAfter(afterCommit) : 0;
    if (from !== undefined) yield* this.events.all(from);
  }

  async eventCounts(afterCommit: number, upTo: number): Promise<EventCount[]> {
    const held = this.recentCounts.counts(afterCommit, upTo);
    if (held) return held;
    const counter = new EventCounter();
    // Read to the end rather than stopping early, so the file's reader closes as it does.
    for await (const event of this.allEvents(afterCommit)) if (commitOfEvent(event.id) <= upTo) counter.add(event);
    return counter.list();
  }

  async *profiles(): AsyncIterable<StoredProfile> {
    const state = await this.current();
    for await (const id of inTurns(state.profileIds().sort())) {
      const profile = state.profile(id);
      if (profile) yield profile;
    }
  }

  async profilesChangedSince(commit: number): Promise<string[]> {
    const state = await this.current();
    return state.profilesChangedSince(commit);
  }

  async *records(): AsyncIterable<PreparedRecord> {
    const state = await this.current();
    for await (const ref of inTurns(state.recordRefs().sort())) {
      const record = state.record(ref);
      if (record) yield record;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.log.close();
    await this.events.close();
    if (this.lockPath) await rm(this.lockPath, { force: true });
  }
}

export function decisionRefs(entry: DecisionEntry): RecordRef[] {
  const { decision } = entry;
  return decision.kind === 'force_link' ? [decision.a, decision.b] : [...decision.sideA, ...decision.sideB];
}

function pick(keys: readonly string[], lookup: (key: string) => readonly RecordRef[]): Map<string, RecordRef[]> {
  const found = new Map<string, RecordRef[]>();
  for (const key of keys) {
    const refs = lookup(key);
    if (refs.length > 0) found.set(key, [...refs]);
  }
  return found;
}

function audienceFiles(folder: string, options: EmbeddedOptions): AudienceFiles {
  return new AudienceFiles(options.audiences ?? join(folder, 'audiences'));
}

/** Erased records past which looking for each one in every line costs more than parsing the line. */
const MOST_SOUGHT = 32;

/**
 * Tests for a line of either file that may mention one of the records, undefined when there are
 * too many to look for. Both files name a record only as a JSON string (a value in an event's or a
 * log entry's JSON, always written by JSON.stringify), so a line without any of the records' JSON
 * strings mentions none of them, and its redaction would change nothing.
 */
function mentionsOf(
  refs: readonly string[],
): { text: (line: string) => boolean; bytes: (line: Buffer) => boolean } | undefined {
  if (refs.length > MOST_SOUGHT) return undefined;
  const quoted = refs.map((ref) => JSON.stringify(ref));
  const encoded = quoted.map((text) => Buffer.from(text, 'utf8'));
  return {
    text: (line) => quoted.some((text) => line.includes(text)),
    bytes: (line) => encoded.some((bytes) => line.includes(bytes)),
  };
}

/** The last commit whose erasures are scrubbed from the files (0 when none ever were). */
async function scrubbedThrough(folder: string): Promise<number> {
  const text = await readFile(join(folder, 'scrubbed'), 'utf8').catch(() => '0');
  const commit = Number.parseInt(text, 10);
  return Number.isInteger(commit) ? commit : 0;
}
