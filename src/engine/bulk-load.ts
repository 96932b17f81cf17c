/**
 * The bulk path for a first load into an empty store. Instead of re-deciding a scope per batch, it
 * normalizes everything, finds the connected components once (identifiers that are not hubs, and
 * fuzzy pairs that score a match), resolves each component with the same pure function as the
 * incremental path, and writes the result in large commits. The partition is the one incremental
 * ingest gives (resolution of a component depends only on its records); the history differs only in
 * telling each profile's creation as one event.
 */
import { blockingKeys } from '../core/resolve/blocking.js';
import type { ProfileEvent } from '../core/resolve/events.js';
import { scorePair } from '../core/resolve/fuzzy-score.js';
import { newProfileId } from '../core/resolve/profile-ids.js';
import { resolveRecords } from '../core/resolve/resolve-records.js';
import { HUB_HOLDERS } from '../core/resolve/shared-values.js';
import type { MergeEdge, PreparedRecord, RecordRef } from '../core/resolve/types.js';
import type { GraphStore, StagedRecord, StoredProfile } from '../store/graph-store.js';
import { EngineError } from './engine-error.js';
import type { LoadedRules } from './loaded-rules.js';
import { type PackedRecord, unpackRecord } from './packed-record.js';
import type { PhaseTimings } from './timings.js';

export interface BulkLoadOptions {
  readonly store: GraphStore;
  readonly rules: LoadedRules;
  /** Taken over and emptied: each record is released once its component is resolved. */
  readonly records: PackedRecord[];
  readonly at: string;
  readonly timings: PhaseTimings;
  /** Records per commit. */
  readonly commitSize?: number;
}

export interface BulkLoadSummary {
  readonly profilesCreated: number;
  readonly commits: number;
}

const DEFAULT_COMMIT_SIZE = 50_000;

export async function bulkLoad(options: BulkLoadOptions): Promise<BulkLoadSummary> {
  const { store, rules } = options;
  if ((await store.lastCommit()) !== 0) {
    throw new EngineError('STORE_NOT_EMPTY', 'the bulk path loads an empty store only; use incremental ingest');
  }
  const records: (PackedRecord | undefined)[] = dedupe(options.records);
  options.records.length = 0;
  const { components, hubs } = options.timings.measure('match', () => findComponents(records as PackedRecord[], rules));
  const fuzzy = rules.compiled.rules.filter((rule) => rule.kind === 'fuzzy');

  let commit = 0;
  let profilesCreated = 0;
  const issued = new Set<string>();
  let pending: {
    records: StagedRecord[];
    profiles: StoredProfile[];
    shared: string[];
    edges: MergeEdge[][];
  } = { records: [], profiles: [], shared: [], edges: [] };
  const flush = async () => {
    if (pending.records.length === 0) return;
    commit++;
    const batch = pending;
    pending = { records: [], profiles: [], shared: [], edges: [] };
    const events: ProfileEvent[] = batch.profiles.map((profile, index) => {
      const edges = batch.edges[index] ?? [];
      return {
        id: `e${commit}-${index + 1}`,
        kind: 'profile_created',
        at: options.at,
        actor: 'engine',
        rulesVersion: rules.version,
        before: [],
        after: [profile.id],
        records: profile.records,
        ...(edges[0] ? { rule: edges[0].rule } : {}),
        evidence: edges,
      };
    });
    await options.timings.measureAsync('write', () =>
      store.commit({
        commit,
        at: options.at,
        rulesVersion: rules.version,
        upserts: batch.records,
        removals: [],
        profiles: batch.profiles,
        retired: [],
        shared: batch.shared.map((identifier) => ({ identifier, shared: true })),
        decisionsAdded: [],
        decisionsRemoved: [],
        events,
        firstLoad: true,
        ...(commit === 1 ? { rules: { version: rules.version, text: rules.text } } : {}),
      }),
    );
  };

  const hubList = [...hubs];
  const { order, start } = components;
  for (let c = 0; c < components.count; c++) {
    const members: PreparedRecord[] = [];
    const encoded: string[] = [];
    for (let at = start[c] as number; at < (start[c + 1] as number); at++) {
      const index = order[at] as number;
      const packed = records[index] as PackedRecord;
      records[index] = undefined;
      members.push(unpackRecord(packed));
      encoded.push(packed.encoded);
    }
    const resolved = options.timings.measure('match', () =>
      resolveRecords({ records: members, rules: rules.compiled, decisions: [], isHub: (key) => hubs.has(key) }),
    );
    members.forEach((record, index) => {
      // Resolving computed (and cached) the record's blocking keys.
      const blockKeys = fuzzy.flatMap((rule) => blockingKeys(record, rule));
      pending.records.push({ record, encoded: encoded[index] as string, blockKeys });
    });
    const edgesByRef = new Map<RecordRef, MergeEdge[]>();
    for (const edge of resolved.edges) {
      const list = edgesByRef.get(edge.a);
      if (list) list.push(edge);
      else edgesByRef.set(edge.a, [edge]);
    }
    for (const refs of resolved.clusters) {
      const id = newProfileId(refs[0] as RecordRef, (candidate) => issued.has(candidate));
      issued.add(id);
      const edges = refs.flatMap((ref) => edgesByRef.get(ref) ?? []);
      pending.profiles.push({ id, seq: profilesCreated++, records: refs, edges });
      pending.edges.push(edges);
    }
    for (const [identifier, shared] of resolved.shared) if (shared) pending.shared.push(identifier);
    if (pending.records.length >= (options.commitSize ?? DEFAULT_COMMIT_SIZE)) await flush();
  }
  pending.shared.push(...hubList);
  await flush();
  return { profilesCreated, commits: commit };
}

/** Last one wins when a (source, key) appears twice, as in incremental ingest. */
function dedupe(records: readonly PackedRecord[]): PackedRecord[] {
  const byRef = new Map<RecordRef, PackedRecord>();
  for (const record of records) byRef.set(record.ref, record);
  return byRef.size === records.length ? [...records] : [...byRef.values()];
}

/** Records in component order: `order[start[c]] .. order[start[c + 1] - 1]` are component c. */
interface Components {
  readonly order: Int32Array;
  readonly start: Int32Array;
  readonly count: number;
}

/**
 * Connected components over the evidence resolution could use: identifier values that are not
 * hubs, and fuzzy candidate pairs that reach the rule's minimum score. Candidates come from the
 * blocking-key hashes, so a pair may be scored under a fuzzy rule whose block it does not share
 * (another rule's key, or a hash collision); that can only join components, never split them, and
 * resolving a component decides again which of its records go together.
 */
function findComponents(
  records: readonly PackedRecord[],
  rules: LoadedRules,
): { components: Components; hubs: Set<string> } {
  const parent = new Int32Array(records.length).map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] as number;
    let cursor = index;
    while (parent[cursor] !== root) {
      const next = parent[cursor] as number;
      parent[cursor] = root;
      cursor = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  };

  // Two passes over the identifier keys, so a hub's holders are never joined: count and note the
  // first holder of each key, then join the others to it.
  const slotOf = new Map<string, number>();
  const firstHolder: number[] = [];
  const holderCount: number[] = [];
  records.forEach((record, index) => {
    for (const key of record.identifierKeys) {
      const slot = slotOf.get(key);
      if (slot === undefined) {
        slotOf.set(key, firstHolder.length);
        firstHolder.push(index);
        holderCount.push(1);
      } else holderCount[slot] = (holderCount[slot] as number) + 1;
    }
  });
  const hubs = new Set<string>();
  for (const [key, slot] of slotOf) if ((holderCount[slot] as number) > HUB_HOLDERS) hubs.add(key);
  records.forEach((record, index) => {
    for (const key of record.identifierKeys) {
      const slot = slotOf.get(key) as number;
      if ((holderCount[slot] as number) <= HUB_HOLDERS) union(firstHolder[slot] as number, index);
    }
  });
  slotOf.clear();

  const fuzzy = rules.compiled.rules.filter((rule) => rule.kind === 'fuzzy');
  if (fuzzy.length > 0) {
    const blocks = new Map<number, number | number[]>();
    records.forEach((record, index) => {
      for (const hash of record.blockHashes) {
        const members = blocks.get(hash);
        if (members === undefined) blocks.set(hash, index);
        else if (typeof members === 'number') blocks.set(hash, [members, index]);
        else members.push(index);
      }
    });
    for (const members of blocks.values()) {
      if (typeof members === 'number') continue;
      // Unpacked once per block, and only when a pair in it still needs scoring.
      const unpacked = new Map<number, PreparedRecord>();
      const record = (index: number) => {
        let found = unpacked.get(index);
        if (!found) {
          found = unpackRecord(records[index] as PackedRecord);
          unpacked.set(index, found);
        }
        return found;
      };
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          const a = members[i] as number;
          const b = members[j] as number;
          if (find(a) === find(b)) continue;
          if (fuzzy.some((rule) => scorePair(record(a), record(b), rule).score >= rule.minScore)) union(a, b);
        }
      }
    }
  }

  // A counting sort of the records by root.
  const sizes = new Int32Array(records.length);
  for (let index = 0; index < records.length; index++) {
    const root = find(index);
    sizes[root] = (sizes[root] as number) + 1;
  }
  const start = new Int32Array(records.length + 1);
  const slotOfRoot = new Int32Array(records.length);
  let count = 0;
  for (let root = 0; root < records.length; root++) {
    if (sizes[root] === 0) continue;
    slotOfRoot[root] = count;
    start[count + 1] = (start[count] as number) + (sizes[root] as number);
    count++;
  }
  const fill = start.slice(0, count);
  const order = new Int32Array(records.length);
  for (let index = 0; index < records.length; index++) {
    const slot = slotOfRoot[parent[index] as number] as number;
    const at = fill[slot] as number;
    order[at] = index;
    fill[slot] = at + 1;
  }
  return { components: { order, start, count }, hubs };
}
