/**
 * The pairs a fuzzy rule would compare: records that share one of its blocking keys, each pair once
 * with the keys that found it (training runs EM once per key, on that key's pairs). A block larger
 * than MAX_BLOCK is left out, as the resolver treats such keys as hubs (a common surname at a big
 * postcode says little), and the total is capped so training stays within memory.
 */
import { computeBlockingKeys } from '../core/resolve/blocking.js';
import type { CompiledFuzzyRule } from '../core/resolve/compiled-rules.js';
import type { PreparedRecord } from '../core/resolve/types.js';

const MAX_BLOCK = 1_000;

export interface CandidatePair {
  /** Record indexes, i < j. */
  readonly i: number;
  readonly j: number;
  /** Indexes of the rule's blocking keys the two records share. */
  readonly keys: number[];
}

export function candidatePairs(
  records: readonly PreparedRecord[],
  rule: CompiledFuzzyRule,
  maxPairs: number,
): CandidatePair[] {
  const byId = new Map<number, CandidatePair>();
  const pairs: CandidatePair[] = [];
  rule.blocking.forEach((key, keyIndex) => {
    const oneKey: CompiledFuzzyRule = { ...rule, blocking: [key] };
    const blocks = new Map<string, number[]>();
    records.forEach((record, index) => {
      for (const value of computeBlockingKeys(record, oneKey)) {
        const members = blocks.get(value);
        if (members) members.push(index);
        else blocks.set(value, [index]);
      }
    });
    for (const members of blocks.values()) {
      if (members.length < 2 || members.length > MAX_BLOCK) continue;
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const i = Math.min(members[x] as number, members[y] as number);
          const j = Math.max(members[x] as number, members[y] as number);
          const id = i * records.length + j;
          const known = byId.get(id);
          if (known) {
            if (!known.keys.includes(keyIndex)) known.keys.push(keyIndex);
            continue;
          }
          // Past the cap, pairs already found still learn their other keys; no new pair is added.
          if (pairs.length >= maxPairs) continue;
          const pair = { i, j, keys: [keyIndex] };
          byId.set(id, pair);
          pairs.push(pair);
        }
      }
    }
  });
  return pairs;
}
