/** Destination rules beyond the published vectors: each platform's quirks, and no input ever throws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import { normalizeForDestination } from '../../../src/core/destinations/normalize-for-destination.js';
import { DESTINATION_FIELDS } from '../../../src/core/destinations/types.js';

const normalized = (
  dest: keyof typeof DESTINATIONS,
  field: (typeof DESTINATION_FIELDS)[number],
  raw: string,
  country?: string,
) => {
  const result = normalizeForDestination(DESTINATIONS[dest], field, raw, country ? { country } : {});
  return result.ok ? result.normalized : result.reason;
};

describe('destination rules', () => {
  it('applies gmail folding only where the platform asks for it', () => {
    expect(normalized('google', 'email', ' A.B+x@gmail.com ')).toBe('ab@gmail.com');
    expect(normalized('the_trade_desk', 'email', 'A.B+x@googlemail.com')).toBe('a.b+x@googlemail.com');
    expect(normalized('the_trade_desk', 'email', 'A.B+x@gmail.com')).toBe('ab@gmail.com');
    expect(normalized('tiktok', 'email', 'A.B+x@gmail.com')).toBe('a.b@gmail.com');
    expect(normalized('meta', 'email', 'A.B+x@gmail.com')).toBe('a.b+x@gmail.com');
  });

  it('refuses facebook.com addresses for Meta only', () => {
    expect(normalized('meta', 'email', 'someone@facebook.com')).toBe('EMAIL_PLATFORM_EXCLUDED');
    expect(normalized('google', 'email', 'someone@facebook.com')).toBe('someone@facebook.com');
  });

  it('sends phones with "+" to Google and UID2, digits only elsewhere', () => {
    expect(normalized('google', 'phone', '020 7183 8750', 'GB')).toBe('+442071838750');
    expect(normalized('snapchat', 'phone', '020 7183 8750', 'GB')).toBe('442071838750');
    expect(normalized('amazon', 'phone', '020 7183 8750', 'GB')).toBe('442071838750');
  });

  it('hashes UID2 as Base64 and Meta as lowercase hex', () => {
    const uid2 = normalizeForDestination(DESTINATIONS.the_trade_desk, 'phone', '+12345678901');
    const meta = normalizeForDestination(DESTINATIONS.meta, 'phone', '+12345678901');
    expect(uid2.ok && uid2.upload).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(meta.ok && meta.upload).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses what a platform does not take, and malformed values with their reason', () => {
    expect(normalized('pinterest', 'phone', '+12345678901')).toBe('FIELD_NOT_ACCEPTED');
    expect(normalized('x', 'x_handle', 'not a handle!')).toBe('HANDLE_INVALID');
    expect(normalized('amazon', 'external_id', 'a b')).toBe('EXTERNAL_ID_INVALID');
    expect(normalized('meta', 'country', 'Atlantis')).toBe('COUNTRY_NOT_ISO2');
    expect(normalized('meta', 'dob', '31/02/1990')).toBe('DOB_INVALID');
    expect(normalized('meta', 'maid', 'not-a-uuid')).toBe('MAID_FORMAT');
    expect(normalized('meta', 'first_name', 'Mr.')).toBe('NAME_EMPTY_AFTER_NORMALIZATION');
  });

  it('never throws, whatever the destination, field and input', () => {
    const destinations = Object.values(DESTINATIONS);
    fc.assert(
      fc.property(
        fc.constantFrom(...destinations),
        fc.constantFrom(...DESTINATION_FIELDS),
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.option(fc.constantFrom('US', 'GB', 'DE', 'ZZ', 'xx')),
        (destination, field, raw, country) => {
          const result = normalizeForDestination(destination, field, raw, country ? { country } : {});
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 3000 },
    );
  });
});
