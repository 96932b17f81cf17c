/**
 * The event counts (by UTC day and kind) of the latest commits this process wrote, held in memory.
 * The overview's trend asks, at each refresh, for the counts of the commits since its last look:
 * answered from here, the event file is not read and parsed again during a steady ingest. A question
 * reaching back before the commits held is not answered (undefined), and the store reads the file.
 */
import { type EventCount, EventCounter } from '../../core/resolve/event-counts.js';
import type { ProfileEvent } from '../../core/resolve/events.js';

/** Commits whose counts are held: a few hours of one-record ingest, a few hundred KB. */
const HELD_COMMITS = 10_000;

export class RecentEventCounts {
  private readonly byCommit = new Map<number, readonly EventCount[]>();
  /** Every commit after this one, up to the last one written, has its counts here. */
  private heldAfter: number;

  /** `lastCommit`: the store's last commit when opened (its events are in the file only). */
  constructor(
    lastCommit: number,
    private readonly limit = HELD_COMMITS,
  ) {
    this.heldAfter = lastCommit;
  }

  /** A commit written, with its events (none is fine): commits come one after another. */
  add(commit: number, events: readonly Pick<ProfileEvent, 'kind' | 'at'>[]): void {
    const counter = new EventCounter();
    for (const event of events) counter.add(event);
    this.byCommit.set(commit, counter.list());
    if (this.byCommit.size > this.limit) {
      const [oldest] = this.byCommit.keys() as IterableIterator<number>;
      this.byCommit.delete(oldest as number);
      this.heldAfter = oldest as number;
    }
  }

  /** The counts of commits after `afterCommit` up to `upTo`, or undefined when some are not held. */
  counts(afterCommit: number, upTo: number): EventCount[] | undefined {
    if (afterCommit < this.heldAfter) return undefined;
    const counter = new EventCounter();
    for (const [commit, counts] of this.byCommit) {
      if (commit > afterCommit && commit <= upTo) counter.addCounts(counts);
    }
    return counter.list();
  }
}
