/**
 * Over-merge suspects: profiles whose records disagree on a person's name or date of birth. One
 * person rarely has two birth dates; a profile that holds two is most likely two people joined by a
 * shared value. Only counts are reported, never the values themselves.
 */
import type { PreparedRecord } from '../core/resolve/types.js';
import type { RulesFile } from '../core/rules/schema.js';

/** Normalizers whose attributes name one person: two values in one profile are a conflict. */
const PERSONAL_NORMALIZERS = new Set(['person_name', 'date_of_birth']);

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
