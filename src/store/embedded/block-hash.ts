/**
 * Blocking keys are only candidates for fuzzy comparison, so the embedded store keeps them as
 * 30-bit hashes: no string per key on the heap or in the log, and a rare collision merely adds a
 * candidate that scoring rejects. FNV-1a over UTF-16 code units, cut to 30 bits so V8 keeps the
 * value a small integer.
 */
export function blockHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x3fffffff;
}
