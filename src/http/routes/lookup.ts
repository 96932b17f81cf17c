import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lookupIdentifiers } from '../../queries/lookup.js';
import type { ReadSide } from '../../queries/read-side.js';
import { errorSchema, identifierInputSchema } from '../schemas.js';

export function registerLookupRoutes(app: FastifyInstance, read: () => ReadSide): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/lookup',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'The profiles holding identifiers, several at once (identifiers travel in the body, never the URL).',
        description:
          'Each result names the profile holding the value. A value several profiles hold (a household phone, a ' +
          'shared inbox) is not answered silently with one of them: `ambiguous` is true and `profiles` lists them all.',
        tags: ['profiles'],
        body: z.object({ identifiers: z.array(identifierInputSchema).min(1).max(1000) }).strict(),
        response: {
          200: z.object({
            results: z.array(
              z.object({
                type: z.string(),
                profileId: z
                  .string()
                  .nullable()
                  .describe(
                    'The profile holding the value; when several do, the one whose record has held it longest. Null when none does.',
                  ),
                profiles: z
                  .array(z.string())
                  .describe('Every profile holding the value, `profileId` first; empty when none does.'),
                ambiguous: z.boolean().describe('True when more than one profile holds the value.'),
                reason: z
                  .string()
                  .optional()
                  .describe('Why the value could not be looked up (UNKNOWN_TYPE, or its normalization refusal).'),
              }),
            ),
          }),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { store, rules } = read();
      const results = await lookupIdentifiers(store, rules, request.body.identifiers);
      return {
        results: results.map(({ type, answer, reason }) => ({
          type,
          profileId: answer?.profileId ?? null,
          profiles: [...(answer?.profiles ?? [])],
          ambiguous: answer?.ambiguous ?? false,
          ...(reason ? { reason } : {}),
        })),
      };
    },
  );
}
