/** Erasure over HTTP: who may, how a person is named, what is left afterwards. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

const { admin: ADMIN, write: WRITE } = KEYS;

let api: TestApp;
let app: FastifyInstance;

beforeAll(async () => {
  api = await openTestApp('erasure', { scopes: ['admin', 'write'] });
  app = api.app;
  await api.ingest('crm', [
    { customer_id: 'c1', email: 'ann.lee@shop.io', phone: '07911 123456', first_name: 'Ann', country: 'GB' },
    { customer_id: 'c2', email: 'ann.lee@shop.io', country: 'GB' },
    { customer_id: 'c3', email: 'bob.kim@shop.io', phone: '07911 123456', first_name: 'Bob', country: 'GB' },
  ]);
});

afterAll(() => api.close());

const erase = (key: string, payload: object) =>
  app.inject({ method: 'POST', url: '/v1/erasures', headers: auth(key), payload });

async function profileHolding(value: string): Promise<string | null> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/lookup',
    headers: auth(WRITE),
    payload: { identifiers: [{ type: 'email', value }] },
  });
  return response.json().results[0].profileId;
}

describe('POST /v1/erasures', () => {
  it('is for admin keys only, and needs someone to erase', async () => {
    expect((await erase(WRITE, { profileIds: ['p_x'], actor: 'dpo' })).statusCode).toBe(403);
    const empty = await erase(ADMIN, { actor: 'dpo' });
    expect([empty.statusCode, empty.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const missing = await erase(ADMIN, { profileIds: ['p_nope'], actor: 'dpo' });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'PROFILE_NOT_FOUND']);
  });

  it('refuses an identifier several profiles hold, rather than erase the wrong person', async () => {
    const shared = await erase(ADMIN, {
      identifiers: [{ type: 'phone', value: '07911 123456', country: 'GB' }],
      actor: 'dpo',
      dryRun: true,
    });
    expect([shared.statusCode, shared.json().code]).toEqual([409, 'AMBIGUOUS_IDENTIFIER']);
    expect(shared.json().message).not.toContain('7911');
  });

  it('previews, then erases the person an email names; history keeps only a tombstone', async () => {
    const ann = (await profileHolding('ann.lee@shop.io')) as string;
    const preview = await erase(ADMIN, {
      identifiers: [{ type: 'email', value: 'Ann.Lee@shop.io' }],
      actor: 'dpo',
      dryRun: true,
    });
    expect(preview.json()).toEqual({
      dryRun: true,
      commit: null,
      profiles: [{ profileId: ann, records: 2 }],
      erasedRecords: 2,
      audienceRows: 0,
    });
    expect(await profileHolding('ann.lee@shop.io')).toBe(ann);

    const done = await erase(ADMIN, {
      identifiers: [{ type: 'email', value: 'ann.lee@shop.io' }],
      actor: 'dpo',
      note: 'DSR-12',
    });
    expect(done.json()).toMatchObject({ dryRun: false, profiles: [{ profileId: ann, records: 2 }], erasedRecords: 2 });
    expect(await profileHolding('ann.lee@shop.io')).toBeNull();
    expect(await profileHolding('bob.kim@shop.io')).not.toBeNull();
    const profile = await app.inject({ method: 'GET', url: `/v1/profiles/${ann}`, headers: auth(WRITE) });
    expect(profile.statusCode).toBe(404);
    const history = (
      await app.inject({ method: 'GET', url: `/v1/profiles/${ann}/history`, headers: auth(WRITE) })
    ).json();
    expect(history.events.at(-1)).toMatchObject({ kind: 'erased', actor: 'user:dpo', note: 'DSR-12', records: [] });
    expect(JSON.stringify(history)).not.toMatch(/ann\.lee|crm:c1|crm:c2/);
  });
});
