/**
 * Merges, splits and manual decisions per day, counted from the event log: the trend a data
 * steward watches after a rules change or a new source (a jump in merges is the first sign of
 * over-merging, a jump in splits of a shared value being detected). Kept as running counts: the
 * store counts the whole log once, then the events of each later commit (overview-tally.ts asks
 * for each commit's counts once).
 */
import type { EventCount } from '../../core/resolve/event-counts.js';
import type { EventKind } from '../../core/resolve/events.js';

export interface TrendDay {
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly created: number;
  /** New records that joined an existing profile. */
  readonly recordsAdded: number;
  /** Existing profiles merged into one. */
  readonly merges: number;
  readonly splits: number;
  readonly decisions: number;
}

export const COUNTED_KINDS: Partial<Record<EventKind, keyof Omit<TrendDay, 'day'>>> = {
  profile_created: 'created',
  records_added: 'recordsAdded',
  merge: 'merges',
  split: 'splits',
  decision_recorded: 'decisions',
};

type Counts = { -readonly [K in keyof Omit<TrendDay, 'day'>]: number };

export class TrendTally {
  private readonly days = new Map<string, Counts>();

  /** Adds events counted by day and kind (GraphReads.eventCounts); kinds the trend does not show are left out. */
  addCounts(counts: readonly EventCount[]): void {
    for (const { day, kind, count } of counts) {
      const counted = COUNTED_KINDS[kind];
      if (!counted) continue;
      let days = this.days.get(day);
      if (!days) {
        days = { created: 0, recordsAdded: 0, merges: 0, splits: 0, decisions: 0 };
        this.days.set(day, days);
      }
      days[counted] += count;
    }
  }

  /** Days that have at least one counted event, oldest first. */
  trend(): TrendDay[] {
    return [...this.days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, counts]) => ({ day, ...counts }));
  }
}
