/**
 * FNV-1a over a string's UTF-16 code units, as an unsigned 32-bit integer: a cheap, well-spread
 * hash for spreading keys over buckets, parts or fingerprints (not for anything adversarial).
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
