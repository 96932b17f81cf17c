/**
 * What the console's pages wait for on a large store, timed from a client over HTTP: the overview's
 * four statistics calls (sent together, as the page sends them), right after start-up, once
 * counted, and after writes; and a profile search (lookup by email, then the profile and its
 * history, as the profile page loads them).
 */
import { generateRecords } from '../src/synth/generate.js';
import { report } from './support.js';

const RUNS = 5;
const OVERVIEW = ['/stats', '/stats/identifiers', '/stats/trend', '/stats/conflicts'];

function client(address: string, key: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${address}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The first overview after the service started: it waits for the whole graph's first count. */
export async function overviewAfterStart(address: string, key: string, label: string): Promise<void> {
  const call = client(address, key);
  const first = await timed(() => Promise.all(OVERVIEW.map((path) => call('GET', path))));
  report(`console on the ${label}: first overview after start-up ${seconds(first)} (the whole graph counted once)`);
}

/**
 * Commits of 1,000 new records through the API, each followed by the overview, as a steward
 * watching the page during ingest sees it: the figures are brought up to date commit by commit.
 */
async function overviewDuringIngest(call: ReturnType<typeof client>): Promise<number[]> {
  const rows = [...generateRecords({ seed: 4242, records: 20_000 })]
    .filter((record) => record.source === 'crm')
    .map((record) => ({ ...record.fields, customer_id: `later-${record.fields.customer_id}` }));
  const times: number[] = [];
  for (let batch = 0; batch < 3; batch++) {
    await call('POST', '/sources/crm/records', { records: rows.slice(batch * 1000, (batch + 1) * 1000) });
    times.push(await timed(() => Promise.all(OVERVIEW.map((path) => call('GET', path)))));
  }
  return times;
}

export async function benchConsolePages(address: string, key: string, emails: readonly string[], label: string) {
  const call = client(address, key);
  const overview: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    overview.push(await timed(() => Promise.all(OVERVIEW.map((path) => call('GET', path)))));
  }
  const afterWrites = await overviewDuringIngest(call);
  const search: number[] = [];
  for (const email of emails.slice(0, 50)) {
    search.push(
      await timed(async () => {
        const { results } = (await call('POST', '/lookup', { identifiers: [{ type: 'email', value: email }] })) as {
          results: { profileId: string }[];
        };
        const found = results[0]?.profileId;
        // A placeholder or role address the rules refuse finds no profile: the page stops there too.
        if (!found) return;
        const id = encodeURIComponent(found);
        await Promise.all([call('GET', `/profiles/${id}`), call('GET', `/profiles/${id}/history`)]);
      }),
    );
  }
  const ms = (value: number) => `${Math.round(value)} ms`;
  const sorted = [...search].sort((a, b) => a - b);
  report(
    `console on the ${label}: overview ${overview.map(ms).join(', ')} (${RUNS} loads); ` +
      `after each of 3 commits of 1,000 records ${afterWrites.map(ms).join(', ')}; ` +
      `profile search median ${ms(sorted[Math.floor(sorted.length / 2)] ?? 0)}, slowest ${ms(sorted.at(-1) ?? 0)} ` +
      `(${sorted.length} searches: lookup, then profile and history together)`,
  );
}
