import { describe, expect, it } from 'vitest';
import { cli } from '../../support/capture-io.js';

describe('idgraph normalize', () => {
  it('prints the canonical value and key as one JSON line', async () => {
    const run = await cli('normalize', 'email', ' J.Doe+news@GoogleMail.com ');
    expect(run.code).toBe(0);
    expect(run.out).toBe('{"type":"email","ok":true,"value":"j.doe+news@googlemail.com","key":"jdoe@gmail.com"}\n');
  });

  it('uses --country for national phone numbers, by code or by name', async () => {
    for (const country of ['GB', 'United Kingdom']) {
      const run = await cli('normalize', 'phone', '020 7183 8750', '--country', country);
      expect(JSON.parse(run.out)).toMatchObject({ ok: true, value: '+442071838750' });
    }
  });

  it('prints the reason and exits 1 when a value is refused', async () => {
    const run = await cli('normalize', 'device_id', '00000000-0000-0000-0000-000000000000');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toEqual({ type: 'device_id', ok: false, reason: 'MAID_ZEROED' });
  });

  it('refuses an unknown type or country with a usage error', async () => {
    expect((await cli('normalize', 'fax', '123')).code).not.toBe(0);
    const run = await cli('normalize', 'phone', '123', '--country', 'Atlantis');
    expect(run.code).toBe(2);
    expect(run.err).toContain('unknown country');
  });
});
