/**
 * Group commit through the HTTP API: concurrent one-record POSTs to /v1/sources/:source/records
 * are answered each with its own counts, in fewer commits than calls, every record then stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, KEYS, openTestApp, type TestApp } from '../support/http-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await openTestApp('group-commit');
});

afterAll(() => api.close());

const post = (source: string, records: readonly object[]) =>
  api.app.inject({
    method: 'POST',
    url: `/v1/sources/${source}/records`,
    headers: auth(KEYS.write),
    payload: { records },
  });

describe('POST /v1/sources/:source/records under concurrent calls', () => {
  it('answers 30 concurrent one-record calls 200, each with its own counts, in fewer commits', async () => {
    const before = await api.store.lastCommit();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        n === 11
          ? post('crm', [{ email: 'no-key@shop.io' }])
          : post('crm', [{ customer_id: `c${n}`, email: `person${n % 10}@shop.io`, country: 'GB' }]),
      ),
    );
    const commits = (await api.store.lastCommit()) - before;
    expect(commits).toBeGreaterThan(0);
    // 29 calls wrote a record; one commit each would be 29 (about 2 are written here).
    expect(commits).toBeLessThanOrEqual(15);

    responses.forEach((response, n) => {
      expect(response.statusCode).toBe(200);
      const body = response.json();
      if (n === 11) {
        expect(body).toMatchObject({ accepted: 0, commit: null });
        expect(body.rejected).toEqual([{ index: 0, reason: 'MISSING_KEY', field: 'customer_id' }]);
      } else {
        expect(body).toMatchObject({ accepted: 1, unchanged: 0, rejected: [], contested: [] });
        expect(body.commit).toBeGreaterThan(before);
        expect(body.commit).toBeLessThanOrEqual(before + commits);
      }
    });
    // Calls answered with the same commit report that commit's figures.
    const byCommit = new Map<number, string>();
    for (const response of responses) {
      const { commit, profilesCreated, merges, splits } = response.json();
      if (commit === null) continue;
      const figures = JSON.stringify({ profilesCreated, merges, splits });
      expect(byCommit.get(commit) ?? figures).toBe(figures);
      byCommit.set(commit, figures);
    }
    expect(byCommit.size).toBe(commits);

    const stored = await api.store.getRecords(Array.from({ length: 30 }, (_, n) => `crm:c${n}`));
    expect(stored.size).toBe(29);
    // Ten emails: ten profiles.
    const profiles = new Set((await api.store.profileIdsOf([...stored.keys()])).values());
    expect(profiles.size).toBe(10);
  });
});
