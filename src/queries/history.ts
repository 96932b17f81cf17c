/** A profile's history: its events, oldest first, and where the ID lives now. */
import type { ProfileEvent } from '../core/resolve/events.js';
import type { GraphReads } from '../store/graph-store.js';
import { QueryError } from './query-error.js';

export interface ProfileHistory {
  readonly profileId: string;
  /**
   * The live profile the ID answers with now: itself, the profile it was merged into, or null when
   * it is gone (its records were all removed or erased; its history remains).
   */
  readonly currentProfile: string | null;
  readonly events: readonly ProfileEvent[];
}

/** The events of a profile ID; an ID that never had any and names no profile is NOT_FOUND. */
export async function profileHistory(
  store: Pick<GraphReads, 'findProfile' | 'eventsOf'>,
  id: string,
): Promise<ProfileHistory> {
  const [found, events] = await Promise.all([store.findProfile(id), store.eventsOf(id)]);
  if (!found && events.length === 0) throw new QueryError('NOT_FOUND', `no profile ${id}`);
  return { profileId: id, currentProfile: found?.profile.id ?? null, events };
}
