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
        summary: 'Ingest a batch of records of one source; idempotent by (source, key).',
        description:
          'The batch is answered once the commit holding its records is durable. Calls made while another ' +
          'commit is being written wait for it and are then written together as one commit (group commit, ' +
          'at most 10,000 records; calls of several sources may share it). `accepted`, `unchanged`, ' +
          "`rejected`, `refusedValues` and `contested` are this call's own; `commit`, `profilesCreated`, " +
          '`merges` and `splits` are of that shared commit, so calls answered with the same `commit` report ' +
          "the same figures. `commit` is null when none of the batch's records changed. When two calls of " +
          'one commit carry the same record, the one made later is stored and both list it in `contested`.',
        tags: ['records'],
        params: z.object({ source: z.string().regex(/^[a-z][a-z0-9_]*$/) }),
        body: z.object({ records: z.array(z.record(z.string(), z.unknown())).min(1).max(10_000) }).strict(),
        response: {
          200: commitSummarySchema.extend({
            accepted: z.number(),
            unchanged: z.number(),
            rejected: z.array(z.object({ index: z.number(), reason: z.string(), field: z.string().optional() })),
            refusedValues: z.record(z.string(), z.number()).describe('Values refused by reason code.'),
            contested: z
              .array(z.string())
              .describe(
                'Records (source:key) another call of the same commit carried too; the version of the call made later is stored.',
              ),
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
        contested: [...result.contested],
      };
    },
  );
}
