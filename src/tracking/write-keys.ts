/**
 * Tracking calls authenticate as Segment's do: the source's write key as the Basic auth user name
 * (empty password), or, from libraries that cannot set headers, `writeKey` in the body. The key
 * names the source of the rules the events are recorded under (IDGRAPH_SEGMENT_WRITE_KEYS).
 */
import { timingSafeEqual } from 'node:crypto';
import { isObject } from './segment-call.js';

export interface WriteKeySource {
  readonly writeKey: string;
  readonly source: string;
}

/** The write key a call presents: the Basic user name first, else the body's (or a batch's first event's). */
export function presentedWriteKey(authorization: string | undefined, body: unknown): string | undefined {
  const basic = authorization ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization) : null;
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    if (user !== '') return user;
  }
  if (!isObject(body)) return undefined;
  if (typeof body.writeKey === 'string' && body.writeKey !== '') return body.writeKey;
  const first = Array.isArray(body.batch) ? body.batch[0] : undefined;
  return isObject(first) && typeof first.writeKey === 'string' && first.writeKey !== '' ? first.writeKey : undefined;
}

/** The source of a presented key, compared in constant time so timing does not reveal a key's prefix. */
export function sourceOfWriteKey(keys: readonly WriteKeySource[], presented: string): string | undefined {
  const candidate = Buffer.from(presented);
  let found: string | undefined;
  for (const { writeKey, source } of keys) {
    const expected = Buffer.from(writeKey);
    if (expected.length === candidate.length && timingSafeEqual(expected, candidate)) found = source;
  }
  return found;
}
