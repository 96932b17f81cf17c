/**
 * Segment-spec tracking calls through the real app (fastify inject, the embedded store, the default
 * rules): write-key authentication, the calls and their batch, idempotent retries, aliases as
 * links, and the answers Segment's libraries expect.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { readEnv } from '../../src/config/env.js';
import type { Engine } from '../../src/engine/engine.js';
import { buildApp } from '../../src/http/app.js';
import { openEngine, storeOf } from '../support/engine.js';
import { freePort } from '../support/free-port.js';

const API_KEY = 'segment-test-admin-key-0001';
const WRITE_KEY = 'wk-shop-site-0001';
const basic = (user: string) => ({ authorization: `Basic ${Buffer.from(`${user}:`).toString('base64')}` });
const SITE = basic(WRITE_KEY);

let app: FastifyInstance;
let engine: Engine;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'idgraph-segment-'));
  engine = await openEngine(folder);
  app = await buildApp({
    engine,
    audiences: storeOf(engine),
    keys: [{ key: API_KEY, scope: 'admin' }],
    segmentWriteKeys: [
      { writeKey: WRITE_KEY, source: 'segment' },
      // A write key pointed at a source that cannot take events (keyed by customer_id).
      { writeKey: 'wk-misconfigured-01', source: 'crm' },
    ],
  });
});

afterAll(async () => {
  await app.close();
  await storeOf(engine).close();
  await rm(folder, { recursive: true, force: true });
});

function call(path: string, payload: unknown, headers: Record<string, string> = SITE) {
  return app.inject({
    method: 'POST',
    url: `/segment/v1/${path}`,
    headers,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

async function lookup(type: string, value: string): Promise<string | null> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/lookup',
    headers: { authorization: `Bearer ${API_KEY}` },
    payload: { identifiers: [{ type, value }] },
  });
  expect(response.statusCode).toBe(200);
  return response.json().results[0].profileId;
}

async function profile(id: string): Promise<{ records: string[]; identifiers: { type: string; value: string }[] }> {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/profiles/${id}`,
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

function expectAccepted(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json()).toEqual({ success: true });
}

function expectRefused(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject({
    success: false,
    code,
    message: expect.any(String),
    requestId: expect.any(String),
  });
}

describe('Segment tracking calls', () => {
  it('records an identify sent with the write key as Basic user, found by email through /v1/lookup', async () => {
    expectAccepted(
      await call('identify', {
        messageId: 'id-ann-1',
        userId: 'user-1001',
        traits: { email: 'Ann.Lee@GoogleMail.com', firstName: 'Ann' },
        timestamp: '2026-05-01T10:00:00Z',
      }),
    );
    const found = await lookup('email', 'annlee@gmail.com');
    expect(found).toMatch(/^p_/);
    expect(await lookup('user_id', 'user-1001')).toBe(found);
    const held = await profile(found as string);
    expect(held.records).toEqual(['segment:id-ann-1']);
  });

  it('takes the write key from the body, with a text/plain body as analytics.js sends it, at the short path', async () => {
    const response = await call(
      't',
      JSON.stringify({
        writeKey: WRITE_KEY,
        type: 'track',
        event: 'Product Viewed',
        anonymousId: 'anon-7b1c',
        messageId: 'tr-1',
        context: { traits: { email: 'ann.lee@googlemail.com' } },
      }),
      { 'content-type': 'text/plain;charset=UTF-8' },
    );
    expectAccepted(response);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    // The cookie joined Ann's profile through the email her context traits carried.
    expect(await lookup('cookie', 'anon-7b1c')).toBe(await lookup('email', 'annlee@gmail.com'));
  });

  it('answers a browser preflight for cross-origin calls', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/segment/v1/batch',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toBe('POST');
  });

  it('refuses a missing, unknown or API key with 401 in the Segment shape, recording nothing', async () => {
    const before = await storeOf(engine).lastCommit();
    const event = { userId: 'intruder-1', traits: { email: 'intruder@x.co' } };
    const none = await call('identify', event, {});
    expectRefused(none, 401, 'UNAUTHENTICATED');
    // A web page can read why: error answers carry the CORS header too.
    expect(none.headers['access-control-allow-origin']).toBe('*');
    expectRefused(await call('identify', event, basic('wk-not-a-real-key')), 401, 'UNAUTHENTICATED');
    expectRefused(await call('identify', { ...event, writeKey: 'wk-not-a-real-key' }, {}), 401, 'UNAUTHENTICATED');
    // An idgraph API key is no write key, whatever its scope.
    expectRefused(await call('identify', event, { authorization: `Bearer ${API_KEY}` }), 401, 'UNAUTHENTICATED');
    expect(await storeOf(engine).lastCommit()).toBe(before);
    expect(await lookup('user_id', 'intruder-1')).toBeNull();
  });

  it('records the good events of a batch and drops the bad ones, still answering 200', async () => {
    const response = await call('batch', {
      context: { library: { name: 'analytics-node' } },
      batch: [
        { type: 'identify', userId: 'user-2002', messageId: 'b1-0', traits: { email: 'bo.kim@shop.io' } },
        { type: 'track', userId: 'user-2002', messageId: 'b1-1', event: 'Order Completed' },
        { type: 'track', userId: 'user-2002', messageId: 'b1-2' },
        { type: 'page', messageId: 'b1-3', name: 'Home' },
        { type: 'signup', userId: 'user-2002', messageId: 'b1-4' },
        'not an event',
        {
          type: 'group',
          anonymousId: 'anon-b1',
          messageId: 'b1-6',
          groupId: 'acme',
          traits: { email: 'billing@acme.com' },
        },
        { type: 'screen', userId: 'user-2002', messageId: 'b1-0', name: 'a repeat of b1-0' },
      ],
    });
    expectAccepted(response);
    const bo = (await lookup('email', 'bo.kim@shop.io')) as string;
    expect((await profile(bo)).records.sort()).toEqual(['segment:b1-0', 'segment:b1-1']);
    // The group's own traits are not the person's.
    expect(await lookup('email', 'billing@acme.com')).toBeNull();
    expect(await lookup('cookie', 'anon-b1')).toMatch(/^p_/);
    const records = await storeOf(engine).getRecords(['segment:b1-2', 'segment:b1-3', 'segment:b1-4', 'segment:b1-6']);
    expect([...records.keys()]).toEqual(['segment:b1-6']);
  });

  it('records a retried delivery once: the same messageId adds no record and no commit', async () => {
    const event = {
      messageId: 'retry-1',
      userId: 'user-3003',
      traits: { email: 'cy@shop.io' },
      timestamp: '2026-05-02T09:00:00Z',
      sentAt: '2026-05-02T09:00:01Z',
    };
    expectAccepted(await call('identify', event));
    const commits = await storeOf(engine).lastCommit();
    const id = (await lookup('email', 'cy@shop.io')) as string;
    // The library retries: same event, a later sentAt; and again inside a batch.
    expectAccepted(await call('identify', { ...event, sentAt: '2026-05-02T09:00:31Z' }));
    expectAccepted(await call('batch', { batch: [{ ...event, type: 'identify' }] }));
    expect(await storeOf(engine).lastCommit()).toBe(commits);
    expect((await profile(id)).records).toEqual(['segment:retry-1']);
  });

  it('links the two IDs of an alias, so a lookup by either finds one profile, once however often it is sent', async () => {
    // Known first under an old user ID, and, separately, under the new one.
    expectAccepted(await call('identify', { messageId: 'al-0', userId: 'old-77', traits: { email: 'dee@old.io' } }));
    expectAccepted(await call('identify', { messageId: 'al-1', userId: 'new-77', traits: { email: 'dee@new.io' } }));
    const before = [await lookup('email', 'dee@old.io'), await lookup('email', 'dee@new.io')];
    expect(before[0]).not.toBe(before[1]);

    const alias = { messageId: 'al-2', previousId: 'old-77', userId: 'new-77' };
    expectAccepted(await call('alias', alias));
    const linked = await lookup('user_id', 'new-77');
    expect(linked).toMatch(/^p_/);
    for (const [type, value] of [
      ['user_id', 'old-77'],
      ['email', 'dee@old.io'],
      ['email', 'dee@new.io'],
    ] as const) {
      expect(await lookup(type, value), `${type} ${value}`).toBe(linked);
    }
    // The link is a manual decision with the source as its actor.
    const history = await app.inject({
      method: 'GET',
      url: `/v1/profiles/${linked}/history`,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const decisions = (history.json().events as { kind: string; actor: string; rule: string }[]).filter(
      (event) => event.kind === 'decision_recorded',
    );
    expect(decisions).toEqual([expect.objectContaining({ actor: 'source:segment', rule: 'force_link' })]);
    // The previous ID was a user ID, so it is held as one only, not as a cookie too.
    expect((await profile(linked as string)).identifiers.filter(({ type }) => type === 'cookie')).toEqual([]);

    const commits = await storeOf(engine).lastCommit();
    expectAccepted(await call('alias', alias));
    expect(await storeOf(engine).lastCommit()).toBe(commits);
    expect(await storeOf(engine).decisionsFor(['segment:al-2'])).toHaveLength(1);
  });

  it("links an alias whose previous ID is the visitor's anonymousId, seen in the same batch", async () => {
    expectAccepted(
      await call('batch', {
        batch: [
          { type: 'page', anonymousId: 'anon-e5', messageId: 'ab-0', name: 'Pricing' },
          { type: 'identify', userId: 'user-e5', messageId: 'ab-1', traits: { email: 'eve@shop.io' } },
          { type: 'alias', previousId: 'anon-e5', userId: 'user-e5', messageId: 'ab-2' },
        ],
      }),
    );
    const eve = await lookup('email', 'eve@shop.io');
    expect(await lookup('cookie', 'anon-e5')).toBe(eve);
    const held = await profile(eve as string);
    expect(held.records.sort()).toEqual(['segment:ab-0', 'segment:ab-1', 'segment:ab-2', 'segment:ab-2#previousId']);
    // anon-e5 was seen as an anonymousId: it is not taken for a user ID.
    expect(held.identifiers.filter(({ type }) => type === 'user_id').map(({ value }) => value)).toEqual(['user-e5']);
  });

  it('answers 400 for a body that is not JSON, without echoing it', async () => {
    const broken = await call('identify', '{"userId": "leak-me@x.co", ', {
      ...SITE,
      'content-type': 'application/json',
    });
    expectRefused(broken, 400, 'INVALID_BODY');
    expect(broken.body).not.toContain('leak-me');
    expectRefused(await call('batch', '[1, 2]', SITE), 400, 'VALIDATION_FAILED');
    expectRefused(await call('batch', { batch: 'nope' }, SITE), 400, 'VALIDATION_FAILED');
  });

  it('answers 400 over 32 KB an event and 500 KB a body, and records the rest of a batch', async () => {
    const blob = 'x'.repeat(33 * 1024);
    expectRefused(
      await call('track', { userId: 'big-1', messageId: 'big-1', event: 'E', properties: { blob } }),
      400,
      'EVENT_TOO_LARGE',
    );
    expect((await storeOf(engine).getRecords(['segment:big-1'])).size).toBe(0);

    const mixed = await call('batch', {
      batch: [
        { type: 'track', userId: 'big-2', messageId: 'big-2', event: 'E', properties: { blob } },
        { type: 'identify', userId: 'small-2', messageId: 'small-2', traits: { email: 'fay@shop.io' } },
      ],
    });
    expectRefused(mixed, 400, 'EVENT_TOO_LARGE');
    expect(mixed.json().message).toContain('batch[0]');
    expect(await lookup('email', 'fay@shop.io')).toMatch(/^p_/);
    expect((await storeOf(engine).getRecords(['segment:big-2'])).size).toBe(0);

    const huge = await call('batch', {
      batch: Array.from({ length: 20 }, (_, index) => ({
        type: 'track',
        userId: `huge-${index}`,
        event: 'E',
        properties: { blob: 'y'.repeat(30 * 1024) },
      })),
    });
    expectRefused(huge, 400, 'PAYLOAD_TOO_LARGE');
    expect(await lookup('user_id', 'huge-0')).toBeNull();
  });

  it('answers 503 while the rules lack a usable source for the key, so libraries retry', async () => {
    const response = await call('identify', { userId: 'u-1' }, basic('wk-misconfigured-01'));
    expectRefused(response, 503, 'SOURCE_NOT_READY');
  });

  it('documents the calls in the OpenAPI document with the write-key scheme and their error answers', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, { post?: { security: unknown; responses: Record<string, unknown> } }>;
      components: { securitySchemes: Record<string, { scheme: string }> };
    };
    expect(document.components.securitySchemes.segmentWriteKey?.scheme).toBe('basic');
    for (const path of [
      'identify',
      'track',
      'page',
      'screen',
      'group',
      'alias',
      'batch',
      'i',
      't',
      'p',
      's',
      'g',
      'a',
      'b',
    ]) {
      const operation = document.paths[`/segment/v1/${path}`]?.post;
      expect(operation?.security, path).toEqual([{ segmentWriteKey: [] }]);
      expect(Object.keys(operation?.responses ?? {}).sort(), path).toEqual(['200', '400', '401', '429', '500', '503']);
    }
  });
});

describe('Segment tracking calls over the rate limit', () => {
  it('answers 429 in the Segment shape, which the libraries retry later', async () => {
    const limited = await buildApp({
      engine,
      audiences: storeOf(engine),
      keys: [],
      segmentWriteKeys: [{ writeKey: WRITE_KEY, source: 'segment' }],
      rateLimitPerMinute: 2,
    });
    try {
      const send = (n: number) =>
        limited.inject({
          method: 'POST',
          url: '/segment/v1/page',
          headers: SITE,
          payload: { anonymousId: `rl-${n}`, messageId: `rl-${n}` },
        });
      expectAccepted(await send(1));
      expectAccepted(await send(2));
      expectRefused(await send(3), 429, 'RATE_LIMITED');
      expect((await storeOf(engine).getRecords(['segment:rl-3'])).size).toBe(0);
    } finally {
      await limited.close();
    }
  });
});

describe('idgraph serve with write keys', () => {
  async function serveWith(writeKeys: string): Promise<{ code: number; err: string }> {
    let err = '';
    const port = String(await freePort());
    const code = await runCli(['node', 'idgraph', 'serve', '--store', join(folder, 'serve-store'), '--port', port], {
      out: () => undefined,
      err: (text) => {
        err += text;
      },
      env: readEnv({ IDGRAPH_API_KEYS: `${API_KEY}:admin`, IDGRAPH_SEGMENT_WRITE_KEYS: writeKeys }),
    });
    return { code, err };
  }

  it("refuses to start when a write key's source is not in the rules, or cannot take events", async () => {
    const unknown = await serveWith('wk-shop-site-0001:shop_events');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('IDGRAPH_SEGMENT_WRITE_KEYS: no source "shop_events" in the rules');
    const keyed = await serveWith('wk-shop-site-0001:crm');
    expect(keyed.code).toBe(2);
    expect(keyed.err).toContain('source "crm" must have key: messageId');
    expect(unknown.err + keyed.err).not.toContain('wk-shop-site-0001');
  });
});
