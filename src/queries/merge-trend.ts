/**
 * Merges, splits and manual decisions per day, counted from the event log: the trend a data
 * steward watches after a rules change or a new source (a jump in merges is the first sign of
 * over-merging, a jump in splits of a shared value being detected).
 */
import type { ProfileEvent } from '../core/resolve/events.js';
import type { GraphReads } from '../store/graph-store.js';

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

type Counts = { created: number; recordsAdded: number; merges: number; splits: number; decisions: number };

const COUNTED: Partial<Record<ProfileEvent['kind'], keyof Counts>> = {
  profile_created: 'created',
  records_added: 'recordsAdded',
  merge: 'merges',
  split: 'splits',
  decision_recorded: 'decisions',
};

/** Days that have at least one counted event, oldest first. */
export async function mergeTrend(events: AsyncIterable<Pick<ProfileEvent, 'kind' | 'at'>>): Promise<TrendDay[]> {
  const days = new Map<string, Counts>();
  for await (const event of events) {
    const counted = COUNTED[event.kind];
    if (!counted) continue;
    const day = event.at.slice(0, 10);
    let counts = days.get(day);
    if (!counts) {
      counts = { created: 0, recordsAdded: 0, merges: 0, splits: 0, decisions: 0 };
      days.set(day, counts);
    }
    counts[counted]++;
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, counts]) => ({ day, ...counts }));
}

export function storeMergeTrend(store: GraphReads): Promise<TrendDay[]> {
  return mergeTrend(store.allEvents());
}
