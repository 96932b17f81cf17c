/**
 * The review queue (GET /v1/review, GET /v1/review/{id}) and its decisions
 * (POST /v1/review/{id}/decision): reads with the read scope, decisions with write.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Engine } from '../../engine/engine.js';
import type { ReadSide } from '../../queries/read-side.js';
import { listReview, showReview } from '../../queries/review.js';
import {
  reviewDecisionBody,
  reviewIdParams,
  reviewItemSchema,
  reviewListQuery,
  reviewListSchema,
  reviewViewSchema,
} from '../review-schemas.js';
import { commitSummarySchema, errorSchema } from '../schemas.js';

export function registerReviewRoutes(app: FastifyInstance, engine: Engine, read: () => ReadSide): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/review',
    {
      config: { scope: 'read' },
      schema: {
        summary:
          'The review queue: pairs of records kept apart for a data steward to link or keep apart, oldest first.',
        description:
          "Items come from resolution: pairs a fuzzy rule scores in its review band (review_from up to min_score), and merges a rule proposed that a guard, a never-merge field, an identifier limit, the profile size cap or a shared value refused; one per pair of profiles. The list holds no record values (a guard's values are masked): GET /v1/review/{id} shows the records.",
        tags: ['review'],
        querystring: reviewListQuery,
        response: { 200: reviewListSchema },
      },
    },
    async (request) => {
      const { status, rule, kind, limit, offset } = request.query;
      const list = await listReview(read().store, {
        ...(status === 'all' ? {} : { status }),
        ...(rule ? { rule } : {}),
        ...(kind ? { kind } : {}),
        limit,
        offset,
      });
      return { ...list, items: list.items as z.infer<typeof reviewItemSchema>[] };
    },
  );

  routes.get(
    '/v1/review/:id',
    {
      config: { scope: 'read' },
      schema: {
        summary: "A review item with its two records side by side: each field's values and whether they agree.",
        tags: ['review'],
        params: reviewIdParams,
        response: { 200: reviewViewSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const { store, rules, frequencies } = read();
      const view = await showReview(store, rules, request.params.id, frequencies);
      return view as unknown as z.infer<typeof reviewViewSchema>;
    },
  );

  routes.post(
    '/v1/review/:id/decision',
    {
      config: { scope: 'write' },
      schema: {
        summary:
          'Decide a review item: link its records or keep them apart, as a manual decision that holds through re-runs.',
        description:
          'The decision is recorded with the actor like POST /v1/decisions (link or never_link); the item is closed as decided and never reopened. An item decided already answers 409 (REVIEW_ITEM_DECIDED).',
        tags: ['review'],
        params: reviewIdParams,
        body: reviewDecisionBody,
        response: {
          200: commitSummarySchema.extend({ item: reviewItemSchema }),
          404: errorSchema.describe('No review item has that ID (REVIEW_ITEM_NOT_FOUND).'),
          409: errorSchema.describe('The item was decided already (REVIEW_ITEM_DECIDED), or a concurrent write won.'),
        },
      },
    },
    async (request) => {
      const { action, actor, note } = request.body;
      const options = { actor: `user:${actor}`, ...(note ? { note } : {}) };
      const result = await engine.decideReview(request.params.id, action, options);
      return { ...result, commit: result.commit ?? null, item: result.item as z.infer<typeof reviewItemSchema> };
    },
  );
}
