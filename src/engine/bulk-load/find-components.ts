/**
 * The connected components of a first load (bulk-load.ts): the groups of records that evidence
 * could join, each resolved on its own afterwards. Works on packed records, so the million records
 * of a large load stay strings until their component is resolved.
 */

import { type PackedRecord, unpackRecord } from '../../codec/packed-record.js';
import { fnv1a32 } from '../../core/fnv1a.js';
import { fuzzyRulesOf } from '../../core/resolve/blocking.js';
import {
  type CompareKeys,
  compareKeysOf,
  lowestScoreOfInterest,
  reachesMinScore,
} from '../../core/resolve/fuzzy-score.js';
import { HUB_HOLDERS } from '../../core/resolve/shared-values.js';
import type { TermFrequencies } from '../../core/resolve/term-frequencies.js';
import type { RecordRef } from '../../core/resolve/types.js';
import { sortByKey } from '../../core/sort-by-key.js';
import type { LoadedRules } from '../rules/loaded-rules.js';

/** Last one wins when a (source, key) appears twice, as in incremental ingest. */
export function dedupe(records: readonly PackedRecord[]): PackedRecord[] {
  if (!hasRepeatedRef(records)) return [...records];
  const byRef = new Map<RecordRef, PackedRecord>();
  for (const record of records) byRef.set(record.ref, record);
  return [...byRef.values()];
}

/**
 * Whether a ref appears twice. A repeat is rare (a source sending a row again), so the refs'
 * hashes are sorted and only refs with equal hashes compared: for a million records about a
 * third of the time a map of every ref takes.
 */
function hasRepeatedRef(records: readonly PackedRecord[]): boolean {
  const hashes = new Uint32Array(records.length);
  const indexes = new Int32Array(records.length);
  for (let index = 0; index < records.length; index++) {
    hashes[index] = fnv1a32((records[index] as PackedRecord).ref);
    indexes[index] = index;
  }
  const sorted = sortByKey(hashes, indexes);
  for (let first = 0; first < records.length; ) {
    let end = first + 1;
    while (end < records.length && sorted.keys[end] === sorted.keys[first]) end++;
    if (end - first > 1) {
      const refs = new Set<RecordRef>();
      for (let at = first; at < end; at++) refs.add((records[sorted.values[at] as number] as PackedRecord).ref);
      if (refs.size < end - first) return true;
    }
    first = end;
  }
  return false;
}

/** Records in component order: `order[start[c]] .. order[start[c + 1] - 1]` are component c. */
export interface Components {
  readonly order: Int32Array;
  readonly start: Int32Array;
  readonly count: number;
}

/**
 * Connected components over the evidence resolution could use: identifier values that are not
 * hubs, and fuzzy candidate pairs that reach the rule's minimum score, or its review band (a pair in
 * the band is a review item, which resolving the component finds). Candidates come from the
 * blocking-key hashes, so a pair may be scored under a fuzzy rule whose block it does not share
 * (another rule's key, or a hash collision); that can only join components, never split them, and
 * resolving a component decides again which of its records go together.
 */
export function findComponents(
  records: readonly PackedRecord[],
  rules: LoadedRules,
  frequencies: TermFrequencies,
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
  // first holder of each key, then join the others to it. The first pass notes each key's slot in
  // order, so the second reads them back instead of looking every key up again.
  const slotOf = new Map<string, number>();
  const firstHolder: number[] = [];
  const holderCount: number[] = [];
  let keyCount = 0;
  for (const record of records) keyCount += record.identifierKeys.length;
  const slots = new Int32Array(keyCount);
  let at = 0;
  for (let index = 0; index < records.length; index++) {
    for (const key of (records[index] as PackedRecord).identifierKeys) {
      let slot = slotOf.get(key);
      if (slot === undefined) {
        slot = firstHolder.length;
        slotOf.set(key, slot);
        firstHolder.push(index);
        holderCount.push(1);
      } else holderCount[slot] = (holderCount[slot] as number) + 1;
      slots[at++] = slot;
    }
  }
  const hubs = new Set<string>();
  for (const [key, slot] of slotOf) if ((holderCount[slot] as number) > HUB_HOLDERS) hubs.add(key);
  slotOf.clear();
  at = 0;
  for (let index = 0; index < records.length; index++) {
    const keys = (records[index] as PackedRecord).identifierKeys.length;
    for (let end = at + keys; at < end; at++) {
      const slot = slots[at] as number;
      if ((holderCount[slot] as number) <= HUB_HOLDERS) union(firstHolder[slot] as number, index);
    }
  }

  const fuzzy = fuzzyRulesOf(rules.compiled);
  const floors = fuzzy.map(lowestScoreOfInterest);
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
      // Read once per block, and only when a pair in it still needs scoring.
      const read: (CompareKeys[] | undefined)[] = new Array(members.length);
      const keysOf = (member: number) => {
        let found = read[member];
        if (!found) {
          const record = unpackRecord(records[members[member] as number] as PackedRecord);
          found = fuzzy.map((rule) => compareKeysOf(record, rule));
          read[member] = found;
        }
        return found as CompareKeys[];
      };
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          const a = members[i] as number;
          const b = members[j] as number;
          if (find(a) === find(b)) continue;
          const left = keysOf(i);
          const right = keysOf(j);
          const reaches = (rule: (typeof fuzzy)[number], r: number) =>
            reachesMinScore(left[r] as CompareKeys, right[r] as CompareKeys, rule, frequencies, floors[r]);
          if (fuzzy.some(reaches)) {
            union(a, b);
          }
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
