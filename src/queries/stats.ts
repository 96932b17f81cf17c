/** Statistics of the whole graph (core/profile/graph-stats.ts), as of a commit. */
import { type GraphStats, GraphStatsBuilder } from '../core/profile/graph-stats.js';
import type { GraphReads } from '../store/graph-store.js';

export interface StatsAnswer extends GraphStats {
  /** The last commit when the statistics were read. */
  readonly commit: number;
  /** Review items waiting for a steward's decision. */
  readonly openReviewItems: number;
}

type StatsReads = Pick<GraphReads, 'lastCommit' | 'profiles' | 'sharedCount' | 'reviewItems'>;

/** Reads every live profile: proportional to the graph (the API keeps its figures current instead: queries/overview). */
export async function graphStats(store: StatsReads): Promise<StatsAnswer> {
  const commit = await store.lastCommit();
  const builder = new GraphStatsBuilder();
  for await (const profile of store.profiles()) builder.add(profile);
  const { total: openReviewItems } = await store.reviewItems({ status: 'open', offset: 0, limit: 0 });
  return { commit, ...builder.build(await store.sharedCount()), openReviewItems };
}
