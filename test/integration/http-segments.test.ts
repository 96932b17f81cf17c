/** The audience builder's routes: live counts, a saved segment with its audit trail, re-resolved after a commit. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

const { write: WRITE, report: REPORT, admin: ADMIN } = KEYS;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

let api: TestApp;
let app: FastifyInstance;

const ingest = (records: object[]) => api.ingest('crm', records);

const preview = async (conditions: object[]) =>
  (
    await app.inject({ method: 'POST', url: '/v1/segments/preview', headers: auth(REPORT), payload: { conditions } })
  ).json();

beforeAll(async () => {
  api = await openTestApp('segments', { scopes: ['write', 'report', 'admin'] });
  app = api.app;
  await ingest([
    { customer_id: 'c1', email: 'ann@shop.io', phone: '020 7183 8750', country: 'GB', updated_at: daysAgo(10) },
    { customer_id: 'c2', email: 'bob@shop.io', country: 'GB', updated_at: daysAgo(200) },
    { customer_id: 'c3', email: 'eve@shop.io', phone: '+33 1 42 68 53 00', country: 'FR', updated_at: daysAgo(5) },
  ]);
});

afterAll(() => api.close());

describe('the audience builder', () => {
  it('counts the people matching all conditions, and each condition alone', async () => {
    const body = await preview([
      { kind: 'attribute', name: 'country', op: 'is', value: 'gb' },
      { kind: 'has', type: 'phone' },
      { kind: 'seen_within_days', days: 90 },
    ]);
    expect(body).toMatchObject({ profiles: 3, people: 1, perCondition: [2, 2, 2] });
  });

  it('saves a segment with its audit trail, and re-resolves it when the graph changes', async () => {
    const conditions = [
      { kind: 'attribute', name: 'country', op: 'is', value: 'GB' },
      { kind: 'has', type: 'phone' },
    ];
    const saved = await app.inject({
      method: 'PUT',
      url: '/v1/segments/gb-phones',
      headers: auth(WRITE),
      payload: { name: 'GB with a phone', conditions, actor: 'ann' },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().segment.audit).toMatchObject([{ actor: 'ann', action: 'created' }]);
    const firstCommit = saved.json().segment.resolvedCommit;
    expect(firstCommit).toBe(await api.store.lastCommit());
    const audience = await app.inject({ url: '/v1/audiences/gb-phones', headers: auth(REPORT) });
    expect(audience.json().preview.people).toBe(1);

    // A customer who converts now is in the audience at the next read, against the new commit.
    await ingest([
      { customer_id: 'c4', email: 'kim@shop.io', phone: '020 7946 0123', country: 'GB', updated_at: daysAgo(0) },
    ]);
    const after = await app.inject({ url: '/v1/audiences/gb-phones', headers: auth(REPORT) });
    expect(after.json().preview.people).toBe(2);
    const segment = (await app.inject({ url: '/v1/segments/gb-phones', headers: auth(REPORT) })).json();
    expect(segment.resolvedCommit).toBe(await api.store.lastCommit());
    expect(segment.resolvedCommit).toBeGreaterThan(firstCommit);

    const changed = await app.inject({
      method: 'PUT',
      url: '/v1/segments/gb-phones',
      headers: auth(ADMIN),
      payload: { conditions: [...conditions, { kind: 'seen_within_days', days: 30 }], actor: 'bob' },
    });
    expect(changed.json().segment).toMatchObject({
      name: 'GB with a phone',
      audit: [
        { actor: 'ann', action: 'created' },
        { actor: 'bob', action: 'changed' },
      ],
    });
  });

  it('takes people in one audience and not in another', async () => {
    const body = await preview([
      { kind: 'has', type: 'email' },
      { kind: 'not_in_audience', audience: 'gb-phones' },
    ]);
    expect(body.people).toBe(body.profiles - 2);
    const inside = await preview([{ kind: 'in_audience', audience: 'gb-phones' }]);
    expect(inside.people).toBe(2);
  });

  it('refuses bad conditions and a report key saving, naming the problem', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/segments/preview',
      headers: auth(REPORT),
      payload: { conditions: [{ kind: 'seen_within_days', days: -3 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toContain('conditions');
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/segments/preview',
      headers: auth(REPORT),
      payload: { conditions: [{ kind: 'in_audience', audience: 'nope' }] },
    });
    expect(missing.statusCode).toBe(404);
    const forbidden = await app.inject({
      method: 'PUT',
      url: '/v1/segments/x',
      headers: auth(REPORT),
      payload: { conditions: [{ kind: 'has', type: 'email' }], actor: 'r' },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});
