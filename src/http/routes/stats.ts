import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type GraphStats, GraphStatsBuilder } from '../../core/profile/graph-stats.js';
import type { Engine } from '../../engine/engine.js';

export function registerStatsRoutes(app: FastifyInstance, engine: Engine): void {
  // Computed over every profile, so the answer is kept until the next commit changes the graph.
  let cached: { commit: number; stats: GraphStats } | undefined;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/stats',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'Counts, profile-size distribution, merges per rule, shared identifiers, the largest profiles.',
        tags: ['reports'],
        response: {
          200: z.object({
            commit: z.number(),
            records: z.number(),
            profiles: z.number(),
            sharedIdentifiers: z.number(),
            sizeDistribution: z.record(z.string(), z.number()),
            mergesPerRule: z.record(z.string(), z.number()),
            largestProfiles: z.array(z.object({ profileId: z.string(), records: z.number() })),
          }),
        },
      },
    },
    async () => {
      const commit = await engine.store.lastCommit();
      if (cached?.commit !== commit) {
        const builder = new GraphStatsBuilder();
        for await (const profile of engine.store.profiles()) builder.add(profile);
        cached = { commit, stats: builder.build(await engine.store.sharedCount()) };
      }
      return { commit, ...cached.stats };
    },
  );
}
