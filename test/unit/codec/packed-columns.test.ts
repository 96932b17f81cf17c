/** Packed records cross threads as columns and come back as they were. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromColumns, toColumns } from '../../../src/codec/packed-columns.js';
import type { PackedRecord } from '../../../src/codec/packed-record.js';

const packedRecord: fc.Arbitrary<PackedRecord> = fc.record({
  ref: fc.string({ minLength: 1 }),
  encoded: fc.string(),
  identifierKeys: fc.array(fc.string(), { maxLength: 4 }),
  blockHashes: fc.array(fc.integer({ min: 0, max: 0x3fffffff }), { maxLength: 5 }),
});

describe('packed columns', () => {
  it('give back the records they were made from, in order', () => {
    fc.assert(
      fc.property(fc.array(packedRecord, { maxLength: 30 }), (records) => {
        expect(fromColumns(structuredClone(toColumns(records)))).toEqual(records);
      }),
    );
  });
});
