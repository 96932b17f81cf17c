import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../engine/engine.js';
import { countByReason } from '../../ingest/ingest-summary.js';
import type { ReadSide } from '../../queries/read-side.js';
import { ApiError } from '../api-error.js';
import { commitSummarySchema, errorSchema } from '../schemas.js';

export function registerRecordRoutes(app: FastifyInstance, engine: Engine, read: () => ReadSide): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/sources/:source/records',
    {
      config: { scope: 'write' },
      schema: {
        summary: 'Ingest a batch of records of one source as one commit; idempotent by (source, key).',
        tags: ['records'],
        params: z.object({ source: z.string().regex(/^[a-z][a-z0-9_]*$/) }),
        body: z.object({ records: z.array(z.record(z.string(), z.unknown())).min(1).max(10_000) }).strict(),
        response: {
          200: commitSummarySchema.extend({
            accepted: z.number(),
            unchanged: z.number(),
            rejected: z.array(z.object({ index: z.number(), reason: z.string(), field: z.string().optional() })),
            refusedValues: z.record(z.string(), z.number()).describe('Values refused by reason code.'),
          }),
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const { source } = request.params;
      if (!read().rules.file.sources[source])
        throw new ApiError(404, 'NOT_FOUND', `no source "${source}" in the rules`);
      const result = await engine.ingest(source, request.body.records, 'api');
      return {
        commit: result.commit ?? null,
        profilesCreated: result.profilesCreated,
        merges: result.merges,
        splits: result.splits,
        accepted: result.accepted,
        unchanged: result.unchanged,
        rejected: [...result.rejected],
        refusedValues: countByReason(result.refusals),
      };
    },
  );
}
