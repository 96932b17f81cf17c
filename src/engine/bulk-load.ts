/**
 * The bulk path for a first load into an empty store. Instead of re-deciding a scope per batch, it
 * normalizes everything, finds the connected components once (identifiers that are not hubs, and
 * fuzzy pairs that score a match), resolves each component with the same pure function as the
 * incremental path, and writes the result in large commits. The partition is the one incremental
 * ingest gives (resolution of a component depends only on its records); the history differs only in
 * telling each profile's creation as one event.
 */
import { computeBlockingKeys } from '../core/resolve/blocking.js';
import type { ProfileEvent } from '../core/resolve/events.js';
import { scorePair } from '../core/resolve/fuzzy-score.js';
import { newProfileId } from '../core/resolve/profile-ids.js';
import { resolveRecords } from '../core/resolve/resolve-records.js';
import { HUB_HOLDERS } from '../core/resolve/shared-values.js';
import type { MergeEdge, PreparedRecord, RecordRef } from '../core/resolve/types.js';
import { identifierKey } from '../core/resolve/types.js';
import type { GraphStore, StagedRecord, StoredProfile } from '../store/graph-store.js';
import { EngineError } from './engine-error.js';
import type { LoadedRules } from './loaded-rules.js';
import type { PhaseTimings } from './timings.js';

export interface BulkLoadOptions {
  readonly store: GraphStore;
  readonly rules: LoadedRules;
  /** Taken over and emptied: each record is released once it is written, to keep the heap small. */
  readonly records: PreparedRecord[];
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
  const records: (PreparedRecord | undefined)[] = dedupe(options.records);
  options.records.length = 0;
  const { components, hubs, blockKeys } = options.timings.measure('match', () =>
    findComponents(records as PreparedRecord[], rules),
  );

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
  for (let c = 0; c < components.length; c++) {
    const component = components[c] as number[];
    const members = component.map((index) => records[index] as PreparedRecord);
    for (const index of component) {
      pending.records.push({ record: records[index] as PreparedRecord, blockKeys: blockKeys[index] ?? [] });
      records[index] = undefined;
      blockKeys[index] = undefined;
    }
    components[c] = [];
    const resolved = options.timings.measure('match', () =>
      resolveRecords({ records: members, rules: rules.compiled, decisions: [], isHub: (key) => hubs.has(key) }),
    );
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
function dedupe(records: readonly PreparedRecord[]): PreparedRecord[] {
  const byRef = new Map<RecordRef, PreparedRecord>();
  for (const record of records) byRef.set(record.ref, record);
  return [...byRef.values()];
}

/**
 * Connected components over the evidence resolution could use: identifier values that are not
 * hubs, and fuzzy candidate pairs that reach the rule's minimum score.
 */
function findComponents(
  records: readonly PreparedRecord[],
  rules: LoadedRules,
): { components: number[][]; hubs: Set<string>; blockKeys: (string[] | undefined)[] } {
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

  const holders = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const identifier of record.identifiers) {
      const key = identifierKey(identifier.type, identifier.key);
      const list = holders.get(key);
      if (list) list.push(index);
      else holders.set(key, [index]);
    }
  });
  const hubs = new Set<string>();
  for (const [key, list] of holders) {
    if (list.length > HUB_HOLDERS) {
      hubs.add(key);
      continue;
    }
    for (let i = 1; i < list.length; i++) union(list[0] as number, list[i] as number);
  }
  holders.clear();

  const blockKeys: (string[] | undefined)[] = records.map(() => []);
  for (const rule of rules.compiled.rules) {
    if (rule.kind !== 'fuzzy') continue;
    const blocks = new Map<string, number[]>();
    records.forEach((record, index) => {
      const keys = computeBlockingKeys(record, rule);
      blockKeys[index]?.push(...keys);
      for (const key of keys) {
        const list = blocks.get(key);
        if (list) list.push(index);
        else blocks.set(key, [index]);
      }
    });
    for (const block of blocks.values()) {
      for (let i = 0; i < block.length; i++) {
        for (let j = i + 1; j < block.length; j++) {
          const a = block[i] as number;
          const b = block[j] as number;
          if (find(a) === find(b)) continue;
          const score = scorePair(records[a] as PreparedRecord, records[b] as PreparedRecord, rule).score;
          if (score >= rule.minScore) union(a, b);
        }
      }
    }
  }

  const byRoot = new Map<number, number[]>();
  for (let index = 0; index < records.length; index++) {
    const root = find(index);
    const list = byRoot.get(root);
    if (list) list.push(index);
    else byRoot.set(root, [index]);
  }
  return { components: [...byRoot.values()], hubs, blockKeys };
}
