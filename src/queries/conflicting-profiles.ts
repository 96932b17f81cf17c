/**
 * Over-merge suspects: profiles whose records disagree on a person's name or date of birth. One
 * person rarely has two birth dates; a profile that holds two is most likely two people joined by a
 * shared value. Only counts are reported, never the values themselves.
 */
import type { PreparedRecord } from '../core/resolve/types.js';
import type { RulesFile } from '../core/rules/schema.js';
import type { GraphReads } from '../store/graph-store.js';

/** Normalizers whose attributes name one person: two values in one profile are a conflict. */
const PERSONAL_NORMALIZERS = new Set(['person_name', 'date_of_birth']);
const BATCH = 1_000;

export interface ConflictingProfile {
  readonly profileId: string;
  readonly records: number;
  /** Each conflicting attribute with how many distinct (normalized) values the profile holds. */
  readonly fields: Readonly<Record<string, number>>;
}

export interface ConflictSummary {
  /** Profiles with at least one conflicting attribute. */
  readonly profiles: number;
  /** Conflicting profiles per attribute. */
  readonly byField: Readonly<Record<string, number>>;
  /** The worst ones: most conflicting attributes, then most records. */
  readonly top: readonly ConflictingProfile[];
}

export function personalAttributes(rules: RulesFile): string[] {
  return Object.entries(rules.attributes)
    .filter(([, spec]) => PERSONAL_NORMALIZERS.has(spec.normalizer))
    .map(([name]) => name);
}

/** The attributes on which these records hold more than one value, with the number of values. */
export function conflictsOf(records: Iterable<PreparedRecord>, attributes: readonly string[]): Record<string, number> {
  const values = new Map<string, Set<string>>();
  for (const record of records) {
    for (const name of attributes) {
      const key = record.attributes[name]?.key;
      if (key === undefined) continue;
      let seen = values.get(name);
      if (!seen) {
        seen = new Set();
        values.set(name, seen);
      }
      seen.add(key);
    }
  }
  return Object.fromEntries([...values].filter(([, seen]) => seen.size > 1).map(([name, seen]) => [name, seen.size]));
}

export async function conflictingProfiles(store: GraphReads, rules: RulesFile, topN = 20): Promise<ConflictSummary> {
  const attributes = personalAttributes(rules);
  const byField: Record<string, number> = Object.fromEntries(attributes.map((name) => [name, 0]));
  const found: ConflictingProfile[] = [];
  let batch: { id: string; records: readonly string[] }[] = [];
  const flush = async () => {
    const records = await store.getRecords(batch.flatMap((profile) => profile.records));
    for (const profile of batch) {
      const held = profile.records.map((ref) => records.get(ref)).filter((r): r is PreparedRecord => r !== undefined);
      const fields = conflictsOf(held, attributes);
      if (Object.keys(fields).length === 0) continue;
      for (const name of Object.keys(fields)) byField[name] = (byField[name] ?? 0) + 1;
      found.push({ profileId: profile.id, records: profile.records.length, fields });
    }
    batch = [];
  };
  if (attributes.length > 0) {
    for await (const profile of store.profiles()) {
      if (profile.records.length < 2) continue;
      batch.push({ id: profile.id, records: profile.records });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }
  const weight = (profile: ConflictingProfile) => Object.keys(profile.fields).length;
  found.sort((a, b) => weight(b) - weight(a) || b.records - a.records || (a.profileId < b.profileId ? -1 : 1));
  return { profiles: found.length, byField, top: found.slice(0, topN) };
}
