/** Small pure steps of a commit: staging records with their blocking keys, telling what changed. */
import { fuzzyRulesOf, recordBlockingKeys } from '../../core/resolve/blocking.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { identifierKey } from '../../core/resolve/types.js';
import type { StagedRecord } from '../../store/graph-store.js';
import type { LoadedRules } from '../rules/loaded-rules.js';
import type { CommitPlan } from './plan-commit.js';

export function stage(records: readonly PreparedRecord[], rules: LoadedRules): Map<RecordRef, StagedRecord> {
  const fuzzy = fuzzyRulesOf(rules.compiled);
  return new Map(records.map((record) => [record.ref, { record, blockKeys: recordBlockingKeys(record, fuzzy) }]));
}

/** What one commit did, as the engine reports it to callers. */
export interface CommitSummary {
  readonly commit: number | undefined;
  readonly profilesCreated: number;
  readonly merges: number;
  readonly splits: number;
}

/** What an operation that changed nothing reports: no commit was written. */
export const NO_COMMIT: CommitSummary = { commit: undefined, profilesCreated: 0, merges: 0, splits: 0 };

export function summarize(commit: number, plan: CommitPlan): CommitSummary {
  let profilesCreated = 0;
  let merges = 0;
  let splits = 0;
  for (const event of plan.events) {
    if (event.kind === 'profile_created') profilesCreated++;
    else if (event.kind === 'merge') merges++;
    else if (event.kind === 'split') splits++;
  }
  return { commit, profilesCreated, merges, splits };
}

export function sameRecord(before: PreparedRecord | undefined, after: PreparedRecord): boolean {
  return before !== undefined && JSON.stringify(before) === JSON.stringify(after);
}

export function removedIdentifiers(before: PreparedRecord | undefined, after: PreparedRecord): string[] {
  if (!before) return [];
  const kept = new Set(after.identifiers.map((identifier) => identifierKey(identifier.type, identifier.key)));
  return before.identifiers
    .map((identifier) => identifierKey(identifier.type, identifier.key))
    .filter((key) => !kept.has(key));
}
