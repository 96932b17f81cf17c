/**
 * Segment's HTTP tracking API under /segment/v1, so the SDKs of Segment and RudderStack can send
 * to idgraph unchanged: identify, track, page, screen, group, alias and batch (and the one-letter
 * paths analytics.js posts to). They answer as Segment does: 200 `{"success":true}` once the call
 * is recorded, whatever became of its events (those that cannot be recorded are counted in the log);
 * 400 for a body that is not JSON or is over the size limits; 401 for a missing or unknown write key.
 * Errors carry `success: false` beside the usual `{code, message, requestId}`.
 *
 * The routes live in a scope of their own: it reads any body as JSON (analytics.js sends
 * text/plain to spare browsers a preflight), answers cross-origin calls from web pages, and has its
 * own error answers. They authenticate by write key, not by API key: they set no scope, so the
 * app's API-key check lets them through.
 */
import cors from '@fastify/cors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { EngineError } from '../../engine/engine-error.js';
import { StoreError } from '../../store/store-error.js';
import type { TrackingDeps } from '../../tracking/record-events.js';
import { eventsOfCall } from '../../tracking/segment-call.js';
import { rowsOfEvents } from '../../tracking/segment-row.js';
import { BATCH_BYTES_LIMIT, EVENT_BYTES_LIMIT, type SegmentCall } from '../../tracking/segment-spec.js';
import { type GroupSummary, TrackingWriter } from '../../tracking/tracking-writer.js';
import { presentedWriteKey, sourceOfWriteKey, type WriteKeySource } from '../../tracking/write-keys.js';
import { ApiError } from '../api-error.js';
import {
  aliasEvent,
  batchBody,
  groupEvent,
  identifyEvent,
  pageEvent,
  screenEvent,
  segmentAcceptedSchema,
  segmentErrorSchema,
  trackEvent,
} from '../segment-schemas.js';

export interface SegmentTrackingDeps extends TrackingDeps {
  readonly writeKeys: readonly WriteKeySource[];
}

const CALLS: readonly { call: SegmentCall | 'batch'; short: string; body: z.ZodType; summary: string }[] = [
  { call: 'identify', short: 'i', body: identifyEvent, summary: 'Who the person is: their IDs and traits.' },
  { call: 'track', short: 't', body: trackEvent, summary: 'An action the person took.' },
  { call: 'page', short: 'p', body: pageEvent, summary: 'A page the person viewed.' },
  { call: 'screen', short: 's', body: screenEvent, summary: 'A screen of an app the person viewed.' },
  { call: 'group', short: 'g', body: groupEvent, summary: 'The group (company, account) the person belongs to.' },
  {
    call: 'alias',
    short: 'a',
    body: aliasEvent,
    summary: 'Two IDs of one person: their records are force-linked, the source as the actor.',
  },
  { call: 'batch', short: 'b', body: batchBody, summary: 'Many events of any type in one call.' },
];

const DESCRIPTION =
  'Segment-spec tracking call, authenticated by a write key (IDGRAPH_SEGMENT_WRITE_KEYS) sent as the Basic auth ' +
  'user name with an empty password, or as `writeKey` in the body. The body is read as JSON whatever its ' +
  "content type. Events are recorded as records of the key's source, keyed by messageId, and resolved at once. " +
  `An event over ${EVENT_BYTES_LIMIT / 1024} KB, or a body over ${BATCH_BYTES_LIMIT / 1024} KB, is answered 400 ` +
  "(a batch's other events are recorded); an event lacking what the spec requires (userId or anonymousId, a " +
  "track's event name...) or with fields of the wrong type is dropped and the call still answered 200, as " +
  'Segment does; the server log counts such events by reason.';

const ERRORS = {
  400: segmentErrorSchema.describe(
    'The body is not JSON or not an object (INVALID_BODY, VALIDATION_FAILED), or over the size limits (PAYLOAD_TOO_LARGE, EVENT_TOO_LARGE).',
  ),
  401: segmentErrorSchema.describe('No write key, or one that is not known (UNAUTHENTICATED).'),
  429: segmentErrorSchema.describe('Too many requests in the current minute (RATE_LIMITED).'),
  500: segmentErrorSchema.describe('An internal error; the requestId identifies it in the server log (INTERNAL).'),
  503: segmentErrorSchema.describe(
    "The events could not be recorded now (the store, or the rules lack the key's source); retry later.",
  ),
};

export function registerSegmentTrackingRoutes(app: FastifyInstance, deps: SegmentTrackingDeps): void {
  // Counts and reasons only: the events' identifiers never reach the log.
  const logGroup = (summary: GroupSummary) => {
    const troubled = Object.keys(summary.rejected).length > 0 || Object.keys(summary.refusedValues).length > 0;
    if (troubled) app.log.warn({ segment: summary }, 'segment events dropped or values refused');
    else app.log.debug({ segment: summary }, 'segment events recorded');
  };
  const writer = new TrackingWriter(deps, logGroup);
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: BATCH_BYTES_LIMIT },
      scope.getDefaultJsonParser('remove', 'remove'),
    );
    await scope.register(cors, { origin: '*', methods: ['POST'], maxAge: 86_400 });
    scope.setErrorHandler(answerError);
    for (const { call, short, body, summary } of CALLS) {
      for (const path of [call, short]) {
        scope.withTypeProvider<ZodTypeProvider>().post(
          `/segment/v1/${path}`,
          {
            bodyLimit: BATCH_BYTES_LIMIT,
            config: { writeKey: true },
            // The schema documents the spec; events are checked one by one (segment-row.ts), so a
            // bad field drops its event, not the call.
            validatorCompiler: () => (data) => ({ value: data }),
            schema: {
              summary: path === short ? `${call}, at the short path analytics.js posts to.` : summary,
              description: DESCRIPTION,
              tags: ['segment'],
              security: [{ segmentWriteKey: [] }],
              body,
              response: { 200: segmentAcceptedSchema, ...ERRORS },
            },
          },
          async (request) => {
            const source = authenticate(request, deps.writeKeys);
            const split = eventsOfCall(call, request.body);
            if (!split.ok) {
              throw new ApiError(400, 'VALIDATION_FAILED', split.message, [
                { path: split.field, message: split.message },
              ]);
            }
            const { rules } = deps.read();
            if (rules.file.sources[source]?.key !== 'messageId') {
              throw new ApiError(
                503,
                'SOURCE_NOT_READY',
                `the rules in force have no source "${source}" keyed by messageId for this write key`,
              );
            }
            const { rows, rejected } = rowsOfEvents(split.events, new Date().toISOString());
            await writer.record(source, rows, [...split.rejected, ...rejected]);
            const tooLarge = split.rejected.filter(({ reason }) => reason === 'EVENT_TOO_LARGE');
            if (tooLarge.length > 0) {
              const where = call === 'batch' ? tooLarge.map(({ index }) => `batch[${index}]`).join(', ') : 'the event';
              throw new ApiError(
                400,
                'EVENT_TOO_LARGE',
                `${where} over ${EVENT_BYTES_LIMIT / 1024} KB, not recorded` +
                  (call === 'batch' ? `; the other events were (${rows.length})` : ''),
              );
            }
            return { success: true as const };
          },
        );
      }
    }
  });
}

function authenticate(request: FastifyRequest, keys: readonly WriteKeySource[]): string {
  const presented = presentedWriteKey(request.headers.authorization, request.body);
  if (presented === undefined) {
    throw new ApiError(
      401,
      'UNAUTHENTICATED',
      'send the write key as the Basic auth user name (empty password), or as writeKey in the body',
    );
  }
  const source = sourceOfWriteKey(keys, presented);
  if (source === undefined) throw new ApiError(401, 'UNAUTHENTICATED', 'the write key is not known');
  return source;
}

/**
 * Errors as Segment's libraries expect them: a 400 for any body problem (size included, where the
 * rest of the API says 413), a 5xx they retry for anything the store or the rules refuse now.
 */
function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (status: number, code: string, message: string, issues?: ApiError['issues']) =>
    (reply as FastifyReply).status(status).send({
      success: false,
      code,
      message,
      requestId: request.id,
      ...(issues ? { issues } : {}),
    });
  if (error instanceof ApiError) return send(error.statusCode, error.code, error.message, error.issues);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return send(400, 'PAYLOAD_TOO_LARGE', `the body is over ${BATCH_BYTES_LIMIT / 1024} KB`);
  }
  // The parser's message could quote the body: it is not echoed.
  if (error.statusCode === 400 || error.code?.startsWith('FST_ERR_CTP')) {
    return send(400, 'INVALID_BODY', 'the body is not valid JSON');
  }
  if (error instanceof EngineError || error instanceof StoreError) return send(503, error.code, error.message);
  if (error.statusCode === 429) return send(429, 'RATE_LIMITED', 'too many requests');
  request.log.error({ err: { type: error.name, code: error.code } }, 'segment call failed');
  return send(500, 'INTERNAL', 'internal error; the request id identifies it in the server log');
}
