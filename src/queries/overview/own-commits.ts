/**
 * The commits this process wrote, tallied as they were written, until the overview's next refresh
 * folds them in (overview-tally.ts tells why they need not be read back, and when they must be).
 */
import { type EventCount, EventCounter } from '../../core/resolve/event-counts.js';
import type { CommittedChange } from '../../engine/engine.js';
import type { OverviewTotals } from './overview-totals.js';
import { type ProfileTally, tallyProfile } from './profile-tally.js';
import type { TrendTally } from './trend-tally.js';

/**
 * Profiles held at most, waiting to be folded in: past it (no refresh for a long while) they are let
 * go, and the next refresh reads those commits' profiles instead.
 */
const MAX_HELD_PROFILES = 200_000;

/** What a commit tells of itself that the overview counts. */
export type CommitToTally = Pick<CommittedChange, 'commit' | 'rulesVersion' | 'events' | 'scope'>;

/** One commit, tallied as it was written. */
interface OwnCommit {
  readonly commit: number;
  readonly rulesVersion: string;
  readonly profiles: readonly (readonly [id: string, tally: ProfileTally])[];
  readonly retired: readonly string[];
  readonly events: readonly EventCount[];
}

export class OwnCommits {
  /** In commit order. */
  private held: OwnCommit[] = [];

  /**
   * Holds a commit's tallies, made under these rules from what it resolved. A commit of the whole
   * graph (new rules) is cheaper to count afresh than to hold, and is not held.
   */
  hold(change: CommitToTally, rules: { readonly version: string; readonly personal: readonly string[] }): void {
    const { profiles, records, retired } = change.scope;
    if (change.rulesVersion !== rules.version || profiles.length > MAX_HELD_PROFILES) return;
    const tallies: [string, ProfileTally][] = [];
    for (const profile of profiles) {
      const held = profile.records.flatMap((ref) => records.get(ref) ?? []);
      // A commit resolves every record of the profiles it leaves; were one missing, the gap this
      // commit leaves makes the next refresh read its profiles instead.
      if (held.length < profile.records.length) return;
      tallies.push([profile.id, tallyProfile(profile, held, rules.personal)]);
    }
    const events = new EventCounter();
    for (const event of change.events) events.add(event);
    this.held.push({
      commit: change.commit,
      rulesVersion: change.rulesVersion,
      profiles: tallies,
      retired,
      events: events.list(),
    });
    if (this.held.reduce((sum, own) => sum + own.profiles.length, 0) > MAX_HELD_PROFILES) this.held = [];
  }

  /**
   * Folds into `totals` and `trend` the commits that follow on from `after`, in order, as long as each
   * was made under `rulesVersion`, and lets go of those up to `after`, which the figures reflect
   * already. Returns the last commit the figures then reflect.
   */
  foldAfter(after: number, rulesVersion: string, totals: OverviewTotals, trend: TrendTally): number {
    let commit = after;
    let next = 0;
    for (; next < this.held.length; next++) {
      const own = this.held[next] as OwnCommit;
      if (own.commit <= commit) continue;
      if (own.commit !== commit + 1 || own.rulesVersion !== rulesVersion) break;
      for (const id of own.retired) totals.drop(id);
      for (const [id, tally] of own.profiles) totals.put(id, tally);
      trend.addCounts(own.events);
      commit = own.commit;
    }
    this.held = this.held.slice(next);
    return commit;
  }
}
