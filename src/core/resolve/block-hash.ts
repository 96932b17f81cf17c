import { fnv1a32 } from '../fnv1a.js';

/**
 * Blocking keys are only candidates for fuzzy comparison, so the embedded store and the bulk path
 * keep them as 30-bit hashes: no string per key on the heap or in the log, and a rare collision
 * merely adds a candidate that scoring rejects. FNV-1a, cut to 30 bits so V8 keeps the value a
 * small integer.
 */
export function blockHash(key: string): number {
  return fnv1a32(key) & 0x3fffffff;
}
