/**
 * The facts of the Segment tracking spec a compatible endpoint keeps: the calls, the size limits,
 * and why an event is not recorded. Segment answers 200 for events it then drops, so these reasons
 * are counted and logged, never answered one by one.
 */

/** The calls of the spec; `batch` carries any mix of them. */
export const SEGMENT_CALLS = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentCall = (typeof SEGMENT_CALLS)[number];

/** The largest event, in bytes of its JSON (a single call's body, or one item of a batch). */
export const EVENT_BYTES_LIMIT = 32 * 1024;
/** The largest request body, in bytes. */
export const BATCH_BYTES_LIMIT = 500 * 1024;
/** Events past this many in one batch are dropped, as Segment drops them. */
export const BATCH_EVENTS_LIMIT = 2500;
/** Segment's limit on a messageId, in characters. */
export const MESSAGE_ID_MAX_LENGTH = 100;

/** Why an event is not recorded (or, for DUPLICATE_MESSAGE_ID, recorded once only). */
export type EventRejection =
  | 'NOT_AN_OBJECT'
  | 'UNKNOWN_TYPE'
  | 'NO_USER_OR_ANONYMOUS_ID'
  | 'TRACK_WITHOUT_EVENT'
  | 'ALIAS_WITHOUT_IDS'
  | 'GROUP_WITHOUT_GROUP_ID'
  | 'MESSAGE_ID_INVALID'
  | 'EVENT_TOO_LARGE'
  | 'OVER_BATCH_LIMIT'
  | 'DUPLICATE_MESSAGE_ID';

export interface RejectedEvent {
  /** Position in the batch (0 for a single call). */
  readonly index: number;
  readonly reason: EventRejection;
  /** The field at fault, when there is one; never its value. */
  readonly field?: string;
}

export function isSegmentCall(value: unknown): value is SegmentCall {
  return typeof value === 'string' && (SEGMENT_CALLS as readonly string[]).includes(value);
}
