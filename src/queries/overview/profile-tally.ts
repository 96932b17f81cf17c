/**
 * What one profile adds to the overview's figures. The overview keeps one of these per live
 * profile, so a commit's changes are taken back and re-added profile by profile instead of
 * re-reading the whole graph.
 */
import { identifierKey, type PreparedRecord } from '../../core/resolve/types.js';
import type { StoredProfile } from '../../store/graph-store.js';
import { conflictsOf } from '../conflicting-profiles.js';

export interface ProfileTally {
  readonly records: number;
  /** The rule of each edge that holds the profile together (merges per rule). */
  readonly edgeRules: readonly string[];
  /** Distinct identifier matching keys its records hold, as `identifierKey` writes them (type first). */
  readonly identifierKeys: readonly string[];
  /** Personal attributes holding more than one value, with how many; absent when none do. */
  readonly conflicts?: Readonly<Record<string, number>>;
}

export function tallyProfile(
  profile: Pick<StoredProfile, 'records' | 'edges'>,
  records: readonly PreparedRecord[],
  personalAttributes: readonly string[],
): ProfileTally {
  const keys = new Set<string>();
  for (const record of records) {
    for (const identifier of record.identifiers) keys.add(identifierKey(identifier.type, identifier.key));
  }
  const conflicts = records.length > 1 ? conflictsOf(records, personalAttributes) : {};
  return {
    records: profile.records.length,
    edgeRules: profile.edges.map((edge) => edge.rule),
    identifierKeys: [...keys],
    ...(Object.keys(conflicts).length > 0 ? { conflicts } : {}),
  };
}
