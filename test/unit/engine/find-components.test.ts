/** Finding the components of a first load: records read once each, joined by what they share. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PackedRecord } from '../../../src/codec/packed-record.js';
import { fnv1a32 } from '../../../src/core/fnv1a.js';
import { sortByKey } from '../../../src/core/sort-by-key.js';
import { dedupe } from '../../../src/engine/bulk-load/find-components.js';

const packed = (ref: string, encoded = '[]'): PackedRecord => ({ ref, encoded, identifierKeys: [], blockHashes: [] });

describe('dedupe', () => {
  it('keeps every record, in order, when no ref repeats', () => {
    const records = ['crm:1', 'web:1', 'crm:2'].map((ref) => packed(ref));
    expect(dedupe(records)).toEqual(records);
  });

  it('keeps the last of a repeated ref, in the place of the first', () => {
    const records = [packed('crm:1', 'old'), packed('crm:2'), packed('crm:1', 'new')];
    expect(dedupe(records).map(({ ref, encoded }) => [ref, encoded])).toEqual([
      ['crm:1', 'new'],
      ['crm:2', '[]'],
    ]);
  });

  it('tells apart two refs whose hashes collide', () => {
    // Found by searching crm:0, crm:1, ... for two FNV-1a hashes that are equal.
    expect(fnv1a32('crm:149599')).toBe(fnv1a32('crm:312382'));
    const records = [packed('crm:149599'), packed('crm:312382')];
    expect(dedupe(records)).toEqual(records);
  });
});

describe('sortByKey', () => {
  it('sorts as a stable comparison sort does', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.nat({ max: 0xffffffff }).map((n) => n >>> 0),
          { maxLength: 300 },
        ),
        fc.boolean(),
        (keys, narrow) => {
          // Narrow keys repeat often, so stability is checked too.
          const used = narrow ? keys.map((key) => key % 7) : keys;
          const sorted = sortByKey(Uint32Array.from(used), Int32Array.from(used.keys()));
          const expected = [...used.keys()].sort((a, b) => (used[a] as number) - (used[b] as number) || a - b);
          expect([...sorted.values]).toEqual(expected);
          expect([...sorted.keys]).toEqual(expected.map((index) => used[index]));
        },
      ),
    );
  });
});
