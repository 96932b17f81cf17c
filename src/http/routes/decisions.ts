import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine/engine.js';
import { commitSummarySchema, errorSchema, recordRefSchema } from '../schemas.js';

const decisionBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), a: recordRefSchema, b: recordRefSchema }).strict(),
  z.object({ kind: z.literal('never_link'), a: recordRefSchema, b: recordRefSchema }).strict(),
  z
    .object({ kind: z.literal('split'), profileId: z.string().min(1), records: z.array(recordRefSchema).min(1) })
    .strict(),
  z.object({ kind: z.literal('unmerge'), eventId: z.string().min(1) }).strict(),
]);

export function registerDecisionRoutes(app: FastifyInstance, engine: Engine): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/decisions',
    {
      config: { scope: 'write' },
      schema: {
        summary:
          'A manual decision (force-link, never-link, split, unmerge); it holds through re-runs and rule changes.',
        tags: ['decisions'],
        body: z.object({
          decision: decisionBody,
          actor: z.string().min(1).max(200).describe('Who decides; recorded on the event.'),
          note: z.string().max(1000).optional().describe('Why, for the history. No personal data.'),
        }),
        response: { 200: commitSummarySchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const { decision, note } = request.body;
      const options = { actor: `user:${request.body.actor}`, ...(note ? { note } : {}) };
      const summary =
        decision.kind === 'link'
          ? await engine.link(decision.a, decision.b, options)
          : decision.kind === 'never_link'
            ? await engine.neverLink(decision.a, decision.b, options)
            : decision.kind === 'split'
              ? await engine.split(decision.profileId, decision.records, options)
              : await engine.unmerge(decision.eventId, options);
      return { ...summary, commit: summary.commit ?? null };
    },
  );
}
