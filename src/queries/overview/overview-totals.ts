/**
 * The overview's figures over every live profile, kept as running totals: a profile's tally is
 * added when it appears and taken back when it changes or goes, so after any sequence of `put`s
 * and `drop`s the figures equal those counted afresh over the profiles held.
 */
import { emptySizeDistribution, type GraphStats, sizeBucket } from '../../core/profile/graph-stats.js';
import type { ConflictingProfile, ConflictSummary } from '../conflicting-profiles.js';
import type { ProfileTally } from './profile-tally.js';

/** Distinct identifier values (by matching key, as the resolver sees them), in all and per type. */
export interface IdentifierCounts {
  readonly identifiers: number;
  readonly byType: Readonly<Record<string, number>>;
}

const LARGEST = 10;
const TOP_CONFLICTS = 20;

export class OverviewTotals {
  private readonly tallies = new Map<string, ProfileTally>();
  private records = 0;
  private readonly sizes = emptySizeDistribution();
  private readonly merges = new Map<string, number>();
  /** How many profiles hold each identifier key: a key shared by two profiles counts once. */
  private readonly holders = new Map<string, number>();
  private readonly identifiersByType = new Map<string, number>();
  private readonly conflicted = new Set<string>();
  private readonly conflictsByField = new Map<string, number>();
  /** The sorted lists, worked out again only after a change. */
  private ranked: { largest: GraphStats['largestProfiles']; conflicts: ConflictingProfile[] } | undefined;

  constructor(private readonly personalAttributes: readonly string[]) {}

  /** Sets a profile's tally, replacing the one it had: reading a profile twice counts it once. */
  put(profileId: string, tally: ProfileTally): void {
    this.drop(profileId);
    this.tallies.set(profileId, tally);
    this.count(profileId, tally, 1);
  }

  /** Takes back a profile that was merged away or emptied; nothing when it was not held. */
  drop(profileId: string): void {
    const held = this.tallies.get(profileId);
    if (!held) return;
    this.tallies.delete(profileId);
    this.count(profileId, held, -1);
  }

  get size(): number {
    return this.tallies.size;
  }

  stats(sharedIdentifiers: number): GraphStats {
    return {
      records: this.records,
      profiles: this.tallies.size,
      sharedIdentifiers,
      sizeDistribution: { ...this.sizes },
      mergesPerRule: Object.fromEntries([...this.merges].filter(([, count]) => count > 0)),
      largestProfiles: this.rank().largest,
    };
  }

  identifiers(): IdentifierCounts {
    return {
      identifiers: this.holders.size,
      byType: Object.fromEntries([...this.identifiersByType].filter(([, count]) => count > 0)),
    };
  }

  conflicts(): ConflictSummary {
    return {
      profiles: this.conflicted.size,
      byField: Object.fromEntries(this.personalAttributes.map((name) => [name, this.conflictsByField.get(name) ?? 0])),
      top: this.rank().conflicts,
    };
  }

  private count(profileId: string, tally: ProfileTally, sign: 1 | -1): void {
    this.ranked = undefined;
    this.records += sign * tally.records;
    const bucket = sizeBucket(tally.records);
    this.sizes[bucket] = (this.sizes[bucket] ?? 0) + sign;
    for (const rule of tally.edgeRules) this.merges.set(rule, (this.merges.get(rule) ?? 0) + sign);
    for (const key of tally.identifierKeys) {
      const holders = (this.holders.get(key) ?? 0) + sign;
      if (holders > 0) this.holders.set(key, holders);
      else this.holders.delete(key);
      // The first profile to hold a value adds it to its type's count; the last one to let go takes it back.
      if ((sign === 1 && holders === 1) || (sign === -1 && holders === 0)) {
        const type = key.slice(0, key.indexOf('\u0001'));
        this.identifiersByType.set(type, (this.identifiersByType.get(type) ?? 0) + sign);
      }
    }
    if (tally.conflicts) {
      if (sign === 1) this.conflicted.add(profileId);
      else this.conflicted.delete(profileId);
      for (const name of Object.keys(tally.conflicts)) {
        this.conflictsByField.set(name, (this.conflictsByField.get(name) ?? 0) + sign);
      }
    }
  }

  /** The largest profiles and the worst conflicts, in the order the one-off queries give them. */
  private rank(): NonNullable<OverviewTotals['ranked']> {
    if (this.ranked) return this.ranked;
    const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const largest: GraphStats['largestProfiles'] = [];
    for (const [profileId, tally] of this.tallies) {
      if (largest.length === LARGEST && tally.records < (largest.at(-1)?.records ?? 0)) continue;
      largest.push({ profileId, records: tally.records });
      largest.sort((a, b) => b.records - a.records || byId(a.profileId, b.profileId));
      largest.length = Math.min(largest.length, LARGEST);
    }
    const weight = (profile: ConflictingProfile) => Object.keys(profile.fields).length;
    const conflicts = [...this.conflicted]
      .map((profileId) => {
        const tally = this.tallies.get(profileId) as ProfileTally;
        return { profileId, records: tally.records, fields: tally.conflicts ?? {} };
      })
      .sort((a, b) => weight(b) - weight(a) || b.records - a.records || byId(a.profileId, b.profileId))
      .slice(0, TOP_CONFLICTS);
    this.ranked = { largest, conflicts };
    return this.ranked;
  }
}
