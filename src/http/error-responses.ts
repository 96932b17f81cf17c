/**
 * The error answers every route can give, added to each route's response map as it is declared,
 * so the OpenAPI document lists them (and replies are serialized by the one error schema) without
 * each route repeating them: 401 and 403 where a key is needed, 400 wherever the request carries
 * input, 413 and 415 with a body (but for Segment tracking calls), 404 and 414 with path parameters, 429, 500 and 503 everywhere the
 * rate limit and the store reach. A route's own entry for a status (a 404 with its meaning) wins.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { z } from 'zod';
import { errorSchema } from './schemas.js';

type Described = Record<number, string>;

const ALWAYS: Described = {
  429: 'Too many requests for this API key in the current minute (RATE_LIMITED).',
  500: 'An internal error; the requestId identifies it in the server log (INTERNAL).',
};
const WITH_KEY: Described = {
  401: 'No API key, or one that is not known (UNAUTHENTICATED).',
  403: "The API key's scope does not allow this route (FORBIDDEN).",
  503:
    'The store cannot be reached or used right now (STORE_UNREACHABLE, STORE_LOCKED...), or this instance did not ' +
    'see the commit of an Idgraph-Consistency header within the wait limit (CONSISTENCY_TIMEOUT).',
};
const WITH_INPUT: Described = {
  400:
    'The request breaks its schema (VALIDATION_FAILED, every problem in issues), its body is not JSON (INVALID_BODY), ' +
    'or its Idgraph-Consistency header names a commit a one-process store never gave (CONSISTENCY_UNKNOWN_COMMIT).',
};
const WITH_BODY: Described = {
  413: 'The body is over the size limit (PAYLOAD_TOO_LARGE).',
  415: 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE).',
};
const WITH_PARAMS: Described = {
  404: 'Nothing has that ID (NOT_FOUND).',
  414: 'A path parameter is over 100 characters (URI_TOO_LONG).',
};

/** Adds the 400 of a request with input to a route's responses (unless it has its own). */
export function documentInputErrors(schema: NonNullable<RouteOptions['schema']>): void {
  schema.response ??= {};
  const response = schema.response as Record<number, unknown>;
  for (const [status, description] of Object.entries(WITH_INPUT)) {
    response[Number(status)] ??= errorSchema.describe(description) satisfies z.ZodType;
  }
}

export function documentErrorResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as (RouteOptions['schema'] & { hide?: boolean }) | undefined;
    if (!schema || schema.hide) return;
    schema.response ??= {};
    const response = schema.response as Record<number, unknown>;
    const add = (described: Described) => {
      for (const [status, description] of Object.entries(described)) {
        response[Number(status)] ??= errorSchema.describe(description) satisfies z.ZodType;
      }
    };
    add(ALWAYS);
    if (route.config?.scope) add(WITH_KEY);
    // Any valid key may call a signed-in route (GET /v1/me): it refuses no scope, so no 403.
    else if (route.config?.signedIn) add({ 401: WITH_KEY[401] as string, 503: WITH_KEY[503] as string });
    if (schema.body || schema.querystring || schema.params) add(WITH_INPUT);
    // Segment tracking calls read any body as JSON and answer an oversized one 400, as Segment does.
    if (schema.body && !route.config?.writeKey) add(WITH_BODY);
    if (schema.params) add(WITH_PARAMS);
  });
}
