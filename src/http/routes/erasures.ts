import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AudienceStore } from '../../audience/audience-store.js';
import { erasePeople } from '../../audience/erase-people.js';
import type { Engine } from '../../engine/engine.js';
import { erasureTargets } from '../../engine/erasure/erasure-targets.js';
import { identifierKeyOf } from '../../queries/identifier.js';
import type { ReadSide } from '../../queries/read-side.js';
import type { AudienceStorage } from '../../store/graph-store.js';
import { errorSchema, identifierInputSchema } from '../schemas.js';

const erasureBody = z
  .object({
    profileIds: z.array(z.string().min(1).max(200)).max(1000).default([]).describe('Profiles to erase.'),
    identifiers: z
      .array(identifierInputSchema)
      .max(100)
      .default([])
      .describe('Identifiers the person gave; each must be held by exactly one profile.'),
    actor: z.string().min(1).max(200).describe('Who erases; recorded on the tombstone.'),
    note: z.string().max(1000).optional().describe('A request reference for the history. No personal data.'),
    dryRun: z.boolean().default(false).describe('Only say which profiles and how many records would be erased.'),
  })
  .strict()
  .refine((body) => body.profileIds.length + body.identifiers.length > 0, {
    message: 'name at least one profile ID or identifier',
    path: ['profileIds'],
  });

const erasureResponse = z.object({
  dryRun: z.boolean(),
  commit: z.number().nullable(),
  profiles: z.array(z.object({ profileId: z.string(), records: z.number() })),
  erasedRecords: z.number(),
  audienceRows: z.number().describe('Audience member rows that named the erased people, removed with them.'),
});

export function registerErasureRoutes(
  app: FastifyInstance,
  engine: Engine,
  read: () => ReadSide,
  storage: AudienceStorage,
): void {
  const audiences = new AudienceStore(storage);
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/erasures',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Erase people for a privacy request: their records and identifiers, and every trace in history.',
        description:
          'The profiles lose all their records; identifiers only they held are removed; history keeps its events without the erased records or their evidence, and each profile ends with an `erased` tombstone that holds no personal data. Profiles the erased values had touched are re-resolved. Audience member rows that named the erased people are removed too.',
        tags: ['decisions'],
        body: erasureBody,
        response: { 200: erasureResponse, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const { profileIds, identifiers, actor, note, dryRun } = request.body;
      const { store, rules } = read();
      const keys = identifiers.map((identifier, index) => ({
        label: `identifiers[${index}] (${identifier.type})`,
        key: identifierKeyOf(rules, identifier),
      }));
      const targets = await erasureTargets(store, profileIds, keys);
      const records = targets.reduce((sum, target) => sum + target.records, 0);
      const { summary, audienceRows } = await erasePeople(
        engine,
        audiences,
        targets.map((target) => target.profileId),
        { actor: `user:${actor}`, ...(note ? { note } : {}), dryRun },
      );
      return {
        dryRun,
        commit: summary?.commit ?? null,
        profiles: targets,
        erasedRecords: summary?.erasedRecords ?? records,
        audienceRows,
      };
    },
  );
}
