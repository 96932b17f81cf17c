/**
 * Hashing for uploads. Platforms take SHA-256 of the normalized UTF-8 string, as lowercase hex
 * (Meta, Google, TikTok, Snap, X...) or as Base64 of the 32 raw bytes (UID2 / The Trade Desk).
 */
import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import type { HashAlgorithm } from './types.js';

export function hashFor(algorithm: HashAlgorithm, normalized: string): string {
  if (algorithm === 'none') return normalized;
  // One-shot hash (Node >= 20.12): a third of the time of createHash().update().digest() per value.
  return hash('sha256', normalized, algorithm === 'sha256_hex' ? 'hex' : 'base64');
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const SHA1_HEX = /^[0-9a-f]{40}$/i;
const MD5_HEX = /^[0-9a-f]{32}$/i;
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export type HashShape = 'sha256_hex' | 'sha256_base64' | 'sha1_hex' | 'md5_hex';

/** What kind of pre-computed hash a value looks like, if any. */
export function hashShape(text: string): HashShape | undefined {
  if (SHA256_HEX.test(text)) return 'sha256_hex';
  if (SHA1_HEX.test(text)) return 'sha1_hex';
  if (MD5_HEX.test(text)) return 'md5_hex';
  if (SHA256_BASE64.test(text)) return 'sha256_base64';
  return undefined;
}

/**
 * A SHA-256 given in one encoding, written in the one the destination's file uses. Hex and Base64
 * carry the same 32 bytes (UID2: "Base64 of the raw bytes, not of the hex string"), so re-encoding
 * loses nothing; hex comes out lowercase, as X and Snap require.
 */
export function reencodeSha256(text: string, from: 'sha256_hex' | 'sha256_base64', to: HashAlgorithm): string {
  const bytes = Buffer.from(text, from === 'sha256_hex' ? 'hex' : 'base64');
  return to === 'sha256_base64' ? bytes.toString('base64') : bytes.toString('hex');
}
