/**
 * The commits a process holds for the overview until a refresh folds them in: in order from the
 * figures' last commit, none across a gap, and none past a bound on what they hold (a refresh then
 * reads instead).
 */
import { describe, expect, it } from 'vitest';
import type { ProfileEvent } from '../../../src/core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../../src/core/resolve/types.js';
import { OverviewTotals } from '../../../src/queries/overview/overview-totals.js';
import { type CommitToTally, OwnCommits } from '../../../src/queries/overview/own-commits.js';
import { TrendTally } from '../../../src/queries/overview/trend-tally.js';
import { record } from '../../support/records.js';

const RULES = { version: 'v1', personal: ['first_name'] };

/** A commit of `people` new one-record profiles, numbered from `first`. */
function commitOf(commit: number, people: number, first = 0): CommitToTally {
  const records = new Map<RecordRef, PreparedRecord>();
  const profiles = Array.from({ length: people }, (_, n) => {
    const ref = `crm:c${first + n}`;
    records.set(ref, record(ref, [`email=p${first + n}@x.co`]));
    return { id: `p${first + n}`, seq: first + n, records: [ref], edges: [] };
  });
  const events: ProfileEvent[] = profiles.map((profile, n) => ({
    id: `e${commit}-${n + 1}`,
    kind: 'profile_created',
    at: '2026-12-07T10:00:00.000Z',
    actor: 'engine',
    rulesVersion: 'v1',
    before: [],
    after: [profile.id],
    records: profile.records,
    evidence: [],
  }));
  return {
    commit,
    rulesVersion: 'v1',
    events,
    scope: { profiles, records, retired: [] },
  };
}

function fold(own: OwnCommits, after: number) {
  const totals = new OverviewTotals(RULES.personal);
  const trend = new TrendTally();
  const last = own.foldAfter(after, RULES.version, totals, trend);
  return { last, profiles: totals.size, created: trend.trend().reduce((sum, day) => sum + day.created, 0) };
}

describe('OwnCommits', () => {
  it('folds the commits that follow on from the figures, and stops at a gap or other rules', () => {
    const own = new OwnCommits();
    own.hold(commitOf(3, 2, 0), RULES);
    own.hold(commitOf(4, 3, 2), RULES);
    own.hold({ ...commitOf(6, 1, 5) }, RULES);
    // Commit 5 was another process's: 6 waits for a refresh that reads across 5.
    expect(fold(own, 2)).toEqual({ last: 4, profiles: 5, created: 5 });
    // Those the figures reflect are let go; 6 folds once the figures reach 5.
    expect(fold(own, 5)).toEqual({ last: 6, profiles: 1, created: 1 });
    expect(fold(own, 6)).toEqual({ last: 6, profiles: 0, created: 0 });

    own.hold({ ...commitOf(7, 1, 6), rulesVersion: 'v2' }, RULES);
    expect(fold(own, 6).last).toBe(6);
  });

  it('holds no commit whose profile names a record it did not resolve, nor one of the whole graph', () => {
    const own = new OwnCommits();
    const missing = commitOf(1, 2);
    own.hold({ ...missing, scope: { ...missing.scope, records: new Map([...missing.scope.records].slice(1)) } }, RULES);
    expect(fold(own, 0).last).toBe(0);
    own.hold(commitOf(1, 200_001), RULES);
    expect(fold(own, 0).last).toBe(0);
  });

  it('lets go of everything it holds past 200,000 profiles, so that a refresh reads instead', () => {
    const own = new OwnCommits();
    own.hold(commitOf(1, 100_000, 0), RULES);
    own.hold(commitOf(2, 100_000, 100_000), RULES);
    expect(fold(own, 0).last).toBe(2);
    own.hold(commitOf(3, 100_000, 200_000), RULES);
    own.hold(commitOf(4, 100_001, 300_000), RULES);
    own.hold(commitOf(5, 1, 400_000), RULES);
    // 3 and 4 went over the bound and were let go; 5 is held but follows a gap.
    expect(fold(own, 2).last).toBe(2);
    expect(fold(own, 4)).toMatchObject({ last: 5, profiles: 1 });
  });
});
