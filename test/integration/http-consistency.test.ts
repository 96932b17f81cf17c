/**
 * Read-your-writes tokens and the read cache through the API, on the embedded store (one process:
 * its own tokens are always satisfied at once; the two-instance case runs on Neo4j in test/graph).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await openTestApp('consistency', { readCache: { waitMs: 100 } });
});

afterAll(() => api?.close());

const lookup = (email: string, headers: Record<string, string> = {}) =>
  api.app.inject({
    method: 'POST',
    url: '/v1/lookup',
    headers: { ...auth(KEYS.read), ...headers },
    payload: { identifiers: [{ type: 'email', value: email }] },
  });

const sample = (text: string, name: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${name} `))
      ?.split(' ')[1],
  );

describe('Idgraph-Consistency', () => {
  it('comes with every write answer, naming the commit written; a read sending it back sees the write', async () => {
    expect((await lookup('ann@shop.io')).json().results[0].profileId).toBeNull();
    const write = await api.app.inject({
      method: 'POST',
      url: '/v1/sources/crm/records',
      headers: auth(KEYS.write),
      payload: { records: [{ customer_id: 'c1', email: 'ann@shop.io' }] },
    });
    expect(write.statusCode).toBe(200);
    const token = write.headers['idgraph-consistency'] as string;
    expect(token).toBe(String(write.json().commit));
    const read = await lookup('ann@shop.io', { 'idgraph-consistency': token });
    expect(read.statusCode).toBe(200);
    expect(read.json().results[0].profileId).toMatch(/^p_/);

    // The same batch again changes nothing: no commit, and the token names the commit it found.
    const again = await api.app.inject({
      method: 'POST',
      url: '/v1/sources/crm/records',
      headers: auth(KEYS.write),
      payload: { records: [{ customer_id: 'c1', email: 'ann@shop.io' }] },
    });
    expect(again.json().commit).toBeNull();
    expect(again.headers['idgraph-consistency']).toBe(token);
  });

  it('refuses at once a commit the one-process embedded store never reached: no other writer can bring it', async () => {
    const read = await lookup('ann@shop.io', { 'idgraph-consistency': '999' });
    expect(read.statusCode).toBe(400);
    expect(read.json()).toMatchObject({ code: 'CONSISTENCY_UNKNOWN_COMMIT' });
    expect(read.json().message).toContain('999');
  });

  it('refuses a token that is not one, naming the header', async () => {
    const read = await lookup('ann@shop.io', { 'idgraph-consistency': 'soon please' });
    expect(read.statusCode).toBe(400);
    expect(read.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(read.json().issues[0].path).toBe('headers.idgraph-consistency');
  });

  it('is in the OpenAPI document: a header of read routes, a note on write routes', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const parameters = document.paths['/v1/lookup'].post.parameters as { name: string; in: string }[];
    expect(parameters).toContainEqual(expect.objectContaining({ name: 'idgraph-consistency', in: 'header' }));
    const profile = document.paths['/v1/profiles/{id}'].get.parameters as { name: string }[];
    expect(profile.map((parameter) => parameter.name)).toContain('idgraph-consistency');
    expect(document.paths['/v1/sources/{source}/records'].post.description).toContain('Idgraph-Consistency');
  });
});

describe('the read cache', () => {
  it('answers repeated lookups from the cache, counted in /metrics, and a write moves it on at once', async () => {
    const metrics = async () => (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    const before = await metrics();
    await lookup('bob@shop.io');
    await lookup('bob@shop.io');
    const after = await metrics();
    expect(sample(after, 'idgraph_read_cache_hits_total')).toBeGreaterThan(
      sample(before, 'idgraph_read_cache_hits_total'),
    );
    expect(sample(after, 'idgraph_read_cache_entries')).toBeGreaterThan(0);

    await api.ingest('crm', [{ customer_id: 'c2', email: 'bob@shop.io' }]);
    // No token and no poll due: this instance's own commit moved the cache.
    expect((await lookup('bob@shop.io')).json().results[0].profileId).toMatch(/^p_/);
    const moved = await metrics();
    expect(sample(moved, 'idgraph_read_cache_drops_total')).toBeGreaterThan(
      sample(after, 'idgraph_read_cache_drops_total'),
    );
    expect(sample(moved, 'idgraph_read_cache_commit')).toBe(sample(moved, 'idgraph_store_last_commit'));
  });
});
