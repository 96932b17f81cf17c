import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNormalizer, NORMALIZER_KINDS } from '../../../src/core/normalize/normalizers.js';
import { REASON_CODES } from '../../../src/core/normalize/result.js';

const anyInput = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.stringMatching(/^[+0-9 ()\-.@a-zA-Z]{0,30}$/),
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, undefined, true, {}, [], '', ' ', '\u0000', '\uFEFF', '@', '+', '00', '\u200B@x.com'),
);

describe('every normalizer', () => {
  it.each(NORMALIZER_KINDS)('%s never throws and always answers a value or a known reason', (kind) => {
    const normalize = createNormalizer(kind);
    fc.assert(
      fc.property(anyInput, fc.constantFrom(undefined, 'GB', 'US', 'DE', 'XX'), (input, country) => {
        const result = normalize(input, country ? { country } : {});
        if (result.ok) {
          expect(typeof result.value).toBe('string');
          expect(result.value.length).toBeGreaterThan(0);
          expect(typeof result.key).toBe('string');
        } else {
          expect(REASON_CODES).toContain(result.reason);
        }
      }),
      { numRuns: 400 },
    );
  });

  it.each(NORMALIZER_KINDS)('%s is idempotent on its own canonical values', (kind) => {
    const normalize = createNormalizer(kind);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (input) => {
        const once = normalize(input, { country: 'GB' });
        if (!once.ok) return;
        const twice = normalize(once.value, { country: 'GB' });
        expect(twice.ok && twice.key).toBe(once.key);
      }),
      { numRuns: 300 },
    );
  });
});
