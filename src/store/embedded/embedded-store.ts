/**
 * The default store: no server, state in memory, durability from the write-ahead log in its folder.
 * One process owns a folder at a time (a lock file says which), since two writers would interleave
 * commits that each resolved against a state the other did not see.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import type { ChangeSet, DecisionEntry, GraphStore, ProfileLookup, StoredProfile } from '../graph-store.js';
import { StoreError } from '../store-error.js';
import { MemoryState } from './memory-state.js';
import { WriteAheadLog } from './write-ahead-log.js';

export class EmbeddedStore implements GraphStore {
  private constructor(
    private readonly state: MemoryState,
    private readonly log: WriteAheadLog,
    private readonly lockPath: string,
  ) {}

  static async open(folder: string): Promise<EmbeddedStore> {
    await mkdir(folder, { recursive: true });
    const lockPath = join(folder, 'LOCK');
    await acquireLock(lockPath);
    const state = new MemoryState();
    try {
      const log = await WriteAheadLog.open(join(folder, 'wal.ndjson'), (change) => state.apply(change));
      return new EmbeddedStore(state, log, lockPath);
    } catch (error) {
      await rm(lockPath, { force: true });
      throw error;
    }
  }

  async lastCommit(): Promise<number> {
    return this.state.lastCommit;
  }

  async getRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>> {
    const found = new Map<RecordRef, PreparedRecord>();
    for (const ref of refs) {
      const record = this.state.records.get(ref);
      if (record) found.set(ref, record);
    }
    return found;
  }

  async holdersOf(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return pick(this.state.holders, identifiers);
  }

  async blockMembers(blockKeys: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return pick(this.state.blocks, blockKeys);
  }

  async profileIdsOf(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    const found = new Map<RecordRef, string>();
    for (const ref of refs) {
      const id = this.state.profileOf.get(ref);
      if (id) found.set(ref, id);
    }
    return found;
  }

  async getProfiles(ids: readonly string[]): Promise<Map<string, StoredProfile>> {
    const found = new Map<string, StoredProfile>();
    for (const id of ids) {
      const profile = this.state.profiles.get(id);
      if (profile) found.set(id, profile);
    }
    return found;
  }

  async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.state.redirects.has(id)));
  }

  async sharedIdentifiers(identifiers: readonly string[]): Promise<Set<string>> {
    return new Set(identifiers.filter((identifier) => this.state.shared.has(identifier)));
  }

  async decisionsFor(refs: readonly RecordRef[]): Promise<DecisionEntry[]> {
    const wanted = new Set(refs);
    return [...this.state.decisions.values()].filter((entry) => decisionRefs(entry).some((ref) => wanted.has(ref)));
  }

  async allDecisions(): Promise<DecisionEntry[]> {
    return [...this.state.decisions.values()];
  }

  async currentRules(): Promise<{ version: string; text: string } | undefined> {
    return this.state.rules;
  }

  async commit(change: ChangeSet): Promise<void> {
    if (change.commit !== this.state.lastCommit + 1) {
      throw new StoreError('STORE_CONFLICT', `commit ${change.commit} does not follow ${this.state.lastCommit}`);
    }
    await this.log.append(change);
    this.state.apply(change);
  }

  async findProfile(id: string): Promise<ProfileLookup | undefined> {
    return this.state.findProfile(id);
  }

  async profileByIdentifier(identifier: string): Promise<StoredProfile | undefined> {
    for (const ref of this.state.holders.get(identifier) ?? []) {
      const id = this.state.profileOf.get(ref);
      if (id) return this.state.profiles.get(id);
    }
    return undefined;
  }

  async eventsOf(profileId: string): Promise<ProfileEvent[]> {
    return this.state.eventsOf(profileId);
  }

  async event(id: string): Promise<ProfileEvent | undefined> {
    return this.state.event(id);
  }

  async *profiles(): AsyncIterable<StoredProfile> {
    const ids = [...this.state.profiles.keys()].sort();
    for (const id of ids) {
      const profile = this.state.profiles.get(id);
      if (profile) yield profile;
    }
  }

  async *records(): AsyncIterable<PreparedRecord> {
    const refs = [...this.state.records.keys()].sort();
    for (const ref of refs) {
      const record = this.state.records.get(ref);
      if (record) yield record;
    }
  }

  async close(): Promise<void> {
    await this.log.close();
    await rm(this.lockPath, { force: true });
  }
}

export function decisionRefs(entry: DecisionEntry): RecordRef[] {
  const { decision } = entry;
  return decision.kind === 'force_link' ? [decision.a, decision.b] : [...decision.sideA, ...decision.sideB];
}

function pick(index: Map<string, Set<RecordRef>>, keys: readonly string[]): Map<string, RecordRef[]> {
  const found = new Map<string, RecordRef[]>();
  for (const key of keys) {
    const refs = index.get(key);
    if (refs) found.set(key, [...refs]);
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
  if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new StoreError('STORE_LOCKED', `the store at ${lockPath} is in use by process ${holder}`);
  }
  await rm(lockPath, { force: true });
  await acquireLock(lockPath);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
