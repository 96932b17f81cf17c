import { describe, expect, it } from 'vitest';
import { grants, parseApiKeys, scopeOf } from '../../../src/http/api-keys.js';

describe('API keys', () => {
  it('parses key:scope lists from the environment or a file', () => {
    const keys = parseApiKeys(
      'alpha-key-0123456789:read, beta-key-0123456789a:admin\n# comment\ngamma:key:with:colons-1234:write',
    );
    expect(keys.map((key) => key.scope)).toEqual(['read', 'admin', 'write']);
    expect(scopeOf(keys, 'gamma:key:with:colons-1234')).toBe('write');
    expect(scopeOf(keys, 'nope')).toBeUndefined();
  });

  it.each([
    { text: 'short:read', message: 'at least 16' },
    { text: 'long-enough-key-0123:root', message: 'KEY:SCOPE' },
    { text: 'no-scope-at-all-0123456', message: 'KEY:SCOPE' },
  ])('refuses $text', ({ text, message }) => {
    expect(() => parseApiKeys(text)).toThrow(message);
  });

  it('nests scopes: admin > write > read; report stands apart', () => {
    expect(grants('admin', 'report')).toBe(true);
    expect(grants('write', 'read')).toBe(true);
    expect(grants('read', 'write')).toBe(false);
    expect(grants('report', 'read')).toBe(false);
  });
});
