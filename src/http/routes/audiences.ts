/**
 * Audiences over HTTP: create one from member rows, preview it in people, report its match rate for
 * one destination or all, and stream its upload file. Reports resolve the members against the graph
 * as it is at the time of the request.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AudienceService, parseMembers } from '../../audience/audience-service.js';
import { type ReportRun, ReportRuns } from '../../audience/report-runs.js';
import type { MatchReport } from '../../core/audience/report-types.js';
import { DESTINATION_IDS } from '../../core/destinations/destination-profile.js';
import { ApiError } from '../api-error.js';
import {
  audienceDefinitionSchema,
  audienceIdSchema,
  audiencePreviewSchema,
  destinationSchema,
  matchReportSchema,
  memberRowSchema,
  reportRunSchema,
} from '../audience-schemas.js';
import { errorSchema } from '../schemas.js';

const MAX_MEMBERS_PER_REQUEST = 200_000;
const REJECTIONS_LISTED = 100;

export function registerAudienceRoutes(
  app: FastifyInstance,
  /** Built per request: the rules in use can change (rules apply) while the server runs. */
  service: () => AudienceService,
  runs: ReportRuns = new ReportRuns(),
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const idParams = z.object({ id: audienceIdSchema });

  api.post(
    '/v1/audiences',
    {
      config: { scope: 'write' },
      schema: {
        summary: 'Create (or replace) an audience from member rows; rows it cannot use are listed, the rest kept.',
        tags: ['audiences'],
        body: z
          .object({
            id: audienceIdSchema,
            name: z.string().min(1).max(200).optional(),
            suppress: z.array(audienceIdSchema).max(20).optional().describe('Audiences whose people are removed.'),
            replace: z.boolean().optional().describe('Replace an audience of the same id.'),
            members: z.array(memberRowSchema).min(1).max(MAX_MEMBERS_PER_REQUEST),
          })
          .strict(),
        response: {
          201: z.object({
            audience: audienceDefinitionSchema,
            preview: audiencePreviewSchema,
            rejected: z
              .array(z.object({ index: z.number(), reason: z.string() }))
              .describe(`The first ${REJECTIONS_LISTED} rejected rows, by index in members.`),
          }),
          400: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const { id, name, suppress, replace, members } = request.body;
      const audiences = service();
      const outcome = parseMembers(
        members.map((row, index) => ({ line: index, row })),
        audiences.rules,
      );
      const audience = await audiences.create(id, outcome, {
        ...(name ? { name } : {}),
        ...(suppress ? { suppress } : {}),
        ...(replace ? { replace } : {}),
      });
      const preview = await audiences.preview(id);
      const rejected = outcome.rejected
        .slice(0, REJECTIONS_LISTED)
        .map((rejection) => ({ index: rejection.line, reason: rejection.reason }));
      return reply.status(201).send({ audience, preview, rejected });
    },
  );

  api.get(
    '/v1/audiences',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'The audiences, with their sizes in rows.',
        tags: ['audiences'],
        response: { 200: z.object({ audiences: z.array(audienceDefinitionSchema) }) },
      },
    },
    async () => ({ audiences: await service().audiences.list() }),
  );

  api.get(
    '/v1/audiences/:id',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'One audience and its preview counts in people.',
        tags: ['audiences'],
        params: idParams,
        response: {
          200: z.object({ audience: audienceDefinitionSchema, preview: audiencePreviewSchema }),
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const audiences = service();
      const audience = await audiences.audiences.require(request.params.id);
      return { audience, preview: await audiences.preview(request.params.id) };
    },
  );

  api.get(
    '/v1/audiences/:id/report',
    {
      config: { scope: 'report' },
      schema: {
        summary:
          'Match-rate report for one destination: funnel in people, coverage before and after resolution, ' +
          'invalid and junk values, expected matches, ranked fixes.',
        tags: ['audiences'],
        params: idParams,
        querystring: z.object({ destination: destinationSchema }),
        response: { 200: matchReportSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => service().report(request.params.id, request.query.destination),
  );

  const runView = (run: ReportRun) => ({
    runId: run.id,
    audience: run.audience,
    destination: run.destination,
    startedAt: run.startedAt,
    status: run.status,
    progress: run.progress,
    ...(run.report ? { report: run.report } : {}),
    ...(run.error ? { error: run.error } : {}),
  });

  api.post(
    '/v1/audiences/:id/report-runs',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'Start a match-rate report in the background; follow it with GET /v1/report-runs/{runId}.',
        description:
          'For large audiences, so a client can show progress: member rows resolved, then the rows of the people evaluated. Runs are kept by the instance that started them, for 15 minutes after they end.',
        tags: ['audiences'],
        params: idParams,
        body: z.object({ destination: destinationSchema }).strict(),
        response: { 202: reportRunSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const audiences = service();
      // An unknown audience is a 404 now, not a failed run later.
      await audiences.audiences.require(request.params.id);
      const run = runs.start(
        request.params.id,
        request.body.destination,
        async (id, destination, progress) => (await audiences.reports(id, [destination], progress))[0] as MatchReport,
        (error) => {
          if (error instanceof Error && 'code' in error && typeof error.code === 'string')
            return { code: error.code, message: error.message };
          request.log.error({ err: { type: (error as Error)?.name } }, 'report run failed');
          return { code: 'INTERNAL', message: 'the report failed; the run id identifies it in the server log' };
        },
      );
      reply.status(202);
      return runView(run);
    },
  );

  api.get(
    '/v1/report-runs/:runId',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'A background report: its progress while it runs, then its report (or why it failed).',
        tags: ['audiences'],
        params: z.object({ runId: z.string().max(100) }),
        response: { 200: reportRunSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const run = runs.get(request.params.runId);
      if (!run) throw new ApiError(404, 'NOT_FOUND', 'no such report run (runs are kept 15 minutes after they end)');
      return runView(run);
    },
  );

  api.get(
    '/v1/audiences/:id/reports',
    {
      config: { scope: 'report' },
      schema: {
        summary: 'The match-rate report for every destination, from one resolution of the audience.',
        tags: ['audiences'],
        params: idParams,
        response: { 200: z.object({ reports: z.array(matchReportSchema) }), 404: errorSchema },
      },
    },
    async (request) => ({ reports: await service().reports(request.params.id, DESTINATION_IDS) }),
  );

  api.get(
    '/v1/audiences/:id/export',
    {
      config: { scope: 'report' },
      schema: {
        summary:
          "The destination's upload file as CSV: its columns, values normalized and hashed its way, " +
          'people without a match key left out. Streamed.',
        tags: ['audiences'],
        params: idParams,
        querystring: z.object({ destination: destinationSchema }),
        response: {
          // The file is CSV; errors are JSON like every other error answer.
          200: { description: 'CSV with a header row.', content: { 'text/csv': { schema: z.string() } } },
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const chunks = await service().exportCsv(request.params.id, request.query.destination);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${request.params.id}-${request.query.destination}.csv"`)
          // The body is a stream of CSV text, not the JSON the response schema serializer handles.
          .send(Readable.from(chunks) as unknown as string)
      );
    },
  );
}
