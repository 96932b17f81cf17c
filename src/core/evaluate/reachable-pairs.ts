/**
 * Recall of reachable pairs: how many of the links clean identifiers make possible a rules file
 * actually makes.
 *
 * Definition. An identifier value (a normalized email, phone, device ID or cookie: a "key") is
 * clean when every record carrying it belongs to one person. Two records of one person form a
 * reachable pair when a chain of clean keys joins them: record a shares a clean key with some
 * record, which shares a clean key with another, ..., which shares one with record b. Keys used by
 * two or more people (a household landline, a family tablet, info@, placeholders) are not links in
 * any chain. Reachable-pair recall is the share of reachable pairs whose two records end in one
 * predicted profile. Pairs no clean chain joins (a nameless web session whose cookie nothing else
 * carries) are left out: no rules file could be blamed for missing them.
 *
 * Pure: the caller supplies each record's person (truth), keys and traits, and the predicted
 * profiles; counting works on group sizes, so a million records cost a few passes.
 */

export interface LabelledRecord {
  readonly ref: string;
  readonly person: string;
  /** Normalized identifier values, e.g. `email:alice@example.com`. */
  readonly keys: readonly string[];
  /** Traps the record carries (six-sources synth: nameless_phone, one_field_name, ...). */
  readonly traits?: readonly string[];
}

/** Records joined by chains of clean keys: each group is one person's, sizes >= 2 only. */
export function reachableGroups(records: readonly LabelledRecord[]): number[][] {
  const personOfKey = new Map<string, string | null>();
  for (const record of records) {
    for (const key of record.keys) {
      const seen = personOfKey.get(key);
      if (seen === undefined) personOfKey.set(key, record.person);
      else if (seen !== null && seen !== record.person) personOfKey.set(key, null);
    }
  }
  const parent = records.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[index] !== root) {
      const next = parent[index] as number;
      parent[index] = root;
      index = next;
    }
    return root;
  };
  const firstHolder = new Map<string, number>();
  records.forEach((record, index) => {
    for (const key of record.keys) {
      if (personOfKey.get(key) === null) continue;
      const holder = firstHolder.get(key);
      if (holder === undefined) firstHolder.set(key, index);
      else parent[find(index)] = find(holder);
    }
  });
  const groups = new Map<number, number[]>();
  records.forEach((_, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(index);
    else groups.set(root, [index]);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}

export interface ReachableScore {
  readonly reachablePairs: number;
  readonly linkedPairs: number;
  /** linkedPairs / reachablePairs (1 when nothing is reachable). */
  readonly recall: number;
  /**
   * Missed reachable pairs by the trait that separates them: for each pair of predicted parts of a
   * group, the first trait in `traitOrder` carried by a record of the smaller part (the part that
   * was cut off), else `other`.
   */
  readonly missedByTrait: Readonly<Record<string, number>>;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

export function scoreReachable(
  records: readonly LabelledRecord[],
  groups: readonly (readonly number[])[],
  /** Record ref -> predicted profile; a record missing here counts as a profile of its own. */
  predicted: ReadonlyMap<string, string>,
  traitOrder: readonly string[] = [],
): ReachableScore {
  let reachablePairs = 0;
  let linkedPairs = 0;
  const missedByTrait: Record<string, number> = {};
  for (const group of groups) {
    reachablePairs += pairs(group.length);
    const parts = new Map<string, number[]>();
    for (const index of group) {
      const record = records[index] as LabelledRecord;
      const profile = predicted.get(record.ref) ?? `\u0000${record.ref}`;
      const part = parts.get(profile);
      if (part) part.push(index);
      else parts.set(profile, [index]);
    }
    const split = [...parts.values()];
    for (const part of split) linkedPairs += pairs(part.length);
    if (split.length === 1) continue;
    for (let i = 0; i < split.length; i++) {
      for (let j = i + 1; j < split.length; j++) {
        const a = split[i] as number[];
        const b = split[j] as number[];
        const cutOff = a.length <= b.length ? a : b;
        const trait = separatingTrait(records, cutOff, traitOrder);
        missedByTrait[trait] = (missedByTrait[trait] ?? 0) + a.length * b.length;
      }
    }
  }
  return {
    reachablePairs,
    linkedPairs,
    recall: reachablePairs === 0 ? 1 : linkedPairs / reachablePairs,
    missedByTrait,
  };
}

function separatingTrait(
  records: readonly LabelledRecord[],
  part: readonly number[],
  order: readonly string[],
): string {
  for (const trait of order) {
    if (part.some((index) => records[index]?.traits?.includes(trait))) return trait;
  }
  return 'other';
}
