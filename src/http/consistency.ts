/**
 * Read-your-writes across API instances. Every write answer carries an `Idgraph-Consistency` token:
 * the commit the graph was at once the write was durable (the commit it wrote; when it wrote none,
 * the latest this instance knew after it) and, on Neo4j, the bookmarks of this instance's
 * transactions. A read that sends the token back, to any instance, is answered only once that
 * instance has seen the commit (waiting for a poll of the commit counter, made after Neo4j caught up
 * with the bookmarks, so a cluster follower answers with the write applied); past the wait limit it
 * answers 503 CONSISTENCY_TIMEOUT. On the embedded store one process owns the graph: a token it gave
 * out is always satisfied at once, and one naming a later commit was never given by this graph, so it
 * is refused at once (400 CONSISTENCY_UNKNOWN_COMMIT) rather than waited for.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { GraphReads } from '../store/graph-store.js';
import type { CommitWatch } from '../store/read-cache/commit-watch.js';
import { ApiError } from './api-error.js';
import { documentInputErrors } from './error-responses.js';

export const CONSISTENCY_HEADER = 'idgraph-consistency';

/** `COMMIT` or `COMMIT.POSITION` (the store's position in base64url, opaque to clients). */
const TOKEN = /^(\d{1,15})(?:\.([A-Za-z0-9_-]+))?$/;

const READ_SCOPES = new Set(['read', 'report']);
const WRITE_SCOPES = new Set(['write', 'admin']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The commits this instance had written when the request arrived (write answers compare). */
    ownCommitsAtStart?: number;
  }
}

export function formatToken(commit: number, position: string): string {
  return position === '' ? String(commit) : `${commit}.${position}`;
}

export function parseToken(token: string): { commit: number; position: string } | undefined {
  const match = TOKEN.exec(token.trim());
  return match ? { commit: Number(match[1]), position: match[2] ?? '' } : undefined;
}

const tokenSchema = z
  .string()
  .regex(TOKEN, 'must be a token a write answer gave (COMMIT or COMMIT.POSITION)')
  .optional()
  .describe(
    'Read-your-writes: the Idgraph-Consistency header of a write answer (from any instance). The read is ' +
      'answered once this instance has seen that commit; 503 CONSISTENCY_TIMEOUT if it has not within the wait limit.',
  );

const WRITE_NOTE =
  ' The answer carries an `Idgraph-Consistency` header: send it with later reads, to any instance, to read this write.';

/** Each route's kind, by its config object (one per route), so a request does not work it out again. */
const kindsByConfig = new WeakMap<object, 'read' | 'write' | undefined>();

/** Is the route a read that honours the token, or a write whose answer carries one? */
function kind(route: Pick<RouteOptions, 'method' | 'config'>): 'read' | 'write' | undefined {
  const config = route.config;
  if (!config || typeof config !== 'object') return kindOf(route);
  if (kindsByConfig.has(config)) return kindsByConfig.get(config);
  const found = kindOf(route);
  kindsByConfig.set(config, found);
  return found;
}

function kindOf(route: Pick<RouteOptions, 'method' | 'config'>): 'read' | 'write' | undefined {
  const config = route.config as { scope?: string; writeKey?: boolean } | undefined;
  const methods = [route.method].flat();
  if (config?.scope && READ_SCOPES.has(config.scope)) return 'read';
  if ((config?.writeKey || (config?.scope && WRITE_SCOPES.has(config.scope))) && !methods.includes('GET')) {
    return 'write';
  }
  return config?.scope ? 'read' : undefined;
}

/**
 * Documents the header on each route as it is declared (read routes take it, write answers give
 * it) and honours it: reads wait for the commit, writes answer with the token.
 */
export function registerConsistency(
  app: FastifyInstance,
  watch: CommitWatch,
  store: Pick<GraphReads, 'position' | 'oneWriter'>,
  waitMs: number,
): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as (RouteOptions['schema'] & { hide?: boolean; description?: string }) | undefined;
    const which = kind(route);
    if (!schema || schema.hide || !which) return;
    if (which === 'write') {
      schema.description = `${schema.description ?? ''}${WRITE_NOTE}`.trim();
      return;
    }
    const headers = schema.headers as z.ZodObject | undefined;
    schema.headers = (headers ?? z.looseObject({})).extend({ [CONSISTENCY_HEADER]: tokenSchema });
    // A route without other input now has one that can be refused.
    documentInputErrors(schema);
  });

  app.addHook('onRequest', async (request) => {
    request.ownCommitsAtStart = watch.ownCommits;
  });

  app.addHook('preHandler', async (request) => {
    if (kind(request.routeOptions) !== 'read') return;
    const header = request.headers[CONSISTENCY_HEADER];
    if (typeof header !== 'string') return;
    const token = parseToken(header);
    if (!token) return; // the schema refused it already where the route declares it
    if (token.commit > watch.commit && store.oneWriter) {
      // No other writer can bring that commit: a look at the counter settles it.
      await watch.poll();
      if (token.commit > watch.commit) {
        throw new ApiError(
          400,
          'CONSISTENCY_UNKNOWN_COMMIT',
          `this graph is at commit ${watch.commit} and only this process writes to it: commit ${token.commit} is not from this graph`,
        );
      }
    }
    if (!(await watch.reach(token.commit, token.position, waitMs))) {
      throw new ApiError(
        503,
        'CONSISTENCY_TIMEOUT',
        `this instance has not seen commit ${token.commit} within ${waitMs} ms: retry, or check the token is from this graph`,
      );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 300 || kind(request.routeOptions) !== 'write') return payload;
    // A write that committed nothing itself: the latest commit, looked up after it.
    if (watch.ownCommits === request.ownCommitsAtStart) await watch.poll();
    reply.header(CONSISTENCY_HEADER, formatToken(watch.commit, await store.position()));
    return payload;
  });
}
