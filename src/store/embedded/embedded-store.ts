/**
 * The default store: no server, state in memory, durability from the write-ahead log in its folder
 * and history in an events file beside it. One process owns a folder at a time (a lock file says
 * which), since two writers would interleave commits that each resolved against a state the other
 * did not see.
 */
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactEvent } from '../../core/resolve/erasure.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { isProcessAlive } from '../../process-alive.js';
import type { ChangeSet, DecisionEntry, GraphStore, ProfileLookup, StoredProfile } from '../graph-store.js';
import { inOrder } from '../in-order.js';
import { StoreError } from '../store-error.js';
import { EventLog } from './event-log.js';
import { type LogEntry, logEntryCodec, toLogEntry } from './log-entry.js';
import { MemoryState } from './memory-state.js';
import { redactLogEntry } from './redact-log-entry.js';
import { syncFolder, WriteAheadLog } from './write-ahead-log.js';

export class EmbeddedStore implements GraphStore {
  private closed = false;

  private constructor(
    private readonly state: MemoryState,
    private readonly log: WriteAheadLog<LogEntry>,
    private readonly events: EventLog,
    private readonly lockPath: string,
    private readonly folder: string,
  ) {}

  static async open(folder: string): Promise<EmbeddedStore> {
    await mkdir(folder, { recursive: true });
    const lockPath = join(folder, 'LOCK');
    await acquireLock(lockPath);
    const state = new MemoryState();
    try {
      const erasures: { commit: number; refs: readonly string[] }[] = [];
      const log = await WriteAheadLog.open<LogEntry>(
        join(folder, 'wal.ndjson'),
        (entry) => {
          state.apply(entry);
          if (entry.erased) erasures.push({ commit: entry.commit, refs: entry.erased });
        },
        logEntryCodec,
      );
      const events = await EventLog.open(join(folder, 'events.ndjson'), state.eventsEnd);
      const store = new EmbeddedStore(state, log, events, lockPath, folder);
      // An erasure whose scrub a crash cut short is finished now, before anything else is served.
      const scrubbed = await store.scrubbedThrough();
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

  async lastCommit(): Promise<number> {
    return this.state.lastCommit;
  }

  async getRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>> {
    return inOrder(refs, (ref) => this.state.record(ref));
  }

  async getEncodedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    return inOrder(refs, (ref) => this.state.encodedRecord(ref));
  }

  async holdersOf(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return pick(identifiers, (key) => this.state.holders(key));
  }

  async blockMembers(blockKeys: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return pick(blockKeys, (key) => this.state.blockMembers(key));
  }

  async profileIdsOf(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    return inOrder(refs, (ref) => this.state.profileOf.get(ref));
  }

  async getProfiles(ids: readonly string[]): Promise<Map<string, StoredProfile>> {
    return inOrder(ids, (id) => this.state.profile(id));
  }

  async profileRecords(ids: readonly string[]): Promise<Map<string, readonly RecordRef[]>> {
    return inOrder(ids, (id) => this.state.recordsOf.get(id));
  }

  async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.state.redirects.has(id)));
  }

  async sharedIdentifiers(identifiers: readonly string[]): Promise<Set<string>> {
    return new Set(identifiers.filter((identifier) => this.state.shared.has(identifier)));
  }

  async sharedCount(): Promise<number> {
    return this.state.shared.size;
  }

  async decisionsFor(refs: readonly RecordRef[]): Promise<DecisionEntry[]> {
    const wanted = new Set(refs);
    return [...this.state.decisions.values()].filter((entry) => decisionRefs(entry).some((ref) => wanted.has(ref)));
  }

  async currentRules(): Promise<{ version: string; text: string } | undefined> {
    return this.state.rules;
  }

  async commit(change: ChangeSet): Promise<void> {
    if (change.commit !== this.state.lastCommit + 1) {
      throw new StoreError('STORE_CONFLICT', `commit ${change.commit} does not follow ${this.state.lastCommit}`);
    }
    // Events first: the log entry that points at them is what makes the commit count.
    const { located, end } = await this.events.append(change.events);
    const entry = toLogEntry(change, located, end);
    await this.log.append(entry);
    this.state.apply(entry);
    if (entry.erased) await this.scrub(entry.erased, entry.commit);
  }

  /**
   * Removes erased records from the files: their mentions and evidence from past events, their
   * content from past log entries. Then notes the commit it is done through, so a scrub a crash
   * interrupted is redone at the next open (both rewrites can run again safely).
   */
  private async scrub(refs: readonly string[], commit: number): Promise<void> {
    const erased = new Set(refs);
    await this.events.rewrite((event) => redactEvent(event, erased));
    await this.log.rewrite((entry) => redactLogEntry(entry, erased));
    const marker = join(this.folder, 'scrubbed');
    await writeFile(`${marker}.tmp`, String(commit));
    const handle = await open(`${marker}.tmp`, 'r+');
    await handle.datasync();
    await handle.close();
    await rename(`${marker}.tmp`, marker);
    await syncFolder(this.folder);
  }

  /** The last commit whose erasures are scrubbed from the files (0 when none ever were). */
  private async scrubbedThrough(): Promise<number> {
    const text = await readFile(join(this.folder, 'scrubbed'), 'utf8').catch(() => '0');
    const commit = Number.parseInt(text, 10);
    return Number.isInteger(commit) ? commit : 0;
  }

  async findProfile(id: string): Promise<ProfileLookup | undefined> {
    return this.state.findProfile(id);
  }

  async currentProfileIds(ids: readonly string[]): Promise<Map<string, string>> {
    return inOrder(ids, (id) => this.state.currentProfileId(id));
  }

  async profileByIdentifier(identifier: string): Promise<StoredProfile | undefined> {
    for (const ref of this.state.holders(identifier)) {
      const id = this.state.profileOf.get(ref);
      if (id) return this.state.profile(id);
    }
    return undefined;
  }

  async eventsOf(profileId: string): Promise<ProfileEvent[]> {
    const events: ProfileEvent[] = [];
    for (const location of this.state.eventLocationsOf(profileId)) events.push(await this.events.read(location));
    return events;
  }

  async event(id: string): Promise<ProfileEvent | undefined> {
    const location = this.state.eventLocation(id);
    return location ? this.events.read(location) : undefined;
  }

  async *profiles(): AsyncIterable<StoredProfile> {
    for (const id of this.state.profileIds().sort()) {
      const profile = this.state.profile(id);
      if (profile) yield profile;
    }
  }

  async *records(): AsyncIterable<PreparedRecord> {
    for (const ref of this.state.recordRefs().sort()) {
      const record = this.state.record(ref);
      if (record) yield record;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.log.close();
    await this.events.close();
    await rm(this.lockPath, { force: true });
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

/** Takes the folder's lock, or fails naming the live process that holds it; a stale lock is taken over. */
async function acquireLock(lockPath: string): Promise<void> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
    throw new StoreError('STORE_LOCKED', `the store at ${lockPath} is in use by process ${holder}`);
  }
  await rm(lockPath, { force: true });
  await acquireLock(lockPath);
}
