import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/core/rules/schema.js';
import { compareColumns, mappedFields } from '../../../src/core/rules/source-columns.js';

const web: SourceConfig = {
  key: 'session_id',
  timestamp: 'seen_at',
  fields: { cookie_id: 'cookie', email: 'email' },
};

describe('columns against a source mapping', () => {
  it('reads the key, the timestamp, the country field and the mapped fields', () => {
    expect(mappedFields({ ...web, country: { field: 'country' } })).toEqual([
      'session_id',
      'seen_at',
      'country',
      'cookie_id',
      'email',
    ]);
    expect(mappedFields({ ...web, country: { fixed: 'GB' } })).not.toContain('country');
  });

  it('names missing fields and unmapped columns, each with the likely intended name', () => {
    expect(compareColumns(['session_id', 'seen_at', 'emial', 'cookie', 'user_agent'], web)).toEqual({
      missing: [
        { field: 'cookie_id', didYouMean: 'cookie' },
        { field: 'email', didYouMean: 'emial' },
      ],
      unmapped: [
        { column: 'emial', didYouMean: 'email' },
        { column: 'cookie', didYouMean: 'cookie_id' },
        { column: 'user_agent' },
      ],
    });
  });

  it('takes case and separators for spelling variants, and finds nothing to say about a matching file', () => {
    expect(compareColumns(['session_id', 'seen_at', 'E-Mail', 'cookie_id'], web).missing).toEqual([
      { field: 'email', didYouMean: 'E-Mail' },
    ]);
    expect(compareColumns(['session_id', 'seen_at', 'email', 'cookie_id'], web)).toEqual({ missing: [], unmapped: [] });
  });
});
