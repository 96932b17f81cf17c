import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReadSide } from '../../queries/read-side.js';
import { ApiError } from '../api-error.js';
import { errorSchema } from '../schemas.js';

/** How long readiness waits for the store before saying the instance is not ready. */
const READY_TIMEOUT_MS = 2_000;

export function registerHealthRoutes(app: FastifyInstance, read: () => ReadSide): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/v1/health',
    {
      schema: {
        summary: 'Liveness: the service answers (whether or not its store does).',
        tags: ['service'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  routes.get(
    '/v1/ready',
    {
      schema: {
        summary: 'Readiness: the store answers, so a load balancer may send requests here.',
        description: `503 NOT_READY when the store does not answer within ${READY_TIMEOUT_MS / 1000} s (Neo4j down or unreachable).`,
        tags: ['service'],
        security: [],
        response: { 200: z.object({ status: z.literal('ready'), lastCommit: z.number() }), 503: errorSchema },
      },
    },
    async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
      });
      try {
        const lastCommit = await Promise.race([read().store.lastCommit(), timeout]);
        return { status: 'ready' as const, lastCommit };
      } catch {
        throw new ApiError(503, 'NOT_READY', 'the store does not answer');
      } finally {
        clearTimeout(timer);
      }
    },
  );
}
