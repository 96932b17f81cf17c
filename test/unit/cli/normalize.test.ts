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

  it('refuses a date of birth in the future, as ingest does', async () => {
    const run = await cli('normalize', 'date_of_birth', '2090-01-01');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toEqual({ type: 'date_of_birth', ok: false, reason: 'DOB_OUT_OF_RANGE' });
  });

  it('refuses an unknown type or country with a usage error', async () => {
    expect((await cli('normalize', 'fax', '123')).code).not.toBe(0);
    const run = await cli('normalize', 'phone', '123', '--country', 'Atlantis');
    expect(run.code).toBe(2);
    expect(run.err).toContain('unknown country');
  });

  it('--destination prints the platform form and the hash it would upload', async () => {
    const run = await cli('normalize', 'phone', '(02) 1234 5678', '--destination', 'the_trade_desk', '--country', 'AU');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      destination: 'the_trade_desk',
      field: 'phone',
      ok: true,
      normalized: '+61212345678',
      hash: 'sha256_base64',
    });
    const email = await cli('normalize', 'email', 'Person@Example.com', '--destination', 'snapchat');
    expect(JSON.parse(email.out).upload).toMatch(/^542d2401/);
  });

  it('--destination refuses with the platform reason code', async () => {
    const run = await cli('normalize', 'email', 'invalid email string', '--destination', 'meta');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toEqual({ type: 'email', destination: 'meta', ok: false, reason: 'EMAIL_SYNTAX' });
    const field = await cli('normalize', 'x_handle', '@AdsAPI');
    expect(field.code).toBe(2);
    expect(field.err).toContain('--destination');
  });
});
