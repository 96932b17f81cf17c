/**
 * A tracking call's body as the events it carries: a single call is one event of the route's type;
 * a batch is a list of typed events that take the batch's `context` and `integrations` under their
 * own. Each event is checked for size and type here and for its fields in segment-row.ts, so one
 * bad event costs only itself.
 */
import {
  BATCH_EVENTS_LIMIT,
  EVENT_BYTES_LIMIT,
  isSegmentCall,
  type RejectedEvent,
  type SegmentCall,
} from './segment-spec.js';

export interface CallEvent {
  /** Position in the batch (0 for a single call). */
  readonly index: number;
  readonly type: SegmentCall;
  readonly event: Readonly<Record<string, unknown>>;
}

export type SplitCall =
  | { readonly ok: true; readonly events: readonly CallEvent[]; readonly rejected: readonly RejectedEvent[] }
  /** The body itself is unusable (not an object, a batch without a list): the whole call is refused. */
  | { readonly ok: false; readonly field: string; readonly message: string };

export function eventsOfCall(call: SegmentCall | 'batch', body: unknown): SplitCall {
  if (!isObject(body)) return { ok: false, field: 'body', message: 'the body must be a JSON object' };
  if (call !== 'batch') {
    if (jsonBytes(body) > EVENT_BYTES_LIMIT) {
      return { ok: true, events: [], rejected: [{ index: 0, reason: 'EVENT_TOO_LARGE' }] };
    }
    return { ok: true, events: [{ index: 0, type: call, event: withoutWriteKey(body) }], rejected: [] };
  }
  const items = body.batch;
  if (!Array.isArray(items)) return { ok: false, field: 'batch', message: 'batch must be a list of events' };
  const shared = { context: body.context, integrations: body.integrations };
  const events: CallEvent[] = [];
  const rejected: RejectedEvent[] = [];
  items.forEach((item: unknown, index) => {
    if (index >= BATCH_EVENTS_LIMIT) rejected.push({ index, reason: 'OVER_BATCH_LIMIT' });
    else if (!isObject(item)) rejected.push({ index, reason: 'NOT_AN_OBJECT' });
    else if (jsonBytes(item) > EVENT_BYTES_LIMIT) rejected.push({ index, reason: 'EVENT_TOO_LARGE' });
    else if (!isSegmentCall(item.type)) rejected.push({ index, reason: 'UNKNOWN_TYPE', field: 'type' });
    else events.push({ index, type: item.type, event: withBatchShared(withoutWriteKey(item), shared) });
  });
  return { ok: true, events, rejected };
}

/** The batch's context and integrations under the event's own: the event's values win. */
function withBatchShared(event: Record<string, unknown>, shared: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...event };
  for (const [field, value] of Object.entries(shared)) {
    if (!isObject(value)) continue;
    merged[field] = isObject(event[field]) ? mergeObjects(value, event[field]) : value;
  }
  return merged;
}

function mergeObjects(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...under };
  for (const [key, value] of Object.entries(over)) {
    // An own `__proto__` key of parsed JSON would set the prototype when assigned: it is no data.
    if (key === '__proto__') continue;
    const below = merged[key];
    merged[key] = isObject(value) && isObject(below) ? mergeObjects(below, value) : value;
  }
  return merged;
}

/** The write key authenticates the call; it is no part of the event. */
function withoutWriteKey(event: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(event, 'writeKey')) return event;
  const { writeKey: _writeKey, ...rest } = event;
  return rest;
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
