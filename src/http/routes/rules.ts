import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadRules } from '../../core/rules/load.js';
import type { Engine } from '../../engine/engine.js';
import { loadRulesText } from '../../engine/rules/load-rules.js';
import { rulesDiffReport } from '../../engine/rules/rules-diff.js';
import type { ReadSide } from '../../queries/read-side.js';
import { ApiError } from '../api-error.js';
import { commitSummarySchema, errorSchema } from '../schemas.js';

const problemSchema = z.object({
  line: z.number(),
  column: z.number(),
  path: z.string(),
  message: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
});
const rulesBody = z.object({ text: z.string().min(1).max(1_000_000).describe('The rules file (YAML).') }).strict();

export function registerRulesRoutes(app: FastifyInstance, engine: Engine, read: () => ReadSide): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const parse = (text: string) => {
    const loaded = loadRulesText(text, 'request');
    if (!loaded.ok) {
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        'the rules are invalid',
        loaded.problems.map((problem) => ({ path: 'text', message: problem })),
      );
    }
    return loaded.rules;
  };

  routes.get(
    '/v1/rules',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'The rules in force: their text and version.',
        tags: ['rules'],
        response: { 200: z.object({ version: z.string(), text: z.string() }) },
      },
    },
    async () => {
      const { rules } = read();
      return { version: rules.version, text: rules.text };
    },
  );

  routes.post(
    '/v1/rules/validate',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Validate a rules file: every problem with line and column.',
        tags: ['rules'],
        body: rulesBody,
        response: {
          200: z.object({ valid: z.boolean(), version: z.string().optional(), problems: z.array(problemSchema) }),
        },
      },
    },
    async (request) => {
      const result = loadRules(request.body.text);
      return result.ok
        ? { valid: true, version: result.version, problems: result.warnings }
        : { valid: false, problems: result.problems };
    },
  );

  routes.post(
    '/v1/rules/diff',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Dry run of new rules: profiles that would merge or split, records that would move. Writes nothing.',
        tags: ['rules'],
        body: rulesBody,
        response: {
          200: z.object({
            version: z.string(),
            records: z.number(),
            profilesBefore: z.number(),
            profilesAfter: z.number(),
            recordsMoving: z.number(),
            newProfiles: z.number(),
            reviewOpened: z.number().describe('Review items the new rules would open (see GET /v1/review).'),
            reviewClosed: z.number().describe('Open review items the new rules would close.'),
            merges: z.array(z.object({ before: z.array(z.string()), after: z.string(), rule: z.string().optional() })),
            splits: z.array(z.object({ before: z.string(), after: z.array(z.string()) })),
          }),
          400: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (request) => {
      const next = parse(request.body.text);
      const { plan, records } = await engine.planRules(next);
      const report = rulesDiffReport(plan, records);
      return {
        version: next.version,
        ...report,
        merges: report.merges.map((merge) => ({ ...merge, before: [...merge.before] })),
        splits: report.splits.map((split) => ({ ...split, after: [...split.after] })),
      };
    },
  );

  routes.post(
    '/v1/rules/apply',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Re-resolve the graph under new rules; manual decisions carry over.',
        tags: ['rules'],
        body: rulesBody.extend({ actor: z.string().min(1).max(200) }),
        response: { 200: commitSummarySchema.extend({ version: z.string() }), 400: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const next = parse(request.body.text);
      const summary = await engine.applyRules(next, `user:${request.body.actor}`);
      return { ...summary, commit: summary.commit ?? null, version: next.version };
    },
  );
}
