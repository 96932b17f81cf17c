/** Request and response schemas of the review routes; they mirror core/review/review-item.ts and queries/review.ts. */
import { z } from 'zod';
import { REVIEW_PAGE_DEFAULT, REVIEW_PAGE_MAX } from '../queries/review.js';
import { evidenceSchema } from './schemas.js';

export const reviewItemSchema = z
  .object({
    id: z.string().describe('r_ and 20 hex digits, derived from the pair: one item per pair of records.'),
    a: z.string().describe('The first record of the pair (reference order).'),
    b: z.string(),
    kind: z.enum(['score_band', 'refused']),
    rule: z.string(),
    reason: z
      .enum(['guard_conflict', 'identifier_limit', 'profile_size_cap', 'conflicting_value', 'shared_value'])
      .optional()
      .describe('refused items: what refused the merge.'),
    score: z.number().optional().describe("Fuzzy rules: the pair's score when it was found."),
    threshold: z.number().optional().describe("Fuzzy rules: the rule's min_score."),
    field: z.string().optional().describe('The guarded field of a guard_conflict, the field of a shared_value.'),
    conflict: z
      .object({
        comparator: z.string(),
        value: z.string().describe('Masked.'),
        side: z.enum(['a', 'b']).describe("Whose profile holds the value: record a's or b's."),
        others: z.array(z.string()).describe('Masked.'),
      })
      .optional()
      .describe('guard_conflict: the value with no partner on the other side, and that side’s values.'),
    status: z.enum(['open', 'decided']),
    createdCommit: z.number(),
    createdAt: z.string(),
    updatedCommit: z.number(),
    updatedAt: z.string(),
    decision: z
      .object({
        action: z.enum(['link', 'keep_apart']),
        actor: z.string(),
        at: z.string(),
        decisionId: z.string().describe('The manual decision recorded for it.'),
        note: z.string().optional(),
      })
      .optional(),
  })
  .describe('A pair of records kept apart that a data steward links or keeps apart. Holds no record values.');

export const reviewListQuery = z.object({
  status: z.enum(['open', 'decided', 'all']).default('open'),
  rule: z.string().min(1).max(100).optional().describe('Only items of this rule.'),
  kind: z.enum(['score_band', 'refused']).optional(),
  limit: z.coerce.number().int().min(1).max(REVIEW_PAGE_MAX).default(REVIEW_PAGE_DEFAULT),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export const reviewListSchema = z.object({
  items: z.array(reviewItemSchema),
  total: z.number().describe('Items matching the filters, in all pages.'),
  offset: z.number(),
  limit: z.number(),
});

const reviewRecordSchema = z.object({
  ref: z.string(),
  source: z.string(),
  recordId: z.string(),
  profileId: z.string().nullable(),
  seen: z.string().nullable().describe("The record's timestamp, or null when its source has none."),
});

export const reviewViewSchema = z.object({
  item: reviewItemSchema,
  records: z.array(reviewRecordSchema).describe('Record a, then record b.'),
  fields: z
    .array(
      z.object({
        field: z.string(),
        a: z.array(z.string()).describe("Record a's values, normalized."),
        b: z.array(z.string()),
        agree: z
          .boolean()
          .nullable()
          .describe('Whether a value of one equals one of the other; null when a side has none.'),
        inRule: z.boolean().describe("Whether the item's rule reads the field."),
      }),
    )
    .describe("Every field either record holds, the rule's first."),
  scoring: z
    .object({
      rule: z.string(),
      score: z.number(),
      threshold: z.number(),
      reviewFrom: z.number().optional(),
      evidence: z.array(evidenceSchema),
    })
    .optional()
    .describe('For a fuzzy rule in force: the pair scored now, comparison by comparison.'),
});

export const reviewDecisionBody = z
  .object({
    action: z.enum(['link', 'keep_apart']).describe('Link the two records, or keep them apart for good.'),
    actor: z.string().min(1).max(200).describe('Who decides; recorded on the item and the decision.'),
    note: z.string().max(1000).optional().describe('Why, for the history. No personal data.'),
  })
  .strict();

export const reviewIdParams = z.object({ id: z.string().min(1).max(100) });
