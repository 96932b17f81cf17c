/**
 * The HTTP API as a fastify app built from its dependencies; server.ts listens, tests inject.
 * One error boundary turns every failure into `{code, message, requestId}`: validation problems
 * are all listed, engine and store refusals keep their codes, and nothing the client sends makes
 * a 500. Request logs carry the route pattern, never the URL, which could hold an identifier.
 */
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { AudienceService } from '../audience/audience-service.js';
import { AudienceError } from '../audience/audience-store.js';
import type { DestinationCatalog } from '../audience/destination-settings-file.js';
import { Segments } from '../audience/segments.js';
import { DESTINATIONS } from '../core/destinations/catalog.js';
import type { Engine } from '../engine/engine.js';
import { EngineError } from '../engine/engine-error.js';
import { OverviewTally } from '../queries/overview/overview-tally.js';
import { QueryError, type QueryErrorCode } from '../queries/query-error.js';
import type { ReadSide } from '../queries/read-side.js';
import { VERSION } from '../runtime/version.js';
import type { AudienceStorage } from '../store/graph-store.js';
import { CachedReads } from '../store/read-cache/cached-reads.js';
import { CommitCache } from '../store/read-cache/commit-cache.js';
import { CommitWatch } from '../store/read-cache/commit-watch.js';
import { StoreError } from '../store/store-error.js';
import type { WriteKeySource } from '../tracking/write-keys.js';
import { ApiError } from './api-error.js';
import { type ApiKey, grants, type Scope, scopeOf } from './api-keys.js';
import { registerConsistency } from './consistency.js';
import { registerConsole } from './console.js';
import { documentErrorResponses } from './error-responses.js';
import { HashedKeys } from './hashed-keys.js';
import { registerMetrics } from './metrics.js';
import { type LogSettings, loggerOptions, logRequests } from './request-log.js';
import { registerAudienceRoutes } from './routes/audiences.js';
import { registerDecisionRoutes } from './routes/decisions.js';
import { registerErasureRoutes } from './routes/erasures.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerLookupRoutes } from './routes/lookup.js';
import { registerMeRoutes } from './routes/me.js';
import { keepOverviewCurrent, registerOverviewRoutes } from './routes/overview.js';
import { registerProfileRoutes } from './routes/profiles.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerReviewRoutes } from './routes/review.js';
import { registerRulesRoutes } from './routes/rules.js';
import { registerSegmentTrackingRoutes } from './routes/segment-tracking.js';
import { registerSegmentRoutes } from './routes/segments.js';
import { registerStatsRoutes } from './routes/stats.js';

/** How stale a read's idea of the rules in force may be when another instance applied new ones. */
const RULES_FOLLOW_MS = 1000;

export interface AppDeps {
  readonly engine: Engine;
  readonly keys: readonly ApiKey[];
  /** The store's audiences (the store itself, which implements AudienceStorage). */
  readonly audiences: AudienceStorage;
  /** Where reports on large audiences write their working files (member rows); a temporary folder when absent. */
  readonly audienceWork?: string;
  /** Destinations with the team's settings; the built-in catalog when absent. */
  readonly destinations?: DestinationCatalog;
  /** The service's log (request-log.ts); none writes nothing. */
  readonly log?: LogSettings;
  /** Largest request body in bytes. */
  readonly bodyLimit?: number;
  /** Requests per minute per API key (or per address without one). */
  readonly rateLimitPerMinute?: number;
  /** Folder of the built console served at `/`; found next to the build when absent. */
  readonly consoleAssets?: string;
  /** Segment write keys and their sources (IDGRAPH_SEGMENT_WRITE_KEYS); none refuses every tracking call. */
  readonly segmentWriteKeys?: readonly WriteKeySource[];
  /** The read cache and consistency tokens (see readCacheSettings); the defaults when absent. */
  readonly readCache?: Partial<ReadCacheSettings>;
}

export interface ReadCacheSettings {
  /** Answers kept at most (IDGRAPH_READ_CACHE_ENTRIES); 0 turns the cache off. */
  readonly entries: number;
  /** How stale the latest commit known may be before a cached read looks again (IDGRAPH_READ_CACHE_POLL_MS). */
  readonly pollMs: number;
  /** How long a read waits for the commit of its Idgraph-Consistency token before a 503. */
  readonly waitMs: number;
}

export const READ_CACHE_DEFAULTS: ReadCacheSettings = { entries: 50_000, pollMs: 100, waitMs: 5_000 };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope a route needs; routes without one are public (health, docs). */
    scope?: Scope;
    /** Any valid key may call the route, whatever its scope (`GET /v1/me`). */
    signedIn?: boolean;
    /** A Segment tracking call: authenticated by a write key, not an API key (routes/segment-tracking.ts). */
    writeKey?: boolean;
  }
  interface FastifyRequest {
    /** The scope of the request's API key, once the key has been checked. */
    apiScope?: Scope;
  }
}

const ENGINE_STATUS: Record<string, number> = {
  RECORD_NOT_FOUND: 404,
  PROFILE_NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  NOT_A_MERGE: 409,
  NOTHING_TO_SPLIT: 409,
  RULES_MISMATCH: 409,
  SOURCE_IN_USE: 409,
  STORE_NOT_EMPTY: 409,
  AMBIGUOUS_IDENTIFIER: 409,
  STORE_LOCKED: 503,
  STORE_UNREACHABLE: 503,
  STORE_AUTH: 503,
  STORE_SCHEMA: 503,
  STORE_CONFLICT: 409,
  STORE_CORRUPT: 500,
  STORE_NOT_FOUND: 503,
  STORE_PATH_UNUSABLE: 503,
  STORE_READ_ONLY: 503,
  STORE_IMPORT_ONLY: 409,
  STORE_FAILED: 503,
  STORE_POSITION_INVALID: 400,
  AUDIENCE_NOT_FOUND: 404,
  AUDIENCE_EXISTS: 409,
  AUDIENCE_ID_INVALID: 400,
  SUPPRESS_NOT_FOUND: 400,
  REVIEW_ITEM_NOT_FOUND: 404,
  REVIEW_ITEM_DECIDED: 409,
};

/** A query without an answer: nothing found is a 404; an identifier it cannot use, a 400 naming the field. */
const QUERY_STATUS: Record<QueryErrorCode, { status: number; code: string }> = {
  NOT_FOUND: { status: 404, code: 'NOT_FOUND' },
  UNKNOWN_TYPE: { status: 400, code: 'VALIDATION_FAILED' },
  UNUSABLE_VALUE: { status: 400, code: 'VALIDATION_FAILED' },
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: deps.bodyLimit ?? 16 * 1024 * 1024,
    requestTimeout: 60_000,
    genReqId: () => crypto.randomUUID(),
    // Longer path parameters answer 414 (see frameworkErrors); the schemas say the same.
    routerOptions: { maxParamLength: 100 },
    // Errors fastify's router answers before any route runs (a path parameter over the length
    // limit, a URL with a broken percent-encoding) get the one error shape too; the URL is not
    // echoed, since it could hold an identifier.
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      // Typed for no route in particular: any status goes.
      (reply as unknown as FastifyReply).status(tooLong ? 414 : 400).send({
        code: tooLong ? 'URI_TOO_LONG' : 'BAD_URL',
        message: tooLong
          ? 'a path parameter is longer than 100 characters'
          : 'the URL holds an invalid percent-encoding',
        requestId: request.id,
      });
    },
    ...loggerOptions(deps.log),
  });
  logRequests(app, deps.log);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  documentErrorResponses(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'idgraph API',
        version: VERSION,
        description:
          'Identity resolution: profiles, lookups, ingest, explanations, decisions, rules, audiences and match-rate reports; Segment-spec tracking calls under /segment/v1.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          segmentWriteKey: {
            type: 'http',
            scheme: 'basic',
            description: 'Segment tracking calls: the write key as the user name, an empty password.',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const rateLimitKeys = new HashedKeys();
  await app.register(rateLimit, {
    max: deps.rateLimitPerMinute ?? 60_000,
    timeWindow: 60_000,
    // Per key, so one busy client cannot starve the others; the key itself is hashed, never logged.
    keyGenerator: (request) => {
      const header = request.headers.authorization;
      return header ? rateLimitKeys.of(header) : request.ip;
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'RATE_LIMITED', `too many requests: ${context.max} per minute; retry in ${context.after}`),
  });

  app.addHook('onRequest', async (request) => {
    const needed = request.routeOptions.config?.scope;
    if (!needed && !request.routeOptions.config?.signedIn) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"');
    const scope = scopeOf(deps.keys, match[1] as string);
    if (!scope) throw new ApiError(401, 'UNAUTHENTICATED', 'the API key is not known');
    request.apiScope = scope;
    if (needed && !grants(scope, needed)) {
      throw new ApiError(403, 'FORBIDDEN', `this route needs the ${needed} scope; the key has ${scope}`);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (
      status: number,
      code: string,
      message: string,
      issues?: readonly { path: string; message: string }[],
    ) => reply.status(status).send({ code, message, requestId: request.id, ...(issues ? { issues } : {}) });
    if (error instanceof ApiError) return send(error.statusCode, error.code, error.message, error.issues);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'invalid',
      }));
      return send(400, 'VALIDATION_FAILED', `${issues.length} problem(s) in the request`, issues);
    }
    if (error instanceof QueryError) {
      const { status, code } = QUERY_STATUS[error.code];
      const issues = error.issue ? [{ path: error.issue.field, message: error.issue.message }] : undefined;
      return send(status, code, error.message, issues);
    }
    if (error instanceof EngineError || error instanceof StoreError || error instanceof AudienceError) {
      return send(ENGINE_STATUS[error.code] ?? 409, error.code, error.message);
    }
    if (error.statusCode === 413) return send(413, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
    if (error.statusCode === 415) return send(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    if (error.code?.startsWith('FST_ERR_CTP')) return send(400, 'INVALID_BODY', error.message);
    if (error.statusCode === 429) return send(429, 'RATE_LIMITED', 'too many requests');
    if (error.statusCode && error.statusCode < 500)
      return send(error.statusCode, error.code ?? 'BAD_REQUEST', error.message);
    request.log.error({ err: { type: error.name, code: error.code } }, 'request failed');
    return send(500, 'INTERNAL', 'internal error; the request id identifies it in the server log');
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      code: 'NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
      requestId: request.id,
    }),
  );

  const catalog = deps.destinations ?? DESTINATIONS;
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Reads go to the store's read side, its hot reads through a cache of the latest commit; every
  // change goes through the engine, one commit at a time, and tells the cache it moved the commit.
  const settings = { ...READ_CACHE_DEFAULTS, ...deps.readCache };
  const raw = deps.engine.readSide().store;
  const cache = new CommitCache(settings.entries);
  const watch = new CommitWatch(raw, cache, settings.pollMs);
  deps.engine.onCommit((commit) => watch.committed(commit.commit));
  const reads = cache.enabled ? new CachedReads(raw, cache, watch) : raw;
  const read = (): ReadSide => ({ ...deps.engine.readSide(), store: reads });
  registerConsistency(app, watch, raw, settings.waitMs);
  // Several instances can serve one Neo4j graph: rules applied through another are taken up here
  // within a second for reads, and before any write (the engine checks the store's rules first).
  // Liveness and readiness answer whatever the store does.
  const storeFree = new Set(['/v1/health', '/v1/ready']);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/v1/') && !storeFree.has(request.routeOptions.url ?? '')) {
      await deps.engine.followStoredRulesEvery(RULES_FOLLOW_MS);
    }
  });
  registerHealthRoutes(app, read);
  registerMetrics(app, deps.engine, read, cache);
  registerProfileRoutes(app, read);
  registerLookupRoutes(app, read);
  registerRecordRoutes(app, deps.engine, read);
  registerDecisionRoutes(app, deps.engine);
  registerReviewRoutes(app, deps.engine, read);
  registerErasureRoutes(app, deps.engine, read, deps.audiences);
  const audienceService = () =>
    new AudienceService(read().store, read().rules, deps.audiences, catalog, Date.now, {
      ...(deps.audienceWork ? { workFolder: deps.audienceWork } : {}),
    });
  registerRulesRoutes(app, deps.engine, read);
  // The overview's figures are counted once, in the background from start-up, then kept current.
  const overview = new OverviewTally(read);
  deps.engine.onCommit((commit) => overview.committed(commit));
  keepOverviewCurrent(app, overview);
  registerStatsRoutes(app, read, overview);
  registerAudienceRoutes(app, audienceService);
  registerOverviewRoutes(app, overview);
  registerMeRoutes(app);
  registerSegmentTrackingRoutes(app, {
    engine: deps.engine,
    read,
    writeKeys: deps.segmentWriteKeys ?? [],
  });
  registerSegmentRoutes(
    app,
    new Segments(
      () => read().store,
      () => read().rules,
      audienceService,
      deps.audiences,
    ),
  );
  // The console replaces the home page at `/` when it is built (npm run build).
  await registerConsole(app, deps.consoleAssets);
  return app;
}
