/**
 * What the lookup load generator asks for: known emails drawn from a Zipf distribution (the k-th
 * most asked for drawn in proportion to 1/k^s), as real traffic has a few people looked up often
 * and a long tail, so a read cache is neither trivially always hit nor useless. Seeded: the same
 * sequence on every run.
 */
import { Random } from '../src/synth/random.js';

export function zipfLookupBodies(emails: readonly string[], draws: number, exponent = 1, seed = 7): string[] {
  const random = new Random(seed);
  const ranked = [...emails];
  for (let i = ranked.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [ranked[i], ranked[j]] = [ranked[j] as string, ranked[i] as string];
  }
  const cumulative = new Float64Array(ranked.length);
  let total = 0;
  for (let k = 0; k < ranked.length; k++) {
    total += 1 / (k + 1) ** exponent;
    cumulative[k] = total;
  }
  const bodies: string[] = [];
  for (let draw = 0; draw < draws; draw++) {
    const target = random.float() * total;
    let low = 0;
    let high = ranked.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    bodies.push(JSON.stringify({ identifiers: [{ type: 'email', value: ranked[low] }] }));
  }
  return bodies;
}
