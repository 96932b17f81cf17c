/**
 * What the console's pages wait for on a large store, timed from a client over HTTP: the overview's
 * four statistics calls (sent together, as the page sends them) and a profile search (lookup by
 * email, then the profile and its history, as the profile page loads them).
 */
import { report } from './support.js';

const RUNS = 5;

export async function benchConsolePages(address: string, key: string, emails: readonly string[], label: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${address}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const timed = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };

  const overview: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    overview.push(
      await timed(() =>
        Promise.all(
          ['/stats', '/stats/identifiers', '/stats/trend', '/stats/conflicts'].map((path) => call('GET', path)),
        ),
      ),
    );
  }
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
    `console on the ${label}: overview ${overview.map(ms).join(', ')} (${RUNS} loads, first cold); ` +
      `profile search median ${ms(sorted[Math.floor(sorted.length / 2)] ?? 0)}, slowest ${ms(sorted.at(-1) ?? 0)} ` +
      `(${sorted.length} searches: lookup, then profile and history together)`,
  );
}
