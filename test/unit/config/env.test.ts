/** The environment is read once: IDGRAPH_SEGMENT_WRITE_KEYS becomes write keys with their sources. */
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../src/config/env.js';

describe('IDGRAPH_SEGMENT_WRITE_KEYS', () => {
  it('maps each write key to a source', () => {
    const env = readEnv({ IDGRAPH_SEGMENT_WRITE_KEYS: 'wk-site-0001:segment, wk-app-00002:app_events,' });
    expect(env.IDGRAPH_SEGMENT_WRITE_KEYS).toEqual([
      { writeKey: 'wk-site-0001', source: 'segment' },
      { writeKey: 'wk-app-00002', source: 'app_events' },
    ]);
    expect(readEnv({}).IDGRAPH_SEGMENT_WRITE_KEYS).toBeUndefined();
  });

  it('refuses a malformed entry by its position, never echoing a key', () => {
    const refusal = (value: string) => {
      try {
        readEnv({ IDGRAPH_SEGMENT_WRITE_KEYS: value });
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal('wk-site-0001')).toBe(
      'invalid environment: IDGRAPH_SEGMENT_WRITE_KEYS: entry 1: must be WRITE_KEY:source, the source in lowercase snake_case',
    );
    expect(refusal('wk-site-0001:segment,short:segment')).toBe(
      'invalid environment: IDGRAPH_SEGMENT_WRITE_KEYS: entry 2: a write key has 8 characters or more and no colon',
    );
    expect(refusal('wk-site-0001:Segment')).toContain('entry 1: must be WRITE_KEY:source');
    expect(refusal('wk-site-0001:segment,wk-site-0001:web')).toContain('entry 2: this write key is given twice');
    expect(refusal('wk-site-0001:segment,wk-site-0001:web')).not.toContain('wk-site');
  });
});
