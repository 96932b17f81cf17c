/** The audience routes through fastify's inject: create, preview, report, export, and their refusals. */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

const { write: WRITE, report: REPORT, read: READ } = KEYS;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let api: TestApp;
let app: FastifyInstance;

beforeAll(async () => {
  api = await openTestApp('api-audiences', { scopes: ['write', 'report', 'read'] });
  app = api.app;
  await api.ingest('crm', [
    { customer_id: 'c1', email: 'ann.lee@gmail.com', country: 'GB', first_name: 'Ann' },
    { customer_id: 'c2', email: 'bob@shop.io', phone: '12345', country: 'GB' },
  ]);
  await api.ingest('app', [
    { install_id: 'a1', email: 'Ann.Lee@gmail.com', phone: '+44 7700 900123', first_name: 'Ann' },
  ]);
});

afterAll(() => api.close());

const create = (payload: object, key = WRITE) =>
  app.inject({ method: 'POST', url: '/v1/audiences', headers: auth(key), payload });

describe('audience routes', () => {
  it('creates an audience, lists rejected rows by index, and previews it in people', async () => {
    const response = await create({
      id: 'spring',
      name: 'Spring sale',
      members: [
        { source: 'crm', record_id: 'c1' },
        { source: 'crm', record_id: 'c2' },
        { email: 'ANN.LEE@gmail.com' },
        { record_id: 'x' },
      ],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      audience: { id: 'spring', name: 'Spring sale', rows: 4, rowsRejected: 1 },
      preview: { people: 2, rowsNotFound: 0, rowsUnresolved: 0, suppressed: 0 },
      rejected: [{ index: 3, reason: 'RECORD_ID_WITHOUT_SOURCE' }],
    });
    const again = await create({ id: 'spring', members: [{ email: 'bob@shop.io' }] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('AUDIENCE_EXISTS');
    const listed = await app.inject({ method: 'GET', url: '/v1/audiences', headers: auth(REPORT) });
    expect(listed.json().audiences.map((a: { id: string }) => a.id)).toEqual(['spring']);
    const one = await app.inject({ method: 'GET', url: '/v1/audiences/spring', headers: auth(REPORT) });
    expect(one.json().preview.people).toBe(2);
  });

  it('suppresses everyone who resolves into another audience', async () => {
    const buyers = await create({ id: 'buyers', members: [{ phone: '+447700900123' }] });
    expect(buyers.statusCode).toBe(201);
    const response = await create({
      id: 'spring-minus-buyers',
      suppress: ['buyers'],
      members: [
        { source: 'crm', record_id: 'c1' },
        { source: 'crm', record_id: 'c2' },
      ],
    });
    expect(response.json().preview).toMatchObject({ people: 1, suppressed: 1 });
    const missing = await create({ id: 'other', suppress: ['nope'], members: [{ email: 'bob@shop.io' }] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('SUPPRESS_NOT_FOUND');
  });

  it('reports for one destination, with the lift from resolution', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/audiences/spring/report?destination=meta',
      headers: auth(REPORT),
    });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.destination.platform).toBe('meta');
    expect(report.funnel).toMatchObject({ profilesAfterResolution: 2, profilesSendable: 2 });
    const phone = report.identifierCoverage.find((c: { type: string }) => c.type === 'phone');
    // Ann's phone is on her app record only: resolution brings it in.
    expect(phone).toMatchObject({ profilesBefore: 0, profilesAfter: 1, valuesInvalid: 1 });
    expect(report.invalid).toContainEqual(
      expect.objectContaining({ field: 'phone', reason: 'PHONE_LENGTH', count: 1 }),
    );
  });

  it('runs a report in the background with its progress, ending with the report GET gives', async () => {
    const started = await app.inject({
      method: 'POST',
      url: '/v1/audiences/spring/report-runs',
      headers: auth(REPORT),
      payload: { destination: 'meta' },
    });
    expect(started.statusCode).toBe(202);
    const { runId, status } = started.json();
    expect(status).toBe('running');
    let run = started.json();
    for (let tries = 0; run.status === 'running' && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      run = (await app.inject({ method: 'GET', url: `/v1/report-runs/${runId}`, headers: auth(REPORT) })).json();
    }
    expect(run).toMatchObject({ runId, audience: 'spring', destination: 'meta', status: 'done' });
    expect(run.progress.step).toBe('people');
    expect(run.progress.done).toBe(run.progress.total);
    const direct = (
      await app.inject({ method: 'GET', url: '/v1/audiences/spring/report?destination=meta', headers: auth(REPORT) })
    ).json();
    expect(run.report.funnel).toEqual(direct.funnel);
    expect(run.report.identifierCoverage).toEqual(direct.identifierCoverage);

    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/audiences/nope/report-runs',
      headers: auth(REPORT),
      payload: { destination: 'meta' },
    });
    expect(unknown.statusCode).toBe(404);
    const noRun = await app.inject({ method: 'GET', url: '/v1/report-runs/run_nope', headers: auth(REPORT) });
    expect(noRun.statusCode).toBe(404);
    const readOnly = await app.inject({ method: 'GET', url: `/v1/report-runs/${runId}`, headers: auth(READ) });
    expect(readOnly.statusCode).toBe(403);
  });

  it('reports for every destination at once', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/audiences/spring/reports', headers: auth(REPORT) });
    expect(response.statusCode).toBe(200);
    const platforms = response.json().reports.map((r: { destination: { platform: string } }) => r.destination.platform);
    expect(platforms).toEqual([
      'meta',
      'google',
      'tiktok',
      'linkedin',
      'snapchat',
      'pinterest',
      'x',
      'the_trade_desk',
      'amazon',
    ]);
  });

  it("streams the destination's upload file as CSV", async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/audiences/spring/export?destination=google',
      headers: auth(REPORT),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.body.trim().split('\n');
    expect(lines[0]?.split(',')[0]).toBe('Email');
    // Google folds gmail dots before hashing; the phone keeps its "+".
    expect(response.body).toContain(sha256('annlee@gmail.com'));
    expect(response.body).toContain(sha256('+447700900123'));
    expect(response.body).not.toContain('ann.lee');
  });

  it('refuses unknown audiences (404), unknown destinations (400) and keys without the scope (403)', async () => {
    const unknown = await app.inject({
      method: 'GET',
      url: '/v1/audiences/nope/report?destination=meta',
      headers: auth(REPORT),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('AUDIENCE_NOT_FOUND');
    const badDestination = await app.inject({
      method: 'GET',
      url: '/v1/audiences/spring/report?destination=myspace',
      headers: auth(REPORT),
    });
    expect(badDestination.statusCode).toBe(400);
    expect(badDestination.json().code).toBe('VALIDATION_FAILED');
    const badId = await create({ id: 'Bad Id!', members: [{ email: 'bob@shop.io' }] });
    expect(badId.statusCode).toBe(400);
    const readOnly = await app.inject({ method: 'GET', url: '/v1/audiences', headers: auth(READ) });
    expect(readOnly.statusCode).toBe(403);
    const reportOnly = await create({ id: 'x', members: [{ email: 'bob@shop.io' }] }, REPORT);
    expect(reportOnly.statusCode).toBe(403);
  });
});
