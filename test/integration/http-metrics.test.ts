/** What operators watch: Prometheus metrics of requests, commits and profile events; readiness apart from liveness. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await openTestApp('metrics');
});

afterAll(() => api?.close());

/** The value of one sample line, e.g. `idgraph_commits_total 2`; undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((one) => one.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const metrics = async () => {
  const response = await api.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain');
  return response.body;
};

describe('GET /metrics', () => {
  it('counts commits, records and merges per rule as they happen, and requests per route pattern', async () => {
    const before = await metrics();
    expect(sample(before, 'idgraph_commits_total')).toBe(0);
    await api.ingest('crm', [
      { customer_id: 'c1', email: 'ann.lee@shop.io', first_name: 'Ann' },
      { customer_id: 'c2', email: 'Ann.Lee@shop.io' },
    ]);
    await api.ingest('crm', [{ customer_id: 'c3', email: 'ann.lee@shop.io' }]);
    for (const id of ['p_one', 'p_two']) {
      await api.app.inject({ method: 'GET', url: `/v1/profiles/${id}`, headers: auth(KEYS.read) });
    }

    const after = await metrics();
    expect(sample(after, 'idgraph_commits_total')).toBe(2);
    expect(sample(after, 'idgraph_records_written_total')).toBe(3);
    expect(sample(after, 'idgraph_profile_events_total', '{kind="profile_created",rule="email"}')).toBe(1);
    expect(sample(after, 'idgraph_profile_events_total', '{kind="records_added",rule="email"}')).toBe(1);
    expect(sample(after, 'idgraph_store_last_commit')).toBe(2);
    expect(sample(after, 'idgraph_commit_duration_seconds_count')).toBe(2);
    // Two profile IDs, one route: the pattern is the label, never the ID a client sent.
    expect(sample(after, 'idgraph_http_requests_total', '{method="GET",route="/v1/profiles/:id",status="404"}')).toBe(
      2,
    );
    expect(after).not.toContain('p_one');
    expect(after).not.toContain('ann.lee');
    expect(after).toContain('idgraph_process_resident_memory_bytes');
  });

  it('needs no API key', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });
});

// Not ready while the store does not answer: test/graph/neo4j-failures.test.ts, with a Neo4j server killed.
describe('readiness and liveness', () => {
  it('is ready while the store answers, with the last commit', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', lastCommit: expect.any(Number) });
  });
});
