/**
 * The profile an ID named at a past time: its lineage's events are read from the store and the
 * pure core rebuilds who held what (membership-at.ts). An ID that had been merged away by then is
 * followed to the profile it was merged into, as it was at that time.
 */
import { absorbedIds, type MembershipAt, membershipAt } from '../core/profile/membership-at.js';
import type { ProfileEvent } from '../core/resolve/events.js';
import type { GraphReads } from '../store/graph-store.js';

export interface ProfileAt extends MembershipAt {
  readonly profileId: string;
  /** Set when the ID asked for had been merged into `profileId` by then. */
  readonly mergedFrom?: string;
}

/** Merge chains longer than this are a corrupt history, not a real one. */
const MAX_HOPS = 1_000;

export async function profileAt(
  store: Pick<GraphReads, 'eventsOf'>,
  id: string,
  at: string,
): Promise<ProfileAt | undefined> {
  let current = id;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const view = membershipAt(current, at, await lineageEvents(store, current, at));
    if (!view.existed) return undefined;
    if (!view.mergedInto) return { profileId: current, ...(current !== id ? { mergedFrom: id } : {}), ...view };
    current = view.mergedInto;
  }
  return undefined;
}

/** Events of a profile and of every profile it had absorbed by `at`, transitively. */
async function lineageEvents(
  store: Pick<GraphReads, 'eventsOf'>,
  id: string,
  at: string,
): Promise<Map<string, ProfileEvent[]>> {
  const events = new Map<string, ProfileEvent[]>();
  const queue = [id];
  while (queue.length > 0) {
    const next = queue.pop() as string;
    if (events.has(next)) continue;
    const own = await store.eventsOf(next);
    events.set(next, own);
    queue.push(...absorbedIds(next, own, at));
  }
  return events;
}
