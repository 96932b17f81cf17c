import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { explainPair } from '../../queries/explain.js';
import { profileHistory } from '../../queries/history.js';
import { profileView } from '../../queries/profile.js';
import type { ReadSide } from '../../queries/read-side.js';
import {
  apartReasonSchema,
  edgeSchema,
  errorSchema,
  eventSchema,
  identifierInputSchema,
  profileIdParams,
  profileSchema,
  recordRefSchema,
} from '../schemas.js';

export function registerProfileRoutes(app: FastifyInstance, read: () => ReadSide): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/profiles/:id',
    {
      config: { scope: 'read' },
      schema: {
        summary:
          'A profile by ID, with its golden record; a merged-away ID answers with the survivor. With `at`, the profile as it was then.',
        description:
          'With `at`, membership is rebuilt from the merge history as of that instant (a merged-away ID then answers with the profile it had been merged into by that time); identifiers and attributes come from the current versions of those records.',
        tags: ['profiles'],
        params: profileIdParams,
        querystring: z.object({
          at: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('ISO 8601 instant, e.g. 2026-06-01T00:00:00Z: the profile as it was then.'),
        }),
        response: { 200: profileSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const { store, rules } = read();
      const view = await profileView(store, rules, request.params.id, request.query.at);
      return {
        ...view,
        records: [...view.records],
        identifiers: view.identifiers.map((identifier) => ({ ...identifier, records: [...identifier.records] })),
        // Edges are readonly in the store; the answer is a plain copy of the same shape.
        evidence: view.evidence ? (view.evidence as z.infer<typeof edgeSchema>[]) : undefined,
      };
    },
  );

  routes.get(
    '/v1/profiles/:id/history',
    {
      config: { scope: 'read' },
      schema: {
        summary: "A profile's events, oldest first: merges, splits, decisions, with rule and evidence.",
        tags: ['profiles'],
        params: profileIdParams,
        response: { 200: z.object({ profileId: z.string(), events: z.array(eventSchema) }), 404: errorSchema },
      },
    },
    async (request) => {
      const { events } = await profileHistory(read().store, request.params.id);
      return { profileId: request.params.id, events: events as z.infer<typeof eventSchema>[] };
    },
  );

  const end = z.union([recordRefSchema, identifierInputSchema]);
  routes.post(
    '/v1/explain',
    {
      config: { scope: 'read' },
      schema: {
        summary:
          'Why two records or identifiers are in one profile (the chain of evidence between them), or what keeps them apart.',
        description:
          "An identifier stands for the first record, by reference, holding it. When the two are apart, `apart` lists what kept them apart, one entry per reason (side a is the first one's profile; values masked). A record or value nobody holds is a 404; an identifier of a type the rules lack, or a value its normalizer refuses, a 400.",
        tags: ['profiles'],
        body: z.object({ a: end, b: end }).strict(),
        response: {
          200: z.object({
            sameProfile: z.boolean(),
            profileId: z.string().nullable(),
            path: z.array(edgeSchema),
            apart: z.array(apartReasonSchema),
          }),
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const { store, rules, frequencies } = read();
      const { sameProfile, profileId, path, apart } = await explainPair(
        store,
        rules,
        request.body.a,
        request.body.b,
        frequencies,
      );
      // Edges are readonly inside the engine; the answer is a plain copy of the same shape.
      return {
        sameProfile,
        profileId,
        path: path as z.infer<typeof edgeSchema>[],
        apart: apart as z.infer<typeof apartReasonSchema>[],
      };
    },
  );
}
