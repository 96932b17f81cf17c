/**
 * The pairs a fuzzy rule would compare: records that share one of its blocking keys. A block larger
 * than MAX_BLOCK is left out, as the resolver treats such keys as hubs (a common surname at a big
 * postcode says little), and the total is capped so training stays within memory.
 */
import { computeBlockingKeys } from '../core/resolve/blocking.js';
import type { CompiledFuzzyRule } from '../core/resolve/compiled-rules.js';
import type { PreparedRecord } from '../core/resolve/types.js';

const MAX_BLOCK = 1_000;

/** Pairs as [i, j] with i < j, each once. */
export function candidatePairs(
  records: readonly PreparedRecord[],
  rule: CompiledFuzzyRule,
  maxPairs: number,
): [number, number][] {
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const key of computeBlockingKeys(record, rule)) {
      const members = blocks.get(key);
      if (members) members.push(index);
      else blocks.set(key, [index]);
    }
  });
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  for (const members of blocks.values()) {
    if (members.length < 2 || members.length > MAX_BLOCK) continue;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = Math.min(members[x] as number, members[y] as number);
        const j = Math.max(members[x] as number, members[y] as number);
        const id = i * records.length + j;
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push([i, j]);
        if (pairs.length >= maxPairs) return pairs;
      }
    }
  }
  return pairs;
}
