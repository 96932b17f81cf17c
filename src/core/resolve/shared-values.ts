/**
 * Shared identifier values: a family tablet, a household landline, a role mailbox. A value held by
 * records of `shared_after` or more distinct people stops being merge evidence.
 *
 * People are counted from the holders alone (so the verdict is a pure function of who holds the
 * value, and the same whatever order records arrived in): holders are placed, in priority order,
 * into the first group they do not contradict on a `distinct_people_by` or never-merge field. Person
 * names that are close (Jaro-Winkler >= 0.88: Jon/John, a typo) do not count as a contradiction.
 */
import { jaroWinkler } from '../similarity/jaro-winkler.js';
import { type CompiledRules, fieldKeys } from './compiled-rules.js';
import { compareRecords } from './resolve-records.js';
import type { PreparedRecord } from './types.js';

const SAME_NAME_SIMILARITY = 0.88;

/**
 * Above this many holders a value is shared without counting: one identifier on thousands of records
 * is a placeholder the junk list missed, and counting would cost more than it tells.
 */
export const HUB_HOLDERS = 1000;

export function countPeople(holders: readonly PreparedRecord[], rules: CompiledRules, stopAt: number): number {
  const fields = [...new Set([...rules.distinctPeopleBy, ...rules.conflictFields])];
  const groups: Map<string, string[]>[] = [];
  for (const record of [...holders].sort(compareRecords)) {
    const own = new Map<string, readonly string[]>();
    for (const field of fields) {
      const keys = fieldKeys(record, field);
      if (keys.length > 0) own.set(field, keys);
    }
    const group = groups.find((candidate) => compatible(candidate, own, rules));
    if (group) {
      for (const [field, keys] of own) {
        const known = group.get(field);
        if (known) known.push(...keys.filter((key) => !known.includes(key)));
        else group.set(field, [...keys]);
      }
    } else {
      groups.push(new Map([...own].map(([field, keys]) => [field, [...keys]])));
      if (groups.length >= stopAt) return groups.length;
    }
  }
  return groups.length;
}

function compatible(
  group: Map<string, string[]>,
  record: Map<string, readonly string[]>,
  rules: CompiledRules,
): boolean {
  for (const [field, keys] of record) {
    const known = group.get(field);
    if (!known) continue;
    const fuzzy = rules.personNameFields.has(field);
    const agrees = keys.some((key) =>
      known.some((other) => other === key || (fuzzy && jaroWinkler(other, key) >= SAME_NAME_SIMILARITY)),
    );
    if (!agrees) return false;
  }
  return true;
}

/** Whether a value of `type` held by these records is shared. */
export function isSharedValue(type: string, holders: readonly PreparedRecord[], rules: CompiledRules): boolean {
  const threshold = rules.sharedAfter.get(type);
  if (threshold === undefined) return holders.length > HUB_HOLDERS;
  if (holders.length < threshold) return false;
  if (holders.length > HUB_HOLDERS) return true;
  return countPeople(holders, rules, threshold) >= threshold;
}
