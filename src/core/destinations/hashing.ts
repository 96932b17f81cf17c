/**
 * Hashing for uploads. Platforms take SHA-256 of the normalized UTF-8 string, as lowercase hex
 * (Meta, Google, TikTok, Snap, X...) or as Base64 of the 32 raw bytes (UID2 / The Trade Desk).
 */
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from './types.js';

export function hashFor(algorithm: HashAlgorithm, normalized: string): string {
  if (algorithm === 'none') return normalized;
  const digest = createHash('sha256').update(normalized, 'utf8');
  return algorithm === 'sha256_hex' ? digest.digest('hex') : digest.digest('base64');
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const MD5_HEX = /^[0-9a-f]{32}$/i;
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** What kind of pre-computed hash a value looks like, if any. */
export function hashShape(text: string): 'sha256_hex' | 'sha256_base64' | 'md5_hex' | undefined {
  if (SHA256_HEX.test(text)) return 'sha256_hex';
  if (MD5_HEX.test(text)) return 'md5_hex';
  if (SHA256_BASE64.test(text)) return 'sha256_base64';
  return undefined;
}
