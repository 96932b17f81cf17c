/**
 * The built-in mapping: one Segment-spec event to the row a source of the rules reads. The event's
 * identity-bearing fields are lifted into flat columns with Segment's names (`email` from
 * `traits.email`, `advertisingId` from `context.device.advertisingId`...), which a source maps to
 * identifier types and attributes like any other column (rules/default.yaml's `segment` source).
 * The event's own `traits`, `context` and `properties` stay in the row as they came, so a source can
 * read any other field by a nested path in its `derived` entries instead.
 */
import { createHash } from 'node:crypto';
import { readPath } from '../core/mapping/derive-field.js';
import { type CallEvent, isObject } from './segment-call.js';
import { type EventRejection, MESSAGE_ID_MAX_LENGTH, type SegmentCall } from './segment-spec.js';

/**
 * The lifted columns, each read from the first of its paths that holds a value. `traits` is the
 * person's only in identify; in group it describes the group, so only `context.traits` is read there.
 */
const TRAIT_COLUMNS: Readonly<Record<string, string>> = {
  email: 'email',
  phone: 'phone',
  firstName: 'firstName',
  lastName: 'lastName',
  postalCode: 'address.postalCode',
  country: 'address.country',
};

/** The columns of the built-in mapping, for documentation and the rules a source may write. */
export const LIFTED_COLUMNS = [
  'messageId',
  'timestamp',
  'userId',
  'anonymousId',
  ...Object.keys(TRAIT_COLUMNS),
  'advertisingId',
] as const;

/** Fields of the event kept in the row as they came, for nested paths in a source's derived entries. */
const KEPT_AS_SENT = ['event', 'name', 'category', 'groupId', 'traits', 'context', 'properties'] as const;

export type SegmentRow =
  | {
      readonly ok: true;
      readonly messageId: string;
      readonly row: Readonly<Record<string, unknown>>;
      /** alias only: the ID the person was known by before `userId`. */
      readonly previousId?: string;
    }
  | { readonly ok: false; readonly reason: EventRejection; readonly field?: string };

/** An event's row, ready to record. */
export interface EventRow {
  readonly messageId: string;
  readonly row: Readonly<Record<string, unknown>>;
  readonly previousId?: string;
}

/** The rows of a call's events: the first event of each messageId; the others, and those the spec refuses, by reason. */
export function rowsOfEvents(
  events: readonly CallEvent[],
  receivedAt: string,
): { rows: EventRow[]; rejected: { reason: EventRejection }[] } {
  const rows: EventRow[] = [];
  const rejected: { reason: EventRejection }[] = [];
  const seen = new Set<string>();
  for (const { type, event } of events) {
    const outcome = segmentRow(type, event, receivedAt);
    if (!outcome.ok) rejected.push({ reason: outcome.reason });
    // Segment keeps the first of two events with one messageId: a later one is a repeat.
    else if (seen.has(outcome.messageId)) rejected.push({ reason: 'DUPLICATE_MESSAGE_ID' });
    else {
      seen.add(outcome.messageId);
      const { ok: _ok, ...row } = outcome;
      rows.push(row);
    }
  }
  return { rows, rejected };
}

/**
 * The row of one event. `receivedAt` (ISO 8601) is the event's time when it carries none of its own.
 * Pure: the same event and time give the same row, so a retried delivery changes nothing.
 */
export function segmentRow(
  type: SegmentCall,
  event: Readonly<Record<string, unknown>>,
  receivedAt: string,
): SegmentRow {
  const messageId = messageIdOf(event);
  if (messageId === undefined) return { ok: false, reason: 'MESSAGE_ID_INVALID', field: 'messageId' };
  const userId = idText(event.userId);
  const anonymousId = idText(event.anonymousId);
  if (userId === undefined && anonymousId === undefined) {
    return { ok: false, reason: 'NO_USER_OR_ANONYMOUS_ID', field: 'userId' };
  }
  const previousId = idText(event.previousId);
  if (type === 'track' && idText(event.event) === undefined) {
    return { ok: false, reason: 'TRACK_WITHOUT_EVENT', field: 'event' };
  }
  if (type === 'alias' && (previousId === undefined || userId === undefined)) {
    return { ok: false, reason: 'ALIAS_WITHOUT_IDS', field: previousId === undefined ? 'previousId' : 'userId' };
  }
  if (type === 'group' && idText(event.groupId) === undefined) {
    return { ok: false, reason: 'GROUP_WITHOUT_GROUP_ID', field: 'groupId' };
  }

  const row: Record<string, unknown> = {};
  for (const field of KEPT_AS_SENT) if (event[field] !== undefined) row[field] = event[field];
  row.type = type;
  row.messageId = messageId;
  row.timestamp = timestampOf(event, receivedAt);
  if (userId !== undefined) row.userId = userId;
  if (anonymousId !== undefined) row.anonymousId = anonymousId;
  const traitPaths = type === 'identify' ? ['traits', 'context.traits'] : ['context.traits'];
  for (const [column, path] of Object.entries(TRAIT_COLUMNS)) {
    const value = firstOf(
      event,
      traitPaths.map((traits) => `${traits}.${path}`),
    );
    if (value !== undefined) row[column] = value;
  }
  // A device whose user opted out of ad tracking sends a zeroed or stale ID: it is not used.
  const device = isObject(event.context) && isObject(event.context.device) ? event.context.device : undefined;
  if (device?.adTrackingEnabled !== false) {
    const advertisingId = readPath(event, 'context.device.advertisingId');
    if (advertisingId !== undefined) row.advertisingId = advertisingId;
  }
  return { ok: true, messageId, row, ...(type === 'alias' ? { previousId } : {}) };
}

/**
 * The event's messageId; without one, a digest of the event, so a retried delivery of the same
 * event still has the same ID. Undefined when it is there but unusable (an object, over the limit).
 */
function messageIdOf(event: Readonly<Record<string, unknown>>): string | undefined {
  if (event.messageId === undefined || event.messageId === null || event.messageId === '') {
    return `auto-${createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32)}`;
  }
  const text = idText(event.messageId);
  return text !== undefined && text.length <= MESSAGE_ID_MAX_LENGTH ? text : undefined;
}

/** `timestamp`, else `receivedAt` when a relay set it, else the time the call was received. */
function timestampOf(event: Readonly<Record<string, unknown>>, receivedAt: string): string {
  for (const field of ['timestamp', 'receivedAt']) {
    const value = event[field];
    if (typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return receivedAt;
}

function firstOf(event: Readonly<Record<string, unknown>>, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const value = readPath(event, path);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** An ID as text: a non-empty string (trimmed) or a finite number; anything else is no ID. */
function idText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
