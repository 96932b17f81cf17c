/**
 * The audience builder over HTTP: preview conditions on profiles with live counts, save them as a
 * segment (an audience that re-resolves when the graph changes), read a segment with its audit
 * trail and the commit its members were resolved against.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Segments } from '../../audience/segments.js';
import { audienceIdSchema } from '../audience-schemas.js';
import { errorSchema } from '../schemas.js';

const conditionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('attribute'),
      name: z.string().min(1).max(100).describe('A golden-record attribute of the rules, e.g. country.'),
      op: z.enum(['is', 'is_not']),
      value: z.string().max(200).describe('Compared without regard to case or surrounding spaces.'),
    })
    .strict(),
  z
    .object({ kind: z.literal('has'), type: z.string().min(1).max(100).describe('An identifier type or attribute.') })
    .strict(),
  z.object({ kind: z.literal('seen_within_days'), days: z.number().int().min(1).max(36_500) }).strict(),
  z.object({ kind: z.literal('in_audience'), audience: audienceIdSchema }).strict(),
  z.object({ kind: z.literal('not_in_audience'), audience: audienceIdSchema }).strict(),
]);
const conditionsSchema = z.array(conditionSchema).min(1).max(20).describe('A profile belongs when all hold.');

const previewSchema = z.object({
  commit: z.number().describe('The commit of the graph the counts were made at.'),
  profiles: z.number().describe('Profiles looked at: every live profile.'),
  people: z.number().describe('Profiles matching every condition.'),
  perCondition: z.array(z.number()).describe('Profiles each condition alone lets through, in order.'),
});

const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  conditions: z.array(conditionSchema),
  audit: z
    .array(z.object({ at: z.string(), actor: z.string(), action: z.enum(['created', 'changed']) }))
    .describe('Who created and changed the segment, and when, oldest first.'),
  resolvedCommit: z.number().describe('The commit its members were last resolved against.'),
  resolvedAt: z.string(),
});

export function registerSegmentRoutes(app: FastifyInstance, segments: Segments): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // Audiences are read through the API: a segment the graph has moved past is resolved again first.
  app.addHook('preHandler', async (request) => {
    if (
      request.routeOptions.url?.startsWith('/v1/audiences') ||
      request.routeOptions.url?.startsWith('/v1/segments/')
    ) {
      await segments.refresh();
    }
  });

  routes.post(
    '/v1/segments/preview',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'Live counts for conditions on profiles (the audience builder), without saving anything.',
        tags: ['audiences'],
        body: z.object({ conditions: conditionsSchema }).strict(),
        response: { 200: previewSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const outcome = await segments.preview(request.body.conditions);
      return { ...outcome, people: outcome.matched.length, perCondition: [...outcome.perCondition] };
    },
  );

  routes.put(
    '/v1/segments/:id',
    {
      config: { scope: 'write' },
      schema: {
        summary:
          'Create or change a segment: an audience of the profiles matching the conditions, re-resolved whenever the graph has changed.',
        description:
          'Its members are kept as the audience of the same id (reports, exports and suppressions work as for any audience). The actor is added to its audit trail.',
        tags: ['audiences'],
        params: z.object({ id: audienceIdSchema }),
        body: z
          .object({
            name: z.string().min(1).max(200).optional(),
            conditions: conditionsSchema,
            actor: z.string().min(1).max(200).describe('Who creates or changes it; kept in the audit trail.'),
          })
          .strict(),
        response: {
          200: z.object({ segment: segmentSchema, preview: previewSchema }),
          400: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (request) => {
      const { segment, outcome } = await segments.save(request.params.id, request.body);
      return {
        segment: { ...segment, conditions: [...segment.conditions], audit: [...segment.audit] },
        preview: { ...outcome, people: outcome.matched.length, perCondition: [...outcome.perCondition] },
      };
    },
  );

  routes.get(
    '/v1/segments',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'The saved segments with their audit trails.',
        tags: ['audiences'],
        response: { 200: z.object({ segments: z.array(segmentSchema) }) },
      },
    },
    async () => {
      await segments.refresh();
      return {
        segments: (await segments.saved.list()).map((segment) => ({
          ...segment,
          conditions: [...segment.conditions],
          audit: [...segment.audit],
        })),
      };
    },
  );

  routes.get(
    '/v1/segments/:id',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'One segment: its conditions, audit trail and the commit its members were resolved against.',
        tags: ['audiences'],
        params: z.object({ id: audienceIdSchema }),
        response: { 200: segmentSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const segment = await segments.saved.get(request.params.id);
      if (!segment) {
        return reply
          .status(404)
          .send({ code: 'NOT_FOUND', message: `no segment "${request.params.id}"`, requestId: request.id });
      }
      return { ...segment, conditions: [...segment.conditions], audit: [...segment.audit] };
    },
  );
}
