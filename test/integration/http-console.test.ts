/**
 * What the console needs from the server: the built console at `/` (offline: its own files, a CSP
 * that forbids other origins), GET /v1/me, and the overview's read routes on a small real graph.
 */
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_BUDGET_BYTES, consoleSizes } from '../../scripts/console-size.js';
import { buildApp } from '../../src/http/app.js';
import { consoleAssetsFolder } from '../../src/http/console.js';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

let api: TestApp;
let app: FastifyInstance;

beforeAll(async () => {
  api = await openTestApp('console');
  app = api.app;
  // c1 and c2 share an email but disagree on the last name: one over-merge suspect.
  await api.ingest('crm', [
    { customer_id: 'c1', email: 'ann.lee@shop.io', first_name: 'Ann', last_name: 'Lee' },
    {
      customer_id: 'c2',
      email: 'ann.lee@shop.io',
      first_name: 'Ann',
      last_name: 'Marsh',
      phone: '020 7183 8750',
      country: 'GB',
    },
    { customer_id: 'c3', email: 'bob.kim@mail.io', first_name: 'Bob' },
  ]);
});

afterAll(() => api.close());

describe('GET /v1/me', () => {
  it.each([
    ['admin', ['read', 'write', 'admin', 'report']],
    ['write', ['read', 'write']],
    ['read', ['read']],
    ['report', ['report']],
  ] as const)('tells a %s key what it grants', async (scope, grants) => {
    const response = await app.inject({ url: '/v1/me', headers: auth(KEYS[scope]) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ scope, grants });
  });

  it('refuses a missing or unknown key with 401', async () => {
    expect((await app.inject({ url: '/v1/me' })).statusCode).toBe(401);
    const unknown = await app.inject({ url: '/v1/me', headers: auth('not-a-known-key-000000') });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('UNAUTHENTICATED');
  });
});

describe('the overview routes', () => {
  it('counts distinct identifier values per type', async () => {
    const response = await app.inject({ url: '/v1/stats/identifiers', headers: auth(KEYS.report) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ identifiers: 3, byType: { email: 2, phone: 1 } });
  });

  it('finds the profile holding two last names, without their values', async () => {
    const response = await app.inject({ url: '/v1/stats/conflicts', headers: auth(KEYS.report) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.profiles).toBe(1);
    expect(body.byField).toMatchObject({ last_name: 1, first_name: 0, dob: 0 });
    expect(body.top).toHaveLength(1);
    expect(body.top[0]).toMatchObject({ records: 2, fields: { last_name: 2 } });
    expect(response.body.toLowerCase()).not.toContain('marsh');
  });

  it('counts merges and splits per day, and sees a split made since', async () => {
    const before = (await app.inject({ url: '/v1/stats/trend', headers: auth(KEYS.report) })).json();
    expect(before.days).toEqual([
      { day: '2026-06-01', created: 2, recordsAdded: 0, merges: 0, splits: 0, decisions: 0 },
    ]);
    const conflicts = (await app.inject({ url: '/v1/stats/conflicts', headers: auth(KEYS.report) })).json();
    const split = await app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: auth(KEYS.write),
      payload: {
        decision: { kind: 'split', profileId: conflicts.top[0].profileId, records: ['crm:c2'] },
        actor: 'ann',
      },
    });
    expect(split.statusCode).toBe(200);
    const after = (await app.inject({ url: '/v1/stats/trend', headers: auth(KEYS.report) })).json();
    expect(after.days[0]).toMatchObject({ splits: 1, decisions: 1 });
    expect(after.commit).toBeGreaterThan(before.commit);
    const none = (await app.inject({ url: '/v1/stats/conflicts', headers: auth(KEYS.report) })).json();
    expect(none.profiles).toBe(0);
  });

  it('refuses a read key: the overview needs the report scope', async () => {
    expect((await app.inject({ url: '/v1/stats/trend', headers: auth(KEYS.read) })).statusCode).toBe(403);
  });

  it('are in the OpenAPI document, which stays valid', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json();
    for (const path of ['/v1/me', '/v1/stats/identifiers', '/v1/stats/conflicts', '/v1/stats/trend']) {
      expect(document.paths[path]?.get, path).toBeDefined();
    }
    await expect(SwaggerParser.validate(document)).resolves.toBeDefined();
  });
});

describe('the console at /', () => {
  it('is built, within its size budget', () => {
    const built = consoleAssetsFolder();
    expect(built, 'run npm run build first').toBeDefined();
    const total = consoleSizes(built as string).reduce((sum, entry) => sum + entry.gzipped, 0);
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(CONSOLE_BUDGET_BYTES);
  });

  it('serves its page and assets from this server, under a CSP that forbids other origins', async () => {
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    const assets = [...page.body.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map(
      (match) => match[1] as string,
    );
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith('/'), asset).toBe(true);
      const response = await app.inject({ url: asset });
      expect(response.statusCode, asset).toBe(200);
    }
  });

  it('answers an unknown file with the API 404 answer', async () => {
    const response = await app.inject({ url: '/assets/nothing-here.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });

  it('falls back to the home page that leads to the API docs when it is not built', async () => {
    const bare = await buildApp({
      engine: api.engine,
      audiences: api.store,
      keys: [],
      consoleAssets: join(api.folder, 'no-console-here'),
    });
    const response = await bare.inject({ url: '/' });
    await bare.close();
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="docs"');
    expect(response.body).not.toContain('id="app"');
  });
});
