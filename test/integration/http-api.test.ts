/** The HTTP API through fastify's inject, and once through a real socket. */

import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

const { admin: ADMIN, read: READ, write: WRITE, report: REPORT } = KEYS;

let api: TestApp;
let app: FastifyInstance;

beforeAll(async () => {
  api = await openTestApp('api');
  app = api.app;
  await api.ingest('crm', [
    { customer_id: 'c1', email: 'Ann.Lee@GoogleMail.com', first_name: 'Ann', country: 'GB', phone: '020 7946 0123' },
    { customer_id: 'c2', email: 'annlee@gmail.com' },
    { customer_id: 'c3', email: 'bob.kim@shop.io' },
    { email: 'no-key@shop.io' },
  ]);
});

afterAll(() => api.close());

async function lookup(type: string, value: string): Promise<string | null> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/lookup',
    headers: auth(READ),
    payload: { identifiers: [{ type, value }] },
  });
  return response.json().results[0].profileId;
}

describe('HTTP API', () => {
  it('refuses requests without a key (401) and keys without the scope (403), saying why', async () => {
    const none = await app.inject({ method: 'POST', url: '/v1/lookup', payload: { identifiers: [] } });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED', requestId: expect.any(String) });
    const unknown = await app.inject({ method: 'GET', url: '/v1/rules', headers: auth('not-a-key-at-all-xyz') });
    expect(unknown.statusCode).toBe(401);
    const weak = await app.inject({
      method: 'POST',
      url: '/v1/rules/diff',
      headers: auth(WRITE),
      payload: { text: 'x' },
    });
    expect(weak.statusCode).toBe(403);
    expect(weak.json().message).toContain('admin');
    const report = await app.inject({ method: 'GET', url: '/v1/rules', headers: auth(REPORT) });
    expect(report.statusCode).toBe(403);
  });

  it('ingests idempotently and reports rejected rows by index', async () => {
    const again = await app.inject({
      method: 'POST',
      url: '/v1/sources/crm/records',
      headers: auth(WRITE),
      payload: {
        records: [
          {
            customer_id: 'c1',
            email: 'Ann.Lee@GoogleMail.com',
            first_name: 'Ann',
            country: 'GB',
            phone: '020 7946 0123',
          },
          { nope: 1 },
        ],
      },
    });
    expect(again.json()).toMatchObject({
      accepted: 1,
      unchanged: 1,
      commit: null,
      rejected: [{ index: 1, reason: 'MISSING_KEY' }],
    });
    const unknownSource = await app.inject({
      method: 'POST',
      url: '/v1/sources/fax/records',
      headers: auth(WRITE),
      payload: { records: [{}] },
    });
    expect(unknownSource.statusCode).toBe(404);
  });

  it('looks up several identifiers at once, normalizing them first', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/lookup',
      headers: auth(READ),
      payload: {
        identifiers: [
          { type: 'email', value: 'ann.lee+news@gmail.com' },
          { type: 'phone', value: '+44 20 7946 0123' },
          { type: 'email', value: 'nobody.here@shop.io' },
          { type: 'email', value: 'not an email' },
          { type: 'fax', value: '1' },
        ],
      },
    });
    const results = response.json().results;
    expect(results[0].profileId).toMatch(/^p_/);
    expect(results[1].profileId).toBe(results[0].profileId);
    expect(results[0]).toMatchObject({ profiles: [results[0].profileId], ambiguous: false });
    const none = { profileId: null, profiles: [], ambiguous: false };
    expect(results.slice(2)).toEqual([
      { type: 'email', ...none },
      { type: 'email', ...none, reason: 'EMAIL_SYNTAX' },
      { type: 'fax', ...none, reason: 'UNKNOWN_TYPE' },
    ]);
  });

  it('serves a profile with its golden record and history, and explains it', async () => {
    const id = (await lookup('email', 'annlee@gmail.com')) as string;
    const profile = await app.inject({ method: 'GET', url: `/v1/profiles/${id}`, headers: auth(READ) });
    expect(profile.json()).toMatchObject({
      profileId: id,
      records: ['crm:c1', 'crm:c2'],
      attributes: { first_name: { value: 'ann' } },
    });
    const history = await app.inject({ method: 'GET', url: `/v1/profiles/${id}/history`, headers: auth(READ) });
    expect(history.json().events[0]).toMatchObject({ kind: 'profile_created', rule: 'email' });
    const explain = await app.inject({
      method: 'POST',
      url: '/v1/explain',
      headers: auth(READ),
      payload: { a: 'crm:c2', b: { type: 'phone', value: '020 7946 0123', country: 'GB' } },
    });
    expect(explain.json()).toMatchObject({ sameProfile: true, profileId: id, path: [{ rule: 'email' }], apart: [] });
    // c3 shares nothing with Ann: apart, and the answer says why.
    const apart = await app.inject({
      method: 'POST',
      url: '/v1/explain',
      headers: auth(READ),
      payload: { a: 'crm:c1', b: 'crm:c3' },
    });
    expect(apart.json()).toEqual({
      sameProfile: false,
      profileId: null,
      path: [],
      apart: [{ reason: 'no_shared_evidence' }],
    });
    const missing = await app.inject({ method: 'GET', url: '/v1/profiles/p_nope', headers: auth(READ) });
    expect(missing.statusCode).toBe(404);
  });

  it('records manual decisions with the actor and keeps them', async () => {
    const split = await app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: auth(WRITE),
      payload: { decision: { kind: 'never_link', a: 'crm:c1', b: 'crm:c2' }, actor: 'kim', note: 'two people' },
    });
    expect(split.json()).toMatchObject({ splits: 1 });
    const id = (await lookup('email', 'annlee@gmail.com')) as string;
    const history = await app.inject({ method: 'GET', url: `/v1/profiles/${id}/history`, headers: auth(READ) });
    expect(history.json().events.at(-1)).toMatchObject({
      kind: 'decision_recorded',
      actor: 'user:kim',
      note: 'two people',
    });
    // As of the (fixed) time of every commit, the profile is as it is now; a moment earlier it did not exist.
    const asOf = await app.inject({
      method: 'GET',
      url: `/v1/profiles/${id}?at=2026-06-01T12:00:00Z`,
      headers: auth(READ),
    });
    const now = await app.inject({ method: 'GET', url: `/v1/profiles/${id}`, headers: auth(READ) });
    expect(now.json().records).toHaveLength(1);
    // The evidence edges are the current profile's: a past view has membership only.
    expect(now.json().evidence).toEqual([]);
    expect(asOf.json()).toEqual({ ...now.json(), evidence: undefined, asOf: '2026-06-01T12:00:00Z' });
    const earlier = await app.inject({
      method: 'GET',
      url: `/v1/profiles/${id}?at=2026-06-01T11:59:59Z`,
      headers: auth(READ),
    });
    expect(earlier.statusCode).toBe(404);
    const badTime = await app.inject({ method: 'GET', url: `/v1/profiles/${id}?at=yesterday`, headers: auth(READ) });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().code).toBe('VALIDATION_FAILED');
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: auth(WRITE),
      payload: { decision: { kind: 'link', a: 'crm:c1', b: 'crm:nope' }, actor: 'kim' },
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().code).toBe('RECORD_NOT_FOUND');
  });

  it('validates and dry-runs rules', async () => {
    const current = await app.inject({ method: 'GET', url: '/v1/rules', headers: auth(READ) });
    const text = current.json().text as string;
    const invalid = await app.inject({
      method: 'POST',
      url: '/v1/rules/validate',
      headers: auth(READ),
      payload: { text: `${text}  bogus: 1\n` },
    });
    expect(invalid.json()).toMatchObject({ valid: false, problems: [{ code: 'RULES_UNKNOWN_FIELD' }] });
    const diff = await app.inject({ method: 'POST', url: '/v1/rules/diff', headers: auth(ADMIN), payload: { text } });
    expect(diff.json()).toMatchObject({ recordsMoving: 0, merges: [], splits: [] });
  });

  it('answers malformed input with a 4xx JSON error, never a 500', async () => {
    const cases = [
      {
        method: 'POST' as const,
        url: '/v1/lookup',
        payload: '{bad json',
        headers: { 'content-type': 'application/json' },
      },
      { method: 'POST' as const, url: '/v1/lookup', payload: { identifiers: 'x', extra: 1 } },
      {
        method: 'POST' as const,
        url: '/v1/lookup',
        payload: { identifiers: [{ type: 'email', value: 'x'.repeat(600) }] },
      },
      { method: 'POST' as const, url: '/v1/explain', payload: { a: 'not a ref', b: 3 } },
      { method: 'POST' as const, url: '/v1/decisions', payload: { decision: { kind: 'magic' } } },
      { method: 'POST' as const, url: '/v1/sources/crm/records', payload: { records: [] } },
      { method: 'GET' as const, url: '/v1/profiles/%00' },
      { method: 'GET' as const, url: '/v1/nothing-here' },
    ];
    for (const { headers, ...request } of cases) {
      const response = await app.inject({ ...request, headers: { ...auth(ADMIN), ...headers } });
      expect(response.statusCode, request.url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, request.url).toBeLessThan(500);
      expect(response.json(), request.url).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
    }
    const listed = await app.inject({
      method: 'POST',
      url: '/v1/lookup',
      headers: auth(ADMIN),
      payload: { identifiers: 'x', extra: 1 },
    });
    expect(listed.json().issues).toHaveLength(2);
  });

  it('documents every route in a valid OpenAPI 3 document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    await SwaggerParser.validate(structuredClone(document));
    const documented = new Set(
      Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const routes = app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .filter((line) => line.includes('v1/'));
    expect(routes.length).toBeGreaterThan(0);
    for (const expected of [
      'GET /v1/health',
      'GET /v1/profiles/{id}',
      'GET /v1/profiles/{id}/history',
      'POST /v1/explain',
      'POST /v1/lookup',
      'POST /v1/sources/{source}/records',
      'POST /v1/decisions',
      'GET /v1/rules',
      'POST /v1/rules/validate',
      'POST /v1/rules/diff',
      'POST /v1/rules/apply',
      'POST /v1/audiences',
      'GET /v1/audiences',
      'GET /v1/audiences/{id}',
      'GET /v1/audiences/{id}/report',
      'GET /v1/audiences/{id}/reports',
      'GET /v1/audiences/{id}/export',
      'POST /v1/erasures',
    ]) {
      expect(documented).toContain(expected);
    }
    const docs = await app.inject({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBeLessThan(400);
  });

  it('answers over a real socket', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/v1/lookup`, {
      method: 'POST',
      headers: { ...auth(READ), 'content-type': 'application/json' },
      body: JSON.stringify({ identifiers: [{ type: 'email', value: 'bob.kim@shop.io' }] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { profileId: string }[] };
    expect(body.results[0]?.profileId).toMatch(/^p_/);
  });
});

describe('HTTP API limits', () => {
  it('rate-limits per key with a JSON 429, and refuses oversized bodies with a 413', async () => {
    const limits = await openTestApp('api-limits', {
      scopes: ['read', 'write'],
      rateLimitPerMinute: 3,
      bodyLimit: 1024,
    });
    const limited = limits.app;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await limited.inject({ method: 'GET', url: '/v1/rules', headers: auth(READ) })).statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limited.inject({ method: 'GET', url: '/v1/rules', headers: auth(READ) });
      expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) });
      // Another client (no key here) has its own budget.
      expect((await limited.inject({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);

      const big = await limited.inject({
        method: 'POST',
        url: '/v1/lookup',
        headers: auth(WRITE),
        payload: { identifiers: [{ type: 'email', value: 'a'.repeat(2000) }] },
      });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    } finally {
      await limits.close();
    }
  });
});

describe('HTTP API lookup of a value several profiles hold', () => {
  it('lists every holder and says it is ambiguous, rather than answer with one of them', async () => {
    const household = await openTestApp('api-shared', { scopes: ['read'] });
    const { app: shared, engine } = household;
    try {
      // Same phone, different first names: the phone_first_name rule does not join them.
      await engine.ingest('crm', [{ customer_id: 'h1', phone: '020 7946 0999', first_name: 'Ann', country: 'GB' }]);
      await engine.ingest('crm', [{ customer_id: 'h2', phone: '020 7946 0999', first_name: 'Bob', country: 'GB' }]);
      const response = await shared.inject({
        method: 'POST',
        url: '/v1/lookup',
        headers: auth(READ),
        payload: { identifiers: [{ type: 'phone', value: '+44 20 7946 0999' }] },
      });
      const [result] = response.json().results;
      const profiles = await household.store.profileIdsOf(['crm:h1', 'crm:h2']);
      expect(result).toEqual({
        type: 'phone',
        profileId: profiles.get('crm:h1'),
        profiles: [profiles.get('crm:h1'), profiles.get('crm:h2')],
        ambiguous: true,
      });
    } finally {
      await household.close();
    }
  });
});

describe('HTTP API statistics', () => {
  it('reports counts, sizes, merges per rule and the largest profiles to the report scope', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/stats', headers: auth(REPORT) });
    expect(response.statusCode).toBe(200);
    const stats = response.json();
    // By now c1 and c2 were kept apart by a decision: three single-record profiles.
    expect(stats).toMatchObject({ records: 3, profiles: 3, mergesPerRule: {}, sizeDistribution: { '1': 3, '2': 0 } });
    expect(stats.largestProfiles).toHaveLength(3);
    expect((await app.inject({ method: 'GET', url: '/v1/stats', headers: auth(READ) })).statusCode).toBe(403);
  });
});
