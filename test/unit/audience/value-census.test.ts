/** The value census counts distinct and repeated values as a map of strings would, without keeping them. */
import { describe, expect, it } from 'vitest';
import { ValueCensus } from '../../../src/core/audience/value-census.js';

describe('ValueCensus', () => {
  it('counts distinct values and those met more than once, through many resizes', () => {
    const census = new ValueCensus();
    const counts = new Map<string, number>();
    // Values alike but for a character or two: a third met twice, the rest once.
    for (let i = 0; i < 200_000; i++) {
      const value = `person${i % 150_000}@example${(i % 150_000) % 7}.com`;
      census.add(value);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect(census.distinct).toBe(counts.size);
    expect(census.shared).toBe([...counts.values()].filter((count) => count > 1).length);
    expect(census.shared).toBeGreaterThan(0);
    expect(census.shared).toBeLessThan(census.distinct);
  });

  it('tells apart values that differ only in order, case or length', () => {
    const census = new ValueCensus();
    for (const value of ['ab', 'ba', 'AB', 'a', 'ab\u0000', '', 'ab']) census.add(value);
    expect(census.distinct).toBe(6);
    expect(census.shared).toBe(1);
  });

  it('absorbs another census as if its values had been added here', () => {
    const values = Array.from({ length: 30_000 }, (_, i) => `v${i % 20_000}`);
    const whole = new ValueCensus();
    for (const value of values) whole.add(value);
    // Split so some values fall in both halves, some twice in one, some once in one.
    const first = new ValueCensus();
    const second = new ValueCensus();
    for (const [index, value] of values.entries()) (index % 3 === 0 ? first : second).add(value);
    first.absorb(structuredClone(second.state()));
    expect(first.distinct).toBe(whole.distinct);
    expect(first.shared).toBe(whole.shared);
    expect(whole.shared).toBe(10_000);
  });
});
