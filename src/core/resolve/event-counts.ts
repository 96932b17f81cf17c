/**
 * Events counted by UTC day and kind, for the trends of merges and splits a data steward watches.
 * A store that cannot count where the events lie (the embedded store) counts them here: as it
 * writes them, and as it reads its event file for commits it no longer holds counts of.
 */
import type { EventKind, ProfileEvent } from './events.js';

/** Events of one kind on one UTC day (YYYY-MM-DD). */
export interface EventCount {
  readonly day: string;
  readonly kind: EventKind;
  readonly count: number;
}

/**
 * The commit an event belongs to: every event ID is `e<commit>-<n>` (the engine numbers a commit's
 * events so, bulk loads and decisions included), so a commit's events can be told apart from later
 * ones without a field of their own.
 */
export function commitOfEvent(id: string): number {
  const match = /^e(\d+)-/.exec(id);
  return match ? Number(match[1]) : 0;
}

/** Running counts of events by day and kind. */
export class EventCounter {
  private readonly counts = new Map<string, { day: string; kind: EventKind; count: number }>();

  add(event: Pick<ProfileEvent, 'kind' | 'at'>): void {
    this.tally(event.at.slice(0, 10), event.kind, 1);
  }

  /** Counts made before, of other commits (each commit's events are counted once, then summed). */
  addCounts(counts: readonly EventCount[]): void {
    for (const { day, kind, count } of counts) this.tally(day, kind, count);
  }

  list(): EventCount[] {
    return [...this.counts.values()];
  }

  private tally(day: string, kind: EventKind, count: number): void {
    const key = `${day} ${kind}`;
    const known = this.counts.get(key);
    if (known) known.count += count;
    else this.counts.set(key, { day, kind, count });
  }
}
