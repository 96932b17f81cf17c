/**
 * One raw value, one destination, one field: the platform's normalized form and what would be
 * uploaded (its hash, or the value itself for fields the platform takes in clear), or the reason
 * the platform would refuse it. An already-hashed SHA-256 passes through when the platform accepts
 * hashed input, in the platform's encoding (lowercase hex, or Base64 for UID2); MD5 or SHA-1 only where
 * the platform says it takes them. An MD5-length hex where SHA-256 is required is refused as
 * HASH_WRONG_LENGTH.
 */
import type { DestinationProfile } from './destination-profile.js';
import { type HashShape, hashFor, hashShape, reencodeSha256 } from './hashing.js';
import type { DestinationContext, DestinationField, DestinationValue, HashAlgorithm } from './types.js';
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
    const prehashed = shape ? prehashedValue(destination, field, spec.hash, text, shape) : undefined;
    if (prehashed) return prehashed;
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

/**
 * The verdict on a value that looks like a hash, or undefined to format it as a plain value (a
 * 32-hex device ID is a UUID without hyphens, not an MD5, unless the platform says otherwise).
 */
function prehashedValue(
  destination: DestinationProfile,
  field: DestinationField,
  algorithm: HashAlgorithm,
  text: string,
  shape: HashShape,
): DestinationValue | undefined {
  if (shape === 'sha256_hex' || shape === 'sha256_base64') {
    if (!destination.acceptsPrehashed) return undefined;
    const upload = reencodeSha256(text, shape, algorithm);
    const sameEncoding = (shape === 'sha256_hex') === (algorithm === 'sha256_hex');
    return {
      ok: true,
      normalized: upload,
      upload,
      hash: algorithm,
      prehashed: true,
      ...(sameEncoding ? {} : { note: 'PREHASHED_REENCODED' }),
    };
  }
  if (destination.legacyHashes?.[field]?.includes(shape)) {
    const lowered = text.toLowerCase();
    const note = shape === 'md5_hex' ? 'PREHASHED_MD5' : 'PREHASHED_SHA1';
    return { ok: true, normalized: lowered, upload: lowered, hash: algorithm, prehashed: true, note };
  }
  if (shape === 'md5_hex' && field !== 'maid') return refusedBy('HASH_WRONG_LENGTH');
  return undefined;
}
