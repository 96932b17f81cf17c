/**
 * The overview's read routes beyond /v1/stats: identifier counts, over-merge suspects by
 * conflicting personal attributes, and the trend of merges and splits from the event log. Each
 * reads the whole graph, so its answer is kept until the next commit changes it.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ConflictSummary, conflictingProfiles } from '../../queries/conflicting-profiles.js';
import { type IdentifierCounts, identifierCounts } from '../../queries/identifier-counts.js';
import { storeMergeTrend, type TrendDay } from '../../queries/merge-trend.js';
import type { ReadSide } from '../../queries/read-side.js';

/** The last answer, reused while the graph is at the same commit. */
function perCommit<T>(read: () => ReadSide, compute: () => Promise<T>): () => Promise<{ commit: number; value: T }> {
  let cached: { commit: number; value: T } | undefined;
  return async () => {
    const commit = await read().store.lastCommit();
    if (cached?.commit !== commit) cached = { commit, value: await compute() };
    return cached;
  };
}

export function registerOverviewRoutes(app: FastifyInstance, read: () => ReadSide): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const trend = perCommit<TrendDay[]>(read, () => storeMergeTrend(read().store));
  // A rules change is a commit too, so the personal attributes it names are picked up.
  const conflicts = perCommit<ConflictSummary>(read, () => conflictingProfiles(read().store, read().rules.file));

  const identifiers = perCommit<IdentifierCounts>(read, () => identifierCounts(read().store));

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
      const { commit, value } = await identifiers();
      return { commit, identifiers: value.identifiers, byType: { ...value.byType } };
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
      const { commit, value } = await trend();
      return { commit, days: value };
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
      const { commit, value } = await conflicts();
      return { commit, profiles: value.profiles, byField: { ...value.byField }, top: [...value.top] };
    },
  );
}
