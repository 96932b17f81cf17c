/**
 * Errors fastify answers itself (a path parameter over the limit, a broken URL, a body that is not
 * JSON) have the one error shape, and the OpenAPI document lists every status a route can answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openEngine, storeOf } from '../support/engine.js';

const KEY = 'error-answers-key-0123456789';
const auth = { authorization: `Bearer ${KEY}` };

let app: FastifyInstance;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'idgraph-errors-'));
  const engine = await openEngine(folder);
  app = await buildApp({ engine, audiences: storeOf(engine), keys: [{ key: KEY, scope: 'admin' }] });
});

afterAll(async () => {
  await app.close();
  await rm(folder, { recursive: true, force: true });
});

function expectErrorShape(body: unknown, code: string): void {
  expect(body).toEqual({ code, message: expect.any(String), requestId: expect.any(String) });
}

describe('error answers', () => {
  it('gives fastify-level errors the one error shape, without echoing the URL', async () => {
    const long = await app.inject({ method: 'GET', url: `/v1/profiles/p_${'x'.repeat(120)}`, headers: auth });
    expect(long.statusCode).toBe(414);
    expectErrorShape(long.json(), 'URI_TOO_LONG');
    expect(long.body).not.toContain('xxxx');

    const broken = await app.inject({ method: 'GET', url: '/v1/profiles/%zz', headers: auth });
    expect(broken.statusCode).toBe(400);
    expectErrorShape(broken.json(), 'BAD_URL');

    const xml = await app.inject({
      method: 'POST',
      url: '/v1/lookup',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expectErrorShape(xml.json(), 'UNSUPPORTED_MEDIA_TYPE');

    const notJson = await app.inject({
      method: 'POST',
      url: '/v1/explain',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(notJson.statusCode).toBe(400);
    expectErrorShape(notJson.json(), 'INVALID_BODY');

    const nowhere = await app.inject({ method: 'DELETE', url: '/v1/lookup', headers: auth });
    expect(nowhere.statusCode).toBe(404);
    expectErrorShape(nowhere.json(), 'NOT_FOUND');
  });

  it('leads from / to the documentation', async () => {
    const home = await app.inject({ method: 'GET', url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toContain('text/html');
    expect(home.body).toContain('href="docs"');
    expect(home.body).toContain('href="openapi.json"');
  });
});

describe('the OpenAPI document', () => {
  type Operation = {
    security?: unknown[];
    requestBody?: unknown;
    parameters?: { in: string }[];
    responses: Record<string, { content?: Record<string, { schema: { properties?: object } }> }>;
  };
  const operations = async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    return Object.entries(document.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
    );
  };

  it('lists the error statuses each route can answer, all in the one error shape', async () => {
    const all = await operations();
    expect(all.length).toBeGreaterThan(15);
    for (const { name, operation } of all) {
      const statuses = Object.keys(operation.responses);
      const authenticated = !(Array.isArray(operation.security) && operation.security.length === 0);
      // Segment tracking calls take a write key, which has no scope, and answer an oversized or
      // non-JSON body 400 whatever its content type, as Segment does.
      const byWriteKey = JSON.stringify(operation.security ?? []).includes('segmentWriteKey');
      const expected = ['429', '500'];
      if (authenticated) expected.push('401', '503');
      // GET /v1/me takes any valid key, so it never refuses a scope.
      if (authenticated && name !== 'GET /v1/me' && !byWriteKey) expected.push('403');
      if (operation.requestBody) expected.push('400', ...(byWriteKey ? [] : ['413', '415']));
      if (operation.parameters?.some((parameter) => parameter.in === 'path')) expected.push('400', '404', '414');
      expect(statuses, name).toEqual(expect.arrayContaining(expected));
      for (const status of statuses.filter((code) => Number(code) >= 400)) {
        const schema = operation.responses[status]?.content?.['application/json']?.schema;
        expect(Object.keys(schema?.properties ?? {}), `${name} ${status}`).toEqual(
          expect.arrayContaining(['code', 'message', 'requestId']),
        );
      }
    }
    const byName = new Map(all.map(({ name, operation }) => [name, operation]));
    expect(Object.keys(byName.get('POST /v1/explain')?.responses ?? {})).toContain('400');
    expect(Object.keys(byName.get('POST /v1/rules/validate')?.responses ?? {})).toContain('400');
  });

  it('gives the export its CSV and its errors as JSON', async () => {
    const exportRoute = (await operations()).find(({ name }) => name === 'GET /v1/audiences/{id}/export');
    const responses = exportRoute?.operation.responses ?? {};
    expect(Object.keys(responses['200']?.content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(responses['404']?.content ?? {})).toEqual(['application/json']);
  });
});
