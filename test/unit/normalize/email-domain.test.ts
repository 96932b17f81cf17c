/**
 * parseEmail and normalizeEmail skip the WHATWG host parser for plain ASCII domains. Skipped or
 * not, a domain must come out as domainToASCII gives it, and the value's as domainToUnicode does.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, parseEmail } from '../../../src/core/normalize/email.js';

describe('parseEmail domains', () => {
  it('reads a domain as domainToASCII does, for ASCII, numeric, punycode and Unicode domains', () => {
    const label = fc.stringMatching(/^[a-z0-9x-]{1,8}$/);
    const domain = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
      fc.constantFrom('1.2.3.4', 'mail.0x7f', 'xn--bcher-kva.example', 'bücher.example', 'a..com', 'ex_ample.com'),
    );
    fc.assert(
      fc.property(domain, (name) => {
        const parts = parseEmail(`ann@${name}`);
        const ascii = domainToASCII(name);
        if (parts) {
          expect(parts.domain).toBe(ascii);
          const normalized = normalizeEmail(`ann@${name}`);
          expect(normalized.ok && normalized.value).toBe(`ann@${domainToUnicode(ascii) || ascii}`);
        }
        // Refused: the host parser's form is refused too (or there is none).
        else if (ascii !== '') expect(parseEmail(`ann@${ascii}`)).toBeUndefined();
      }),
      { numRuns: 5000 },
    );
    expect(parseEmail('ann@bücher.example')?.domain).toBe('xn--bcher-kva.example');
    expect(parseEmail('ann@mail.0x7f')).toBeUndefined();
  });
});
