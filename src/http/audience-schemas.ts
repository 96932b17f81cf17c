/** Request and response schemas of the audience routes; the report schema mirrors core/audience/report-types.ts. */
import { z } from 'zod';
import { DESTINATION_IDS } from '../core/destinations/destination-profile.js';

export const audienceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, "-" and "_", up to 64')
  .describe('Audience id, e.g. spring-sale.');

export const destinationSchema = z.enum(DESTINATION_IDS).describe('A destination platform.');

export const audienceDefinitionSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  suppress: z.array(z.string()).readonly().describe('Audiences whose people are removed from this one.'),
  rows: z.number(),
  rowsRejected: z.number(),
  rejectedByReason: z.record(z.string(), z.number()),
});

export const audiencePreviewSchema = z
  .object({
    rows: z.number(),
    rowsRejected: z.number(),
    rowsNotFound: z.number().describe('Rows naming a record or profile the graph does not hold.'),
    rowsUnresolved: z.number().describe('Raw-identifier rows matching no profile; still counted as people.'),
    people: z.number().describe('People after resolution and suppression.'),
    suppressed: z.number(),
  })
  .describe('Rows in, people out, resolved against the graph as it is now.');

export const memberRowSchema = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .describe(
    'One member: {profile_id}, {source, record_id}, or raw identifiers named as in the rules file ' +
      '(email, phone, device_id, first_name, country...).',
  );

const countSchema = z.number().int();
const likelihoodSchema = z.object({ low: z.number(), mid: z.number(), high: z.number() });

export const matchReportSchema = z
  .object({
    audience: z.object({
      id: z.string(),
      name: z.string(),
      createdAt: z.string(),
      suppress: z.array(z.string()).readonly(),
    }),
    destination: z.object({ platform: destinationSchema, name: z.string(), normalizationProfile: z.string() }),
    graph: z.object({ rulesVersion: z.string(), lastCommit: z.number(), resolvedAt: z.string() }),
    funnel: z.object({
      audienceRows: countSchema,
      rowsRejected: countSchema,
      rowsUnresolved: countSchema,
      rowsNotFound: countSchema,
      sourceRecords: countSchema,
      profilesAfterResolution: countSchema,
      profilesWithAnyAcceptedId: countSchema,
      profilesExcluded: z.object({ suppressed: countSchema, noValidId: countSchema }),
      profilesSendable: countSchema,
      rowsSent: countSchema,
      identifiersSent: countSchema,
    }),
    rates: z.object({
      addressability: z.number().describe('Sendable people over people after suppression.'),
      expectedPeopleMatchRate: likelihoodSchema,
      vsTargetingMin: z.object({
        min: countSchema,
        matchedEst: countSchema,
        status: z.enum(['above', 'at_risk', 'below']),
        note: z.string(),
      }),
    }),
    identifierCoverage: z
      .array(
        z.object({
          type: z.string(),
          accepted: z.literal(true),
          hashed: z.boolean(),
          profilesBefore: countSchema,
          profilesAfter: countSchema,
          valuesRaw: countSchema,
          valuesValid: countSchema,
          valuesInvalid: countSchema,
          valuesJunk: countSchema,
          valuesPerProfile: z.object({ mean: z.number(), p95: z.number() }),
          uniqueNormalized: countSchema,
          priorMatchRate: z.number().nullable(),
          estMatchedPeople: z.number().nullable(),
        }),
      )
      .readonly(),
    resolutionLift: z.object({
      profilesBefore: countSchema,
      profilesAfter: countSchema,
      recordsMerged: countSchema,
      gainedAnyId: countSchema,
      gainedSecondIdType: countSchema,
      multiKeyProfiles: countSchema,
      coverageDeltaByType: z.record(z.string(), z.number()),
      sendableBefore: countSchema,
      estMatchedBefore: countSchema,
      estMatchedLift: z.number(),
    }),
    invalid: z
      .array(
        z.object({
          field: z.string(),
          reason: z.string(),
          count: countSchema,
          share: z.number(),
          redactedSamples: z.array(z.string()).readonly(),
        }),
      )
      .readonly(),
    junk: z.array(z.object({ field: z.string(), rule: z.string(), count: countSchema })).readonly(),
    duplicates: z.object({
      rowsPerProfile: z.number(),
      sharedIdentifiers: countSchema,
      collapsedByNormalization: countSchema,
    }),
    quality: z.object({
      workEmailShare: z.number(),
      freemailShare: z.number(),
      idAgeDays: z.object({ p50: z.number().nullable(), p90: z.number().nullable() }),
      staleShare: z.number(),
    }),
    expectedMatch: z.object({
      low: countSchema,
      mid: countSchema,
      high: countSchema,
      method: z.string(),
      assumptions: z.array(z.string()).readonly(),
    }),
    fixes: z
      .array(
        z.object({
          rank: countSchema,
          code: z.string(),
          title: z.string(),
          affectedProfiles: countSchema,
          estAddedMatches: z.number(),
          effort: z.enum(['low', 'medium', 'high']),
          evidence: z.string(),
        }),
      )
      .readonly(),
    caveats: z.array(z.string()).readonly(),
  })
  .describe('The match-rate report of one audience for one destination; counts are people unless named otherwise.');

export const reportRunSchema = z
  .object({
    runId: z.string(),
    audience: z.string(),
    destination: destinationSchema,
    startedAt: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    progress: z
      .object({ step: z.enum(['members', 'people']), done: z.number(), total: z.number() })
      .describe('Member rows resolved (members), then the member rows of the people evaluated (people).'),
    report: matchReportSchema.optional().describe('Once done.'),
    error: z.object({ code: z.string(), message: z.string() }).optional().describe('Once failed.'),
  })
  .describe('A match-rate report running in the background.');
