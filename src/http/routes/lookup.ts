import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { identifierKey } from '../../core/resolve/types.js';
import type { Engine } from '../../engine/engine.js';
import { errorSchema, identifierInputSchema } from '../schemas.js';

export function registerLookupRoutes(app: FastifyInstance, engine: Engine): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/lookup',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'The profiles holding identifiers, several at once (identifiers travel in the body, never the URL).',
        tags: ['profiles'],
        body: z.object({ identifiers: z.array(identifierInputSchema).min(1).max(1000) }).strict(),
        response: {
          200: z.object({
            results: z.array(
              z.object({
                type: z.string(),
                profileId: z.string().nullable(),
                reason: z
                  .string()
                  .optional()
                  .describe('Why the value could not be looked up (its normalization refusal).'),
              }),
            ),
          }),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const results = [];
      for (const input of request.body.identifiers) {
        if (!engine.rulesInUse.file.identifiers[input.type]) {
          results.push({ type: input.type, profileId: null, reason: 'UNKNOWN_TYPE' });
          continue;
        }
        const normalized = engine.rulesInUse.normalizers.normalize(
          input.type,
          input.value,
          input.country ? { country: input.country } : {},
        );
        if (!normalized.ok) {
          results.push({ type: input.type, profileId: null, reason: normalized.reason });
          continue;
        }
        const profile = await engine.store.profileByIdentifier(identifierKey(input.type, normalized.key));
        results.push({ type: input.type, profileId: profile?.id ?? null });
      }
      return { results };
    },
  );
}
