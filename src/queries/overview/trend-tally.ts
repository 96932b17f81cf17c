/**
 * Merges, splits and manual decisions per day, counted from the event log: the trend a data
 * steward watches after a rules change or a new source (a jump in merges is the first sign of
 * over-merging, a jump in splits of a shared value being detected). Kept as running counts: the
 * whole log is counted once, then the events of each later commit are added (overview-tally.ts
 * reads each once).
 */
import type { ProfileEvent } from '../../core/resolve/events.js';

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

export const COUNTED_KINDS: Partial<Record<ProfileEvent['kind'], keyof Omit<TrendDay, 'day'>>> = {
  profile_created: 'created',
  records_added: 'recordsAdded',
  merge: 'merges',
  split: 'splits',
  decision_recorded: 'decisions',
};

type Counts = { -readonly [K in keyof Omit<TrendDay, 'day'>]: number };

export class TrendTally {
  private readonly days = new Map<string, Counts>();

  add(event: Pick<ProfileEvent, 'kind' | 'at'>): void {
    const counted = COUNTED_KINDS[event.kind];
    if (!counted) return;
    const day = event.at.slice(0, 10);
    let counts = this.days.get(day);
    if (!counts) {
      counts = { created: 0, recordsAdded: 0, merges: 0, splits: 0, decisions: 0 };
      this.days.set(day, counts);
    }
    counts[counted]++;
  }

  /** Days that have at least one counted event, oldest first. */
  trend(): TrendDay[] {
    return [...this.days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, counts]) => ({ day, ...counts }));
  }
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
