/**
 * A profile with its golden record: as it is now (a merged-away ID answers with the profile it was
 * merged into), or as it was at an instant, rebuilt from its history (profile-at.ts). Identifiers
 * and attributes come from the current versions of its records either way.
 */
import { type GoldenRecord, goldenRecord } from '../core/profile/golden-record.js';
import type { MergeEdge, RecordRef } from '../core/resolve/types.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';
import { profileAt } from './profile-at.js';
import { QueryError } from './query-error.js';

export interface ProfileView extends GoldenRecord {
  readonly profileId: string;
  /** The ID asked for, when it had been merged into `profileId` (by `asOf`, when given). */
  readonly mergedFrom?: string;
  /** The instant the profile is shown as of, when one was asked for. */
  readonly asOf?: string;
  readonly records: readonly RecordRef[];
  /** The evidence holding the records together now (a spanning forest); absent as of an instant. */
  readonly evidence?: readonly MergeEdge[];
}

/** The profile an ID names, now or at `at` (an ISO 8601 instant); none is NOT_FOUND. */
export async function profileView(
  store: Pick<GraphReads, 'findProfile' | 'eventsOf' | 'getRecords'>,
  rules: Pick<LoadedRules, 'file'>,
  id: string,
  at?: string,
): Promise<ProfileView> {
  const found = at
    ? await profileAt(store, id, at)
    : await store.findProfile(id).then((lookup) =>
        lookup
          ? {
              profileId: lookup.profile.id,
              mergedFrom: lookup.redirectedFrom,
              records: lookup.profile.records,
              evidence: lookup.profile.edges,
            }
          : undefined,
      );
  if (!found) throw new QueryError('NOT_FOUND', at ? `no profile ${id} at ${at}` : `no profile ${id}`);
  const golden = goldenRecord([...(await store.getRecords(found.records)).values()], rules.file);
  return {
    profileId: found.profileId,
    ...(found.mergedFrom ? { mergedFrom: found.mergedFrom } : {}),
    ...(at ? { asOf: at } : {}),
    records: found.records,
    ...('evidence' in found ? { evidence: found.evidence } : {}),
    ...golden,
  };
}
