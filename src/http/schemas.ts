/** Request and response schemas shared by the routes; the OpenAPI document is generated from them. */
import { z } from 'zod';

export const errorSchema = z
  .object({
    code: z.string().describe('Stable error code, e.g. VALIDATION_FAILED, NOT_FOUND, FORBIDDEN.'),
    message: z.string(),
    requestId: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('Every error answer.');

export const recordRefSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*:.+$/, 'a record reference is source:record_id')
  .describe('A record reference: source:record_id, e.g. crm:1001.');

export const identifierInputSchema = z
  .object({
    type: z.string().min(1).describe('Identifier type of the rules, e.g. email.'),
    value: z.string().min(1).max(512).describe('The raw value; it is normalized by the rules first.'),
    country: z.string().length(2).optional().describe('Default country (ISO-2) for phone numbers.'),
  })
  .strict();

export const evidenceSchema = z.object({
  field: z.string(),
  values: z.array(z.string()),
  comparator: z.string().optional(),
  similarity: z.number().optional(),
  distance: z.number().optional(),
  weight: z.number().optional(),
  termFrequencyAdjustment: z
    .number()
    .optional()
    .describe(
      'A comparison with term_frequency on an agreement: what the rarity of the value added (negative: its commonness took away).',
    ),
});

export const edgeSchema = z.object({
  a: z.string(),
  b: z.string(),
  rule: z.string(),
  evidence: z.array(evidenceSchema),
  score: z.number().optional(),
});

export const apartReasonSchema = z
  .object({
    reason: z.enum([
      'no_shared_evidence',
      'rule_field_missing',
      'field_differs',
      'shared_value',
      'score_below_threshold',
      'guard_conflict',
      'manual_decision',
      'conflicting_value',
      'identifier_limit',
      'profile_size_cap',
      'would_join_now',
    ]),
    rule: z.string().optional(),
    field: z.string().optional(),
    side: z.enum(['a', 'b']).optional().describe("Whose profile: the first one's (a) or the second's (b)."),
    value: z.string().optional().describe('Masked.'),
    others: z.array(z.string()).optional().describe('Masked.'),
    comparator: z.string().optional(),
    score: z.number().optional(),
    threshold: z.number().optional(),
  })
  .describe('One thing that kept two records apart.');

export const profileSchema = z.object({
  profileId: z.string(),
  mergedFrom: z.string().optional().describe('Set when the ID asked for was merged into this profile.'),
  asOf: z.string().optional().describe('Set when the profile is shown as it was at this instant.'),
  records: z.array(z.string()),
  identifiers: z.array(z.object({ type: z.string(), value: z.string(), records: z.array(z.string()) })),
  attributes: z.record(
    z.string(),
    z.object({ value: z.string(), from: z.string(), agreeing: z.number(), alternatives: z.number() }),
  ),
  evidence: z
    .array(edgeSchema)
    .optional()
    .describe('The evidence holding the records together (a spanning forest); absent with `at`.'),
});

export const eventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  at: z.string(),
  actor: z.string(),
  rulesVersion: z.string(),
  before: z.array(z.string()),
  after: z.array(z.string()),
  records: z.array(z.string()),
  parts: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe('Splits: the records each receiving profile took.'),
  rule: z.string().optional(),
  evidence: z.array(edgeSchema),
  cause: z.string().optional(),
  note: z.string().optional(),
  decisionId: z.string().optional(),
});

export const commitSummarySchema = z.object({
  commit: z.number().nullable(),
  profilesCreated: z.number(),
  merges: z.number(),
  splits: z.number(),
});

export const profileIdParams = z.object({ id: z.string().min(1).max(100) });
