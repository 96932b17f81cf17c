/** Write keys as Segment's libraries present them: the Basic auth user name, or the body's writeKey. */
import { describe, expect, it } from 'vitest';
import { presentedWriteKey, sourceOfWriteKey } from '../../../src/tracking/write-keys.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('write keys', () => {
  it('reads the Basic user name, with or without the empty password', () => {
    expect(presentedWriteKey(basic('wk-site-0001:'), undefined)).toBe('wk-site-0001');
    expect(presentedWriteKey(basic('wk-site-0001'), undefined)).toBe('wk-site-0001');
    expect(presentedWriteKey(`basic   ${Buffer.from('wk-site-0001:').toString('base64')}`, {})).toBe('wk-site-0001');
  });

  it("falls back to the body's writeKey, a batch's, or its first event's", () => {
    expect(presentedWriteKey(undefined, { writeKey: 'wk-body-0001', userId: 'u' })).toBe('wk-body-0001');
    expect(presentedWriteKey('Bearer some-api-key-0001', { writeKey: 'wk-body-0001' })).toBe('wk-body-0001');
    expect(presentedWriteKey(basic(':only-a-password'), { batch: [{ writeKey: 'wk-item-0001' }] })).toBe(
      'wk-item-0001',
    );
    expect(presentedWriteKey(undefined, { batch: [] })).toBeUndefined();
    expect(presentedWriteKey(undefined, { writeKey: 42 })).toBeUndefined();
    expect(presentedWriteKey(undefined, 'text')).toBeUndefined();
  });

  it('names the source of a known key only', () => {
    const keys = [
      { writeKey: 'wk-site-0001', source: 'segment' },
      { writeKey: 'wk-app-00002', source: 'app_events' },
    ];
    expect(sourceOfWriteKey(keys, 'wk-app-00002')).toBe('app_events');
    expect(sourceOfWriteKey(keys, 'wk-site-0001')).toBe('segment');
    expect(sourceOfWriteKey(keys, 'wk-site-000')).toBeUndefined();
    expect(sourceOfWriteKey(keys, 'wk-site-0002')).toBeUndefined();
    expect(sourceOfWriteKey([], 'wk-site-0001')).toBeUndefined();
  });
});
