import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReadSide } from '../../queries/read-side.js';
import { statsReader } from '../../queries/stats.js';

export function registerStatsRoutes(app: FastifyInstance, read: () => ReadSide): void {
  // Computed over every profile, so the answer is kept until the next commit changes the graph.
  const stats = statsReader(read().store);
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
            openReviewItems: z.number().describe('Review items waiting for a decision (GET /v1/review).'),
          }),
        },
      },
    },
    stats,
  );
}
