import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashedKeys } from '../../../src/http/hashed-keys.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

describe('the rate limiter keys', () => {
  it('are the hashed header, never the header, the same whether remembered or not', () => {
    const keys = new HashedKeys(2);
    const header = 'Bearer write-key-0123456789';
    expect(keys.of(header)).toBe(sha256(header));
    expect(keys.of(header)).toBe(sha256(header));
    expect(keys.of(header)).not.toContain('write-key');
    // Past its capacity it starts again, and still answers each header with its own hash.
    for (const other of ['Bearer a', 'Bearer b', 'Bearer c']) {
      expect(keys.of(other)).toBe(sha256(other));
      expect(keys.size).toBeLessThanOrEqual(2);
    }
    expect(keys.of(header)).toBe(sha256(header));
    expect(keys.of('Bearer a')).not.toBe(keys.of('Bearer b'));
  });
});
