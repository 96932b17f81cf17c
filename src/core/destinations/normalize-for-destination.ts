/**
 * One raw value, one destination, one field: the platform's normalized form and what would be
 * uploaded (its hash, or the value itself for fields the platform takes in clear), or the reason
 * the platform would refuse it. Already-hashed inputs pass through when the platform accepts them,
 * lowercased; an MD5-length hex where SHA-256 is required is refused as HASH_WRONG_LENGTH.
 */
import type { DestinationProfile } from './destination-profile.js';
import { hashFor, hashShape } from './hashing.js';
import type { DestinationContext, DestinationField, DestinationValue } from './types.js';
import { refusedBy } from './types.js';

const MAX_INPUT_LENGTH = 1024;

export function normalizeForDestination(
  destination: DestinationProfile,
  field: DestinationField,
  raw: string,
  context: DestinationContext = {},
  /** False when only the verdict and normalized form matter (reports): skips the hash. */
  withUpload = true,
): DestinationValue {
  const spec = destination.fields[field];
  if (!spec) return refusedBy('FIELD_NOT_ACCEPTED');
  const text = raw.trim();
  if (text === '') return refusedBy('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return refusedBy('TOO_LONG');
  if (spec.hash !== 'none') {
    const shape = hashShape(text);
    if (shape === 'md5_hex' && field !== 'maid') return refusedBy('HASH_WRONG_LENGTH');
    if (shape === 'sha256_hex' && spec.hash === 'sha256_hex' && destination.acceptsPrehashed) {
      const lowered = text.toLowerCase();
      return { ok: true, normalized: lowered, upload: lowered, hash: spec.hash, prehashed: true };
    }
  }
  const outcome = spec.format(text, context);
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    normalized: outcome.normalized,
    upload: withUpload ? hashFor(spec.hash, outcome.normalized) : '',
    hash: spec.hash,
    ...(outcome.note ? { note: outcome.note } : {}),
  };
}
