import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OverviewTally } from '../../queries/overview/overview-tally.js';
import type { ReadSide } from '../../queries/read-side.js';

export function registerStatsRoutes(app: FastifyInstance, read: () => ReadSide, tally: OverviewTally): void {
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
    async () => {
      // The graph-wide counts are kept current by the overview's tally; shared values and open
      // review items are counts the store keeps, read as they are now.
      const { store } = read();
      const { commit, totals } = await tally.current();
      const [shared, review] = await Promise.all([
        store.sharedCount(),
        store.reviewItems({ status: 'open', offset: 0, limit: 0 }),
      ]);
      return { commit, ...totals.stats(shared), openReviewItems: review.total };
    },
  );
}
