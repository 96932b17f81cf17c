import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { grants, SCOPES } from '../api-keys.js';
import { errorSchema } from '../schemas.js';

/** What the presented key may do, so a client (the console) offers only that. */
export function registerMeRoutes(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/me',
    {
      config: { signedIn: true },
      schema: {
        summary: "The API key's scope and every scope it grants (any valid key may ask).",
        tags: ['auth'],
        response: {
          200: z.object({
            scope: z.enum(SCOPES),
            grants: z.array(z.enum(SCOPES)).describe('Scopes whose routes this key may call.'),
          }),
          401: errorSchema,
        },
      },
    },
    async (request) => {
      const scope = request.apiScope;
      // The onRequest hook refuses a request without a known key before it gets here.
      if (!scope) throw new Error('signed-in route reached without a scope');
      return { scope, grants: SCOPES.filter((candidate) => grants(scope, candidate)) };
    },
  );
}
