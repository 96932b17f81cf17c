/**
 * The connected components of a first load (bulk-load.ts): the groups of records that evidence
 * could join, each resolved on its own afterwards. Works on packed records, so the million records
 * of a large load stay strings until their component is resolved.
 */
import { scorePair } from '../core/resolve/fuzzy-score.js';
import { type PackedRecord, unpackRecord } from '../core/resolve/packed-record.js';
import { HUB_HOLDERS } from '../core/resolve/shared-values.js';
import type { PreparedRecord, RecordRef } from '../core/resolve/types.js';
import type { LoadedRules } from './loaded-rules.js';

/** Last one wins when a (source, key) appears twice, as in incremental ingest. */
export function dedupe(records: readonly PackedRecord[]): PackedRecord[] {
  const byRef = new Map<RecordRef, PackedRecord>();
  for (const record of records) byRef.set(record.ref, record);
  return byRef.size === records.length ? [...records] : [...byRef.values()];
}

/** Records in component order: `order[start[c]] .. order[start[c + 1] - 1]` are component c. */
export interface Components {
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
export function findComponents(
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
