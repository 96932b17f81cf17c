import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evidencePath } from '../../core/profile/explain.js';
import { goldenRecord } from '../../core/profile/golden-record.js';
import type { Engine } from '../../engine/engine.js';
import { profileAt } from '../../history/profile-at.js';
import { ApiError } from '../api-error.js';
import { normalizeIdentifier } from '../identifiers.js';
import {
  edgeSchema,
  errorSchema,
  eventSchema,
  identifierInputSchema,
  profileIdParams,
  profileSchema,
  recordRefSchema,
} from '../schemas.js';

export function registerProfileRoutes(app: FastifyInstance, engine: Engine): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { store } = engine;

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
      const { at } = request.query;
      const found = at
        ? await profileAt(store, request.params.id, at)
        : await store
            .findProfile(request.params.id)
            .then((lookup) =>
              lookup
                ? { ...lookup.profile, profileId: lookup.profile.id, mergedFrom: lookup.redirectedFrom }
                : undefined,
            );
      if (!found) throw new ApiError(404, 'NOT_FOUND', at ? `no such profile at ${at}` : 'no such profile');
      const records = [...(await store.getRecords(found.records)).values()];
      const golden = goldenRecord(records, engine.rulesInUse.file);
      return {
        profileId: found.profileId,
        ...(found.mergedFrom ? { mergedFrom: found.mergedFrom } : {}),
        ...(at ? { asOf: at } : {}),
        records: [...found.records],
        identifiers: golden.identifiers.map((identifier) => ({ ...identifier, records: [...identifier.records] })),
        attributes: golden.attributes,
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
      const events = await store.eventsOf(request.params.id);
      if (events.length === 0 && !(await store.findProfile(request.params.id))) {
        throw new ApiError(404, 'NOT_FOUND', 'no such profile');
      }
      return { profileId: request.params.id, events: events as z.infer<typeof eventSchema>[] };
    },
  );

  const end = z.union([recordRefSchema, identifierInputSchema]);
  routes.post(
    '/v1/explain',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Why two records or identifiers are in one profile: the chain of evidence between them.',
        tags: ['profiles'],
        body: z.object({ a: end, b: end }).strict(),
        response: {
          200: z.object({ sameProfile: z.boolean(), profileId: z.string().nullable(), path: z.array(edgeSchema) }),
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const resolveEnd = async (value: z.infer<typeof end>) => {
        if (typeof value === 'string') {
          if ((await store.getRecords([value])).size === 0) throw new ApiError(404, 'NOT_FOUND', `no record ${value}`);
          return value;
        }
        const key = normalizeIdentifier(engine, value);
        const holder = ((await store.holdersOf([key])).get(key) ?? []).sort()[0];
        if (!holder) throw new ApiError(404, 'NOT_FOUND', `no record holds that ${value.type}`);
        return holder;
      };
      const a = await resolveEnd(request.body.a);
      const b = await resolveEnd(request.body.b);
      const ids = await store.profileIdsOf([a, b]);
      const profileId = ids.get(a);
      if (!profileId || profileId !== ids.get(b)) return { sameProfile: false, profileId: null, path: [] };
      const profile = (await store.getProfiles([profileId])).get(profileId);
      // Edges are readonly inside the engine; the answer is a plain copy of the same shape.
      const path = (evidencePath(profile?.edges ?? [], a, b) ?? []) as z.infer<typeof edgeSchema>[];
      return { sameProfile: true, profileId, path };
    },
  );
}
