/**
 * The Segment tracking calls as the OpenAPI document describes them. They document the spec's
 * payloads; the routes do not refuse a call whose fields break them (see routes/segment-tracking.ts):
 * as Segment does, such an event is answered 200 and dropped, counted in the server log.
 */
import { z } from 'zod';
import { errorSchema } from './schemas.js';

const id = z.union([z.string(), z.number()]);
const object = z.record(z.string(), z.unknown());

const common = {
  messageId: z
    .string()
    .max(100)
    .optional()
    .describe('Identifies the event: a retried delivery with the same messageId is recorded once.'),
  userId: id.optional().describe('Your ID of the person (a user ID identifier). userId or anonymousId is required.'),
  anonymousId: id.optional().describe('The device or browser ID of a visitor not known yet (a cookie identifier).'),
  timestamp: z.string().optional().describe('ISO 8601: when it happened; the time of the record.'),
  sentAt: z.string().optional().describe('ISO 8601: when the library sent it.'),
  context: object
    .optional()
    .describe('Context: `traits` (email, phone, firstName, lastName, address), `device` (advertisingId), ip...'),
  integrations: object.optional(),
  writeKey: z.string().optional().describe('The write key, for libraries that cannot send it as the Basic user.'),
};

const traits = object.optional().describe('Traits of the person: email, phone, firstName, lastName, address.');

export const identifyEvent = z.object({ ...common, traits }).loose();
export const trackEvent = z
  .object({ ...common, event: z.string().describe('The name of the action.'), properties: object.optional() })
  .loose();
export const pageEvent = z
  .object({ ...common, name: z.string().optional(), category: z.string().optional(), properties: object.optional() })
  .loose();
export const screenEvent = z.object({ ...common, name: z.string().optional(), properties: object.optional() }).loose();
export const groupEvent = z
  .object({
    ...common,
    groupId: id.describe('The group (company, team, account).'),
    traits: object.optional().describe("Traits of the group, not the person's."),
  })
  .loose();
export const aliasEvent = z
  .object({
    ...common,
    previousId: id.describe('The ID the person was known by: an earlier userId or their anonymousId.'),
    userId: id.describe('The new ID of the person.'),
  })
  .loose();

const typed = <T extends z.ZodObject, K extends string>(schema: T, type: K) => schema.extend({ type: z.literal(type) });

export const batchBody = z
  .object({
    batch: z
      .array(
        z.discriminatedUnion('type', [
          typed(identifyEvent, 'identify'),
          typed(trackEvent, 'track'),
          typed(pageEvent, 'page'),
          typed(screenEvent, 'screen'),
          typed(groupEvent, 'group'),
          typed(aliasEvent, 'alias'),
        ]),
      )
      .describe('Events of any type, up to 2,500 (32 KB each); further events are dropped.'),
    context: object.optional().describe("Merged under each event's own context."),
    integrations: object.optional(),
    sentAt: z.string().optional(),
    writeKey: z.string().optional(),
  })
  .loose();

export const segmentAcceptedSchema = z
  .object({ success: z.literal(true) })
  .describe('Accepted; events that cannot be recorded are dropped and counted in the server log, as Segment does.');

export const segmentErrorSchema = errorSchema.extend({ success: z.literal(false) });
