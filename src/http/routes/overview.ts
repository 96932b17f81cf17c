/**
 * The overview's read routes beyond /v1/stats: identifier counts, over-merge suspects by
 * conflicting personal attributes, and the trend of merges and splits from the event log. Each
 * reads the whole graph, so its answer is kept until the next commit changes it.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OverviewTally } from '../../queries/overview/overview-tally.js';

/** How often the service looks for new commits to fold into the overview while nobody asks. */
const REFRESH_EVERY_MS = 15_000;

/**
 * Counts the overview once in the background from start-up, then folds in new commits every few
 * seconds, so a page opened during steady ingest finds the figures nearly current and waits only for
 * the last few commits. These refreshes give way to ingest (overview-tally.ts) until a page asks.
 */
export function keepOverviewCurrent(app: FastifyInstance, tally: OverviewTally): void {
  const refresh = () =>
    tally.refresh({ background: true }).catch((error: Error) => {
      app.log.warn({ err: { type: error.name, code: (error as { code?: string }).code } }, 'overview refresh failed');
    });
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    void refresh();
    timer = setInterval(refresh, REFRESH_EVERY_MS).unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await tally.settled();
  });
}

export function registerOverviewRoutes(app: FastifyInstance, tally: OverviewTally): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/stats/identifiers',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'Distinct identifier values in the graph (by matching key), in all and per type.',
        tags: ['reports'],
        response: {
          200: z.object({ commit: z.number(), identifiers: z.number(), byType: z.record(z.string(), z.number()) }),
        },
      },
    },
    async () => {
      const { commit, totals } = await tally.current();
      return { commit, ...totals.identifiers() };
    },
  );

  routes.get(
    '/v1/stats/trend',
    {
      config: { scope: 'report' },
      schema: {
        summary:
          'Profiles created, records joining profiles, merges, splits and manual decisions per day (UTC), from the event log.',
        tags: ['reports'],
        response: {
          200: z.object({
            commit: z.number(),
            days: z.array(
              z.object({
                day: z.string().describe('YYYY-MM-DD'),
                created: z.number(),
                recordsAdded: z.number().describe('New records that joined an existing profile.'),
                merges: z.number().describe('Existing profiles merged into one.'),
                splits: z.number(),
                decisions: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const { commit, trend } = await tally.current();
      return { commit, days: trend.trend() };
    },
  );

  routes.get(
    '/v1/stats/conflicts',
    {
      config: { scope: 'report' },
      schema: {
        summary:
          'Over-merge suspects: profiles whose records hold different names or birth dates (counts only, no values).',
        tags: ['reports'],
        response: {
          200: z.object({
            commit: z.number(),
            profiles: z.number().describe('Profiles with at least one conflicting attribute.'),
            byField: z.record(z.string(), z.number()).describe('Conflicting profiles per attribute.'),
            top: z.array(
              z.object({
                profileId: z.string(),
                records: z.number(),
                fields: z.record(z.string(), z.number()).describe('Distinct values held, per conflicting attribute.'),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const { commit, totals } = await tally.current();
      const { profiles, byField, top } = totals.conflicts();
      return { commit, profiles, byField: { ...byField }, top: [...top] };
    },
  );
}
