/**
 * The embedded store's counts of the commits it wrote last: summed over the commits asked for, and
 * no answer (so the store reads its file) for a question reaching back before the commits held.
 */
import { describe, expect, it } from 'vitest';
import type { EventCount } from '../../../src/core/resolve/event-counts.js';
import { RecentEventCounts } from '../../../src/store/embedded/recent-event-counts.js';

const created = (day: string) => ({ kind: 'profile_created' as const, at: `${day}T10:00:00.000Z` });
const merged = (day: string) => ({ kind: 'merge' as const, at: `${day}T23:59:59.999Z` });
const sorted = (counts: readonly EventCount[] | undefined) =>
  counts && [...counts].sort((a, b) => `${a.day}${a.kind}`.localeCompare(`${b.day}${b.kind}`));

describe('RecentEventCounts', () => {
  it('sums the counts of the commits after one and up to another, by day and kind', () => {
    const recent = new RecentEventCounts(10);
    recent.add(11, [created('2026-12-01'), created('2026-12-01'), merged('2026-12-01')]);
    recent.add(12, []);
    recent.add(13, [created('2026-12-02'), merged('2026-12-01')]);
    recent.add(14, [merged('2026-12-02')]);
    expect(sorted(recent.counts(10, 14))).toEqual([
      { day: '2026-12-01', kind: 'merge', count: 2 },
      { day: '2026-12-01', kind: 'profile_created', count: 2 },
      { day: '2026-12-02', kind: 'merge', count: 1 },
      { day: '2026-12-02', kind: 'profile_created', count: 1 },
    ]);
    expect(sorted(recent.counts(11, 13))).toEqual([
      { day: '2026-12-01', kind: 'merge', count: 1 },
      { day: '2026-12-02', kind: 'profile_created', count: 1 },
    ]);
    expect(recent.counts(14, 14)).toEqual([]);
  });

  it('does not answer for commits before it was made, nor for those it let go', () => {
    const recent = new RecentEventCounts(10, 3);
    expect(recent.counts(9, 10)).toBeUndefined();
    for (let commit = 11; commit <= 15; commit++) recent.add(commit, [created('2026-12-01')]);
    expect(recent.counts(11, 15)).toBeUndefined();
    expect(recent.counts(12, 15)).toEqual([{ day: '2026-12-01', kind: 'profile_created', count: 3 }]);
  });
});
