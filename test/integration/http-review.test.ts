/** The review queue over HTTP: list with filters and pages, one item side by side, decisions with the actor. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

let api: TestApp;
let app: FastifyInstance;

const crm = (id: string, first: string, last: string, postcode: string) => ({
  customer_id: id,
  country: 'GB',
  first_name: first,
  last_name: last,
  postcode,
});

beforeAll(async () => {
  api = await openTestApp('review');
  app = api.app;
  // Two pairs in the default fuzzy rule's review band (7, from 5 up to 8).
  await api.ingest('crm', [crm('c1', 'Ann', 'Lee', 'N1 9GU'), crm('c2', 'Anne', 'Lee', 'N1 9GU')]);
  await api.ingest('crm', [crm('c3', 'Robb', 'Kim', 'E1 6AN'), crm('c4', 'Rob', 'Kim', 'E1 6AN')]);
});

afterAll(() => api.close());

const get = (url: string, key = KEYS.read) => app.inject({ method: 'GET', url, headers: auth(key) });
const decide = (id: string, payload: object, key = KEYS.write) =>
  app.inject({ method: 'POST', url: `/v1/review/${id}/decision`, headers: auth(key), payload });

describe('/v1/review', () => {
  it('lists open items oldest first, with filters and pages, and no record values', async () => {
    const all = await get('/v1/review');
    expect(all.statusCode).toBe(200);
    const body = all.json();
    expect(body).toMatchObject({ total: 2, offset: 0, limit: 50 });
    expect(body.items.map((item: { a: string; b: string }) => [item.a, item.b])).toEqual([
      ['crm:c1', 'crm:c2'],
      ['crm:c3', 'crm:c4'],
    ]);
    expect(body.items[0]).toMatchObject({ kind: 'score_band', rule: 'name_postcode_dob', score: 7, threshold: 8 });
    expect(all.body).not.toMatch(/anne|robb/i);

    const second = (await get('/v1/review?limit=1&offset=1')).json();
    expect(second).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(second.items).toEqual([body.items[1]]);
    expect((await get('/v1/review?kind=refused')).json()).toMatchObject({ total: 0, items: [] });
    expect((await get('/v1/review?rule=name_postcode_dob&kind=score_band')).json().total).toBe(2);
    expect((await get('/v1/review?status=decided')).json().total).toBe(0);

    const bad = await get('/v1/review?limit=0&status=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      bad
        .json()
        .issues.map((issue: { path: string }) => issue.path)
        .sort(),
    ).toEqual(['querystring.limit', 'querystring.status']);
    expect((await get('/v1/review', KEYS.report)).statusCode).toBe(403);
  });

  it('shows one item with its two records side by side and the pair scored now', async () => {
    const [first] = (await get('/v1/review')).json().items;
    const shown = await get(`/v1/review/${first.id}`);
    expect(shown.statusCode).toBe(200);
    const view = shown.json();
    expect(view.item).toEqual(first);
    expect(view.records).toMatchObject([
      { ref: 'crm:c1', source: 'crm', recordId: 'c1', profileId: expect.stringMatching(/^p_/) },
      { ref: 'crm:c2', profileId: expect.stringMatching(/^p_/) },
    ]);
    expect(view.records[0].profileId).not.toBe(view.records[1].profileId);
    expect(view.fields).toContainEqual({ field: 'first_name', a: ['ann'], b: ['anne'], agree: false, inRule: true });
    expect(view.fields).toContainEqual({ field: 'last_name', a: ['lee'], b: ['lee'], agree: true, inRule: true });
    expect(view.fields).toContainEqual({ field: 'country', a: ['GB'], b: ['GB'], agree: true, inRule: false });
    expect(view.fields[0].field).toBe('first_name');
    expect(view.scoring).toMatchObject({ rule: 'name_postcode_dob', score: 7, threshold: 8, reviewFrom: 5 });
    expect(view.scoring.evidence.map((item: { field: string; weight: number }) => [item.field, item.weight])).toEqual([
      ['first_name', 2],
      ['last_name', 3],
      ['postcode', 2],
    ]);
    const missing = await get('/v1/review/r_00000000000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('decides with the write scope: keep apart and link, each recorded with the actor, once', async () => {
    const [ann, rob] = (await get('/v1/review')).json().items;
    expect((await decide(ann.id, { action: 'keep_apart', actor: 'kim' }, KEYS.read)).statusCode).toBe(403);
    const bad = await decide(ann.id, { action: 'merge', actor: '' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((issue: { path: string }) => issue.path)
        .sort(),
    ).toEqual(['body.action', 'body.actor']);

    const kept = await decide(ann.id, { action: 'keep_apart', actor: 'kim', note: 'two people' });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({
      commit: expect.any(Number),
      merges: 0,
      item: {
        id: ann.id,
        status: 'decided',
        decision: { action: 'keep_apart', actor: 'user:kim', note: 'two people' },
      },
    });
    const again = await decide(ann.id, { action: 'link', actor: 'kim' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REVIEW_ITEM_DECIDED' });
    const unknown = await decide('r_00000000000000000000', { action: 'link', actor: 'kim' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'REVIEW_ITEM_NOT_FOUND' });

    const linked = await decide(rob.id, { action: 'link', actor: 'kim' });
    expect(linked.json()).toMatchObject({ merges: 1, item: { status: 'decided', decision: { action: 'link' } } });
    const view = (await get(`/v1/review/${rob.id}`)).json();
    expect(view.records[0].profileId).toBe(view.records[1].profileId);

    expect((await get('/v1/review')).json().total).toBe(0);
    const decided = (await get('/v1/review?status=decided')).json();
    expect(decided.items.map((item: { id: string }) => item.id)).toEqual([ann.id, rob.id]);
    expect((await get('/v1/review?status=all')).json().total).toBe(2);
    const stats = await get('/v1/stats', KEYS.report);
    expect(stats.json().openReviewItems).toBe(0);
  });

  it('is documented: the routes, their scopes and their error answers', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const decision = document.paths['/v1/review/{id}/decision'].post;
    expect(Object.keys(decision.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '413', '415', '429', '500', '503']),
    );
    expect(Object.keys(document.paths['/v1/review'].get.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
    expect(document.paths['/v1/review/{id}'].get.tags).toEqual(['review']);
  });
});
