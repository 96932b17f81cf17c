/**
 * Statistics of a resolved graph: how many records and profiles, how profile sizes are spread, how
 * many merges each rule made (edges of the profiles' evidence), and the largest profiles, which
 * are the first place to look for over-merging.
 */
import type { MergeEdge } from '../resolve/types.js';

export interface ProfileShape {
  readonly id: string;
  readonly records: readonly string[];
  readonly edges: readonly MergeEdge[];
}

export interface GraphStats {
  records: number;
  profiles: number;
  sharedIdentifiers: number;
  sizeDistribution: Record<string, number>;
  mergesPerRule: Record<string, number>;
  largestProfiles: { profileId: string; records: number }[];
}

const BUCKETS: readonly [string, number][] = [
  ['1', 1],
  ['2', 2],
  ['3-5', 5],
  ['6-10', 10],
  ['11-50', 50],
  ['51-200', 200],
  ['201+', Number.POSITIVE_INFINITY],
];

/** The size-distribution bucket a profile of this many records falls in. */
export function sizeBucket(size: number): string {
  return (BUCKETS.find(([, upTo]) => size <= upTo) as [string, number])[0];
}

/** Every bucket at zero, in size order (the order the overview's chart shows them). */
export function emptySizeDistribution(): Record<string, number> {
  return Object.fromEntries(BUCKETS.map(([label]) => [label, 0]));
}

export class GraphStatsBuilder {
  private readonly stats: GraphStats = {
    records: 0,
    profiles: 0,
    sharedIdentifiers: 0,
    sizeDistribution: emptySizeDistribution(),
    mergesPerRule: {},
    largestProfiles: [],
  };

  constructor(private readonly topN = 10) {}

  add(profile: ProfileShape): void {
    const size = profile.records.length;
    this.stats.profiles++;
    this.stats.records += size;
    const bucket = sizeBucket(size);
    this.stats.sizeDistribution[bucket] = (this.stats.sizeDistribution[bucket] ?? 0) + 1;
    for (const edge of profile.edges)
      this.stats.mergesPerRule[edge.rule] = (this.stats.mergesPerRule[edge.rule] ?? 0) + 1;
    const largest = this.stats.largestProfiles;
    if (largest.length < this.topN || size > (largest[largest.length - 1]?.records ?? 0)) {
      largest.push({ profileId: profile.id, records: size });
      largest.sort((a, b) => b.records - a.records || (a.profileId < b.profileId ? -1 : 1));
      largest.length = Math.min(largest.length, this.topN);
    }
  }

  build(sharedIdentifiers: number): GraphStats {
    return { ...this.stats, sharedIdentifiers };
  }
}
