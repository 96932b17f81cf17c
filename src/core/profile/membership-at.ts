/**
 * A profile as it was at a past time, rebuilt from history alone: creations and additions bring
 * records in, a merge brings in what the absorbed profiles held at that moment, a split sends its
 * `parts` to the profiles that took them. Events are ordered by commit and their place in it (their
 * IDs say both), so events of one commit (splits before merges) apply in the order they happened.
 */
import type { ProfileEvent } from '../resolve/events.js';
import type { RecordRef } from '../resolve/types.js';

export interface MembershipAt {
  /** Whether the profile had come into being by then. */
  readonly existed: boolean;
  /** Set when, by then, the profile had been merged into another. */
  readonly mergedInto?: string;
  readonly records: readonly RecordRef[];
  /** Its events up to then, oldest first. */
  readonly events: readonly ProfileEvent[];
}

/** Events of each profile of a lineage (see `lineageIds`), as the store returns them. */
export type EventsByProfile = ReadonlyMap<string, readonly ProfileEvent[]>;

/** `e<commit>-<n>` -> a number that sorts events in the order they were written. */
export function eventOrder(id: string): number {
  const match = /^e(\d+)-(\d+)$/.exec(id);
  if (!match) return Number.POSITIVE_INFINITY;
  return Number(match[1]) * 1_000_000 + Number(match[2]);
}

export function membershipAt(profileId: string, at: string, events: EventsByProfile): MembershipAt {
  const cutoff = Date.parse(at);
  const memo = new Map<string, Set<RecordRef>>();
  const upTo = (id: string, before: number) =>
    (events.get(id) ?? [])
      .filter((event) => Date.parse(event.at) <= cutoff && eventOrder(event.id) < before)
      .sort((x, y) => eventOrder(x.id) - eventOrder(y.id));

  // The records `id` held just before the event at position `before`.
  const held = (id: string, before: number): Set<RecordRef> => {
    const key = `${id}@${before}`;
    const known = memo.get(key);
    if (known) return known;
    const records = new Set<RecordRef>();
    for (const event of upTo(id, before)) {
      if (event.kind === 'profile_created' || event.kind === 'records_added') {
        if (event.after.includes(id)) for (const ref of event.records) records.add(ref);
      } else if (event.kind === 'merge') {
        if (event.after[0] === id) {
          for (const absorbed of event.before) {
            if (absorbed !== id) for (const ref of held(absorbed, eventOrder(event.id))) records.add(ref);
          }
        } else if (event.before.includes(id)) records.clear();
      } else if (event.kind === 'split') {
        if (event.before[0] === id) for (const ref of event.records) records.delete(ref);
        else for (const ref of takenInSplit(event, id)) records.add(ref);
      }
    }
    memo.set(key, records);
    return records;
  };

  const mine = upTo(profileId, Number.POSITIVE_INFINITY);
  const absorbedBy = [...mine].reverse().find((event) => event.kind === 'merge' && event.after[0] !== profileId);
  const records = [...held(profileId, Number.POSITIVE_INFINITY)].sort();
  return {
    existed: mine.length > 0,
    ...(absorbedBy ? { mergedInto: absorbedBy.after[0] as string } : {}),
    records,
    events: mine,
  };
}

/** The profiles whose past holdings a profile's own events refer to: those it absorbed. */
export function absorbedIds(profileId: string, events: readonly ProfileEvent[], at: string): string[] {
  const cutoff = Date.parse(at);
  return events
    .filter((event) => event.kind === 'merge' && event.after[0] === profileId && Date.parse(event.at) <= cutoff)
    .flatMap((event) => event.before.filter((id) => id !== profileId));
}

function takenInSplit(event: ProfileEvent, id: string): readonly RecordRef[] {
  return event.parts?.[id] ?? [];
}
