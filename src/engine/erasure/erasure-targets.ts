/**
 * Who a privacy request names: profiles by ID (merged-away IDs followed), or by identifiers the
 * person gave. An identifier several profiles hold (a household phone) names nobody for sure, so
 * it is refused rather than erasing somebody else: the request must then give profile IDs.
 */
import type { GraphReads } from '../../store/graph-store.js';
import { EngineError } from '../engine-error.js';

export interface ErasureTarget {
  readonly profileId: string;
  readonly records: number;
}

export async function erasureTargets(
  store: Pick<GraphReads, 'findProfile' | 'holdersOf' | 'profileIdsOf' | 'getProfiles'>,
  profileIds: readonly string[],
  identifiers: readonly { readonly label: string; readonly key: string }[],
): Promise<ErasureTarget[]> {
  const targets = new Map<string, number>();
  for (const id of profileIds) {
    const found = await store.findProfile(id);
    if (!found) throw new EngineError('PROFILE_NOT_FOUND', `no profile ${id}`);
    targets.set(found.profile.id, found.profile.records.length);
  }
  const holders = await store.holdersOf(identifiers.map((identifier) => identifier.key));
  for (const identifier of identifiers) {
    const refs = holders.get(identifier.key) ?? [];
    const profiles = new Set((await store.profileIdsOf(refs)).values());
    if (profiles.size === 0) throw new EngineError('PROFILE_NOT_FOUND', `no profile holds ${identifier.label}`);
    if (profiles.size > 1) {
      throw new EngineError(
        'AMBIGUOUS_IDENTIFIER',
        `${identifier.label} is held by ${profiles.size} profiles (a shared value): name the profile IDs to erase instead`,
      );
    }
    const [profileId] = profiles;
    const profile = (await store.getProfiles([profileId as string])).get(profileId as string);
    targets.set(profileId as string, profile?.records.length ?? 0);
  }
  return [...targets].map(([profileId, records]) => ({ profileId, records }));
}
