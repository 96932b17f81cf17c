import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../../src/codec/record-codec.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';

const text = fc.string({ maxLength: 20 });
const recordArbitrary: fc.Arbitrary<PreparedRecord> = fc
  .record({
    source: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
    recordId: fc.string({ minLength: 1, maxLength: 12 }),
    ts: fc.integer({ min: 0, max: 2 ** 42 }),
    identifiers: fc.array(fc.record({ type: fc.stringMatching(/^[a-z_]{1,8}$/), key: text, value: text }), {
      maxLength: 4,
    }),
    attributes: fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.record({ key: text, value: text }), {
      maxKeys: 4,
    }),
    fields: fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 5 }),
  })
  .map(({ source, recordId, ...rest }) => ({ ref: `${source}:${recordId}`, source, recordId, ...rest }));

describe('record codec', () => {
  it('round-trips every record exactly, key order included', () => {
    fc.assert(
      fc.property(recordArbitrary, (record) => {
        const decoded = decodeRecord(record.ref, encodeRecord(record));
        expect(JSON.stringify(decoded)).toBe(JSON.stringify(record));
      }),
      { numRuns: 300 },
    );
  });

  it('is smaller than the object JSON when values equal their keys', () => {
    const record: PreparedRecord = {
      ref: 'crm:1',
      source: 'crm',
      recordId: '1',
      ts: 0,
      identifiers: [{ type: 'phone', key: '+442071838750', value: '+442071838750' }],
      attributes: { dob: { key: '1990-01-15', value: '1990-01-15' } },
      fields: {},
    };
    expect(encodeRecord(record).length).toBeLessThan(JSON.stringify(record).length / 2);
  });
});
