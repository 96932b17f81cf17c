/**
 * The console in a real browser (Debian's Chromium through playwright-core) against a real
 * `idgraph serve` on synthetic data: sign-in, every page with real data, a profile unmerged, an
 * audience made from a file with its report and upload file, the rules checked; axe-core on every
 * page; no request leaves the machine. Screenshots of the main pages go to docs/screenshots.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServer, launchChromium, startConsoleServer } from './console-server.js';

const ADMIN = 'browser-admin-key-0123456789';
const REPORT = 'browser-report-key-012345678';
const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: ConsoleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];

async function apiCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const profileOf = async (ref: string) =>
  (await apiCall<{ profileId: string }>('POST', '/explain', { a: ref, b: ref })).profileId;

/** axe-core in the page: no serious or critical violation. */
async function expectAccessible(name: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  // Evaluated as text in the page (this file is type-checked without the DOM's types).
  const violations = (await page.evaluate(`axe.run().then((result) => result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(' ')),
  })))`)) as { id: string; impact: string; targets: string[] }[];
  const grave = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(grave, `${name}: ${JSON.stringify(grave)}`).toEqual([]);
}

const nav = (name: string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name });

async function screenshot(name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

beforeAll(async () => {
  server = await startConsoleServer(`${ADMIN}:admin,${REPORT}:report`);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('request', (request) => requested.push(request.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the console in Chromium', { timeout: 60_000 }, () => {
  it('shows a sign-in asking for the API key, with no request leaving the machine', async () => {
    await page.goto(`${server.url}/`);
    await expect(page.getByLabel('API key').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect(requested.length).toBeGreaterThan(1);
    for (const url of requested) expect(new URL(url).hostname, url).toBe('127.0.0.1');
    await expectAccessible('sign-in');
    await screenshot('sign-in');
  });

  it('refuses an unknown key and keeps a good one in sessionStorage only', async () => {
    await page.getByLabel('API key').fill('not-a-key-of-this-server');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This API key is not known.').waitFor();
    await page.getByLabel('API key').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const stored = await page.evaluate(
      "({ session: sessionStorage.getItem('idgraph.apiKey'), local: localStorage.length, cookie: document.cookie })",
    );
    expect(stored).toEqual({ session: ADMIN, local: 0, cookie: '' });
  });

  it('shows the overview with the figures of the graph', async () => {
    const stats = await apiCall<{ profiles: number; records: number }>('GET', '/stats');
    expect(stats.records).toBeGreaterThan(500);
    const figure = (label: string) => page.locator('.figure', { hasText: label }).locator('.value').first();
    await expect(figure('Profiles').textContent()).resolves.toBe(stats.profiles.toLocaleString('en-GB'));
    await expect(figure('Records').textContent()).resolves.toBe(stats.records.toLocaleString('en-GB'));
    await expect(figure('Pairs to review').textContent()).resolves.toBe(
      (await apiCall<{ openReviewItems: number }>('GET', '/stats')).openReviewItems.toLocaleString('en-GB'),
    );
    const identifiers = Number((await figure('Identifiers').textContent())?.replace(/,/g, ''));
    expect(identifiers).toBeGreaterThan(100);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await page
      .getByRole('region', { name: 'Over-merge suspects: largest profiles' })
      .getByRole('link')
      .first()
      .waitFor();
    await expectAccessible('overview');
    await screenshot('overview');
  });

  it('finds a profile by email and shows its golden record, graph and history', async () => {
    const first = JSON.parse((await readFile(`${server.data}/crm.ndjson`, 'utf8')).split('\n')[0] as string);
    const expected = await profileOf(`crm:${first.customer_id}`);
    await nav('Profiles').click();
    await page.getByLabel('Find by').selectOption('email');
    await page.getByLabel('Value').fill(first.email.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: `Profile ${expected}` }).waitFor();
    const golden = page.getByRole('region', { name: 'Golden record' });
    await expect(golden.getByRole('row', { name: /last_name/ }).textContent()).resolves.toContain(
      first.last_name.toLowerCase(),
    );
    await page.locator('.graph canvas').first().waitFor();
    await expect(
      page.getByRole('list', { name: 'Events, newest first' }).getByRole('listitem').count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible('profile');
    await screenshot('profile');

    // Why not together: a record of another profile, and the page lists what the API says kept them apart.
    const rows = (await readFile(`${server.data}/crm.ndjson`, 'utf8')).trim().split('\n');
    const firstRef = `crm:${first.customer_id}`;
    let other = '';
    for (const row of rows.slice(1)) {
      const ref = `crm:${JSON.parse(row).customer_id}`;
      if ((await profileOf(ref)) !== expected) {
        other = ref;
        break;
      }
    }
    const { apart } = await apiCall<{ apart: { reason: string }[] }>('POST', '/explain', { a: firstRef, b: other });
    expect(apart.length).toBeGreaterThan(0);
    await page.locator('#why-a').fill(firstRef);
    await page.locator('#why-b').fill(other);
    await page.getByRole('button', { name: 'Explain' }).click();
    const reasons = page.locator('ul.apart li');
    await reasons.first().waitFor();
    await expect(reasons.count()).resolves.toBe(apart.length);
    await expect(page.getByRole('status').filter({ hasText: 'Not together' }).count()).resolves.toBe(1);
  });

  it('unmerges a merge from the profile page, with the actor recorded, and the history shows it', async () => {
    const crm = (await readFile(`${server.data}/crm.ndjson`, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const refs = crm.map((row) => `crm:${row.customer_id}`);
    const a = refs[1] as string;
    let b = '';
    for (const ref of refs.slice(2)) if ((await profileOf(ref)) !== (await profileOf(a))) b = ref;
    await apiCall('POST', '/decisions', { decision: { kind: 'link', a, b }, actor: 'setup' });
    const merged = await profileOf(a);
    expect(await profileOf(b)).toBe(merged);
    await page.goto(`${server.url}/#/profile/${merged}`);
    await page.getByRole('heading', { name: `Profile ${merged}` }).waitFor();
    const timeline = page.getByRole('list', { name: 'Events, newest first' });
    const splitsBefore = await timeline.locator('li.split').count();
    await page.getByLabel('Acting as').fill('steward-ann');
    await timeline.locator('li.merge').first().getByRole('button', { name: 'Unmerge' }).click();
    await timeline.locator('li.split').nth(splitsBefore).waitFor();
    await expect(timeline.locator('li.split').first().textContent()).resolves.toContain('user:steward-ann');
    expect(await profileOf(a)).not.toBe(await profileOf(b));
  });

  it('shows the review queue, a pair side by side, and keeps one apart and links another with the actor', async () => {
    // Two pairs in the default fuzzy rule's review band: Ann and Anne Lee, Robb and Rob Kim, at one postcode each.
    const person = (id: string, first: string, last: string, postcode: string) => ({
      customer_id: id,
      country: 'GB',
      first_name: first,
      last_name: last,
      postcode,
    });
    await apiCall('POST', '/sources/crm/records', {
      records: [
        person('RV1', 'Ann', 'Lee', 'N1 9GU'),
        person('RV2', 'Anne', 'Lee', 'N1 9GU'),
        person('RV3', 'Robb', 'Kim', 'E1 6AN'),
        person('RV4', 'Rob', 'Kim', 'E1 6AN'),
      ],
    });
    type Item = { id: string; a: string; b: string };
    const queue = await apiCall<{ items: Item[]; total: number }>('GET', '/review?limit=500');
    const itemOf = (ref: string) => queue.items.find((item) => item.a === ref || item.b === ref) as Item;
    const [ann, rob] = [itemOf('crm:RV1'), itemOf('crm:RV3')];
    expect([ann.b, rob.b]).toEqual(['crm:RV2', 'crm:RV4']);
    await nav('Review').click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `of ${queue.total} item(s)` })
      .waitFor();
    const rows = page.getByRole('table', { name: 'Review items' }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(Math.min(queue.total, 25));
    await page.getByRole('link', { name: `${ann.a} and ${ann.b}` }).click();

    await page.getByRole('heading', { name: `${ann.a} and ${ann.b}` }).waitFor();
    const view = await apiCall<{ fields: { field: string; a: string[]; b: string[]; agree: boolean | null }[] }>(
      'GET',
      `/review/${ann.id}`,
    );
    const sideBySide = page.getByRole('table', { name: 'The two records side by side' });
    for (const field of view.fields) {
      const cells = await sideBySide
        .getByRole('row', { name: new RegExp(`^${field.field}`) })
        .locator('td')
        .allTextContents();
      expect(cells, field.field).toEqual([
        field.a.join(', ') || '—',
        field.b.join(', ') || '—',
        field.agree === null ? '' : field.agree ? 'same' : 'differs',
      ]);
    }
    expect(view.fields.find((field) => field.field === 'first_name')).toMatchObject({ a: ['ann'], b: ['anne'] });
    await page.getByRole('region', { name: 'Score under name_postcode_dob' }).getByText('7 now').waitFor();
    await expectAccessible('review');
    await screenshot('review');

    await page.getByLabel('Acting as').fill('steward-kim');
    await page.getByRole('button', { name: 'Keep apart' }).click();
    await page.getByRole('status').filter({ hasText: 'kept apart by user:steward-kim' }).waitFor();
    const decided = await apiCall<{ item: { status: string; decision: { action: string; actor: string } } }>(
      'GET',
      `/review/${ann.id}`,
    );
    expect(decided.item).toMatchObject({
      status: 'decided',
      decision: { action: 'keep_apart', actor: 'user:steward-kim' },
    });
    expect(await profileOf(ann.a)).not.toBe(await profileOf(ann.b));

    await page.goto(`${server.url}/#/review/${rob.id}`);
    await page.getByRole('heading', { name: `${rob.a} and ${rob.b}` }).waitFor();
    await page.getByRole('button', { name: 'Link' }).click();
    await page.getByRole('status').filter({ hasText: 'linked by user:steward-kim' }).waitFor();
    expect(await profileOf(rob.a)).toBe(await profileOf(rob.b));

    await page.getByRole('link', { name: 'Back to the review queue' }).click();
    await page.getByLabel('Status').selectOption('decided');
    await page.getByRole('link', { name: `${rob.a} and ${rob.b}` }).waitFor();
    await expect(rows.count()).resolves.toBe(2);
    await expectAccessible('review queue');
  });

  it('creates an audience from a file, shows its preview and report, and downloads the upload file', async () => {
    const crm = (await readFile(`${server.data}/crm.ndjson`, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const csv = ['email,phone,country', ...crm.slice(0, 60).map((row) => `${row.email ?? ''},${row.phone ?? ''},GB`)];
    csv.push('test@test.com,,GB', 'not-an-email,,GB');
    await nav('Audiences').click();
    const upload = page.getByRole('region', { name: 'New audience from a file' });
    await upload.getByLabel(/Audience id/).fill('spring-sale');
    await upload.getByLabel('Name', { exact: true }).fill('Spring sale');
    await upload.getByLabel(/Members file/).setInputFiles({
      name: 'members.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${csv.join('\n')}\n`),
    });
    await page.getByText('members.csv: 62 rows read').waitFor();
    await page.getByRole('button', { name: 'Create audience' }).click();
    const preview = page.locator('.preview');
    await preview.waitFor();
    const expected = await apiCall<{ preview: { people: number; rows: number } }>('GET', '/audiences/spring-sale');
    expect(expected.preview.rows).toBe(62);
    await expect(preview.getByRole('row', { name: /^People/ }).textContent()).resolves.toContain(
      String(expected.preview.people),
    );
    const before = requested.length;
    await page.getByRole('button', { name: 'Open its report' }).click();
    await page.getByRole('region', { name: /Funnel in people/ }).waitFor();
    // The page runs the report in the background and follows its progress (GET /v1/report-runs/...).
    const asked = requested.slice(before);
    expect(asked.filter((url) => url.endsWith('/v1/audiences/spring-sale/report-runs'))).toHaveLength(1);
    expect(asked.some((url) => url.includes('/v1/report-runs/run_'))).toBe(true);
    await page.getByRole('region', { name: 'Fixes, ranked by expected gain' }).waitFor();
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await expectAccessible('audience report');
    await screenshot('audience-report');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Download the upload file/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('spring-sale-meta.csv');
    const file = await readFile((await download.path()) as string, 'utf8');
    const direct = await fetch(`${server.url}/v1/audiences/spring-sale/export?destination=meta`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((response) => response.text());
    expect(file).toBe(direct);
    expect(file.split('\n').length).toBeGreaterThan(10);
    await nav('Audiences').click();
    await page.getByRole('link', { name: 'spring-sale' }).waitFor();
    await expectAccessible('audiences');
  });

  it('builds an audience from conditions with live counts, saves it with an audit trail, and opens its report', async () => {
    await nav('Audiences').click();
    const builder = page.getByRole('form', { name: 'Audience builder' });
    await builder.waitFor();
    await builder.getByRole('button', { name: 'Add a condition' }).click();
    const expected = await apiCall<{ people: number; profiles: number }>('POST', '/segments/preview', {
      conditions: [
        { kind: 'attribute', name: 'country', op: 'is', value: 'GB' },
        { kind: 'has', type: 'phone' },
      ],
    });
    expect(expected.people).toBeGreaterThan(0);
    expect(expected.people).toBeLessThan(expected.profiles);
    await builder
      .getByRole('status')
      .filter({
        hasText: `${expected.people.toLocaleString('en-GB')} people of ${expected.profiles.toLocaleString('en-GB')}`,
      })
      .waitFor();
    await expectAccessible('audience builder');
    await builder.scrollIntoViewIfNeeded();
    await screenshot('audience-builder');
    await builder.getByLabel('Audience id').fill('gb-phones');
    await builder.getByLabel('Name', { exact: true }).fill('GB with a phone');
    await builder.getByLabel('Your name').fill('marketer-kim');
    await builder.getByRole('button', { name: 'Save audience' }).click();
    const info = page.getByRole('region', { name: 'Built from conditions' });
    await info.waitFor();
    await expect(info.textContent()).resolves.toContain('country is GB · has a phone');
    await expect(info.getByRole('list', { name: 'Audit trail' }).textContent()).resolves.toContain(
      'created by marketer-kim',
    );
    const lastCommit = (await apiCall<{ commit: number }>('GET', '/stats')).commit;
    await expect(info.textContent()).resolves.toContain(`Resolved against commit ${lastCommit}`);
    await page.getByRole('region', { name: /Funnel in people/ }).waitFor();
    const preview = page.getByRole('region', { name: 'Preview in people' });
    await expect(preview.getByRole('row', { name: /^People/ }).textContent()).resolves.toContain(
      expected.people.toLocaleString('en-GB'),
    );
  });

  it('validates a rules change with located errors and shows its dry run', async () => {
    await nav('Rules').click();
    const editor = page.getByLabel('Or edit here (YAML)');
    await editor.waitFor();
    const text = await editor.inputValue();
    await editor.fill(text.replace('min_score: 8', 'min_score: eight'));
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByText('Invalid.').waitFor();
    const line = text.split('\n').findIndex((one) => one.includes('min_score: 8')) + 1;
    await page.getByRole('button', { name: new RegExp(`^line ${line}, column`) }).waitFor();
    await editor.fill(text.replace('min_score: 8', 'min_score: 6'));
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByText('Valid.').waitFor();
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect(page.locator('.diff').textContent()).resolves.toMatch(/records: .* profiles now/);
    await expectAccessible('rules');
    await screenshot('rules');
  });

  it('draws a profile of more than 50 records capped at 50, with a notice', async () => {
    // Web sessions carry no birth date, so force-links can join them past 50 records.
    const web = (await readFile(`${server.data}/web.ndjson`, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => `web:${JSON.parse(line).session_id}`);
    const first = web[0] as string;
    for (const ref of web.slice(1, 80)) {
      if ((await profileOf(ref)) === (await profileOf(first))) continue;
      await apiCall('POST', '/decisions', { decision: { kind: 'link', a: first, b: ref }, actor: 'setup' });
    }
    const big = await apiCall<{ profileId: string; records: string[] }>('GET', `/profiles/${await profileOf(first)}`);
    expect(big.records.length).toBeGreaterThan(50);
    await nav('Profiles').click();
    await page.goto(`${server.url}/#/profile/${big.profileId}`);
    await page.getByText(`This profile has ${big.records.length} records; the picture shows the first 50.`).waitFor();
    await page.locator('.graph canvas').first().waitFor();
    await page.locator('.graph-figure').scrollIntoViewIfNeeded();
    await expectAccessible('large profile');
  });

  it('offers a report key only the pages its scope allows', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(REPORT);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const links = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
    expect(links).toEqual(['Overview', 'Audiences']);
    await nav('Audiences').click();
    await page.getByRole('link', { name: 'spring-sale' }).waitFor();
    expect(await page.getByText('New audience from a file').count()).toBe(0);
    // The builder counts for a report key, but saving needs the write scope.
    await page
      .getByRole('form', { name: 'Audience builder' })
      .getByRole('status')
      .filter({ hasText: 'people of' })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Save audience' }).count()).toBe(0);
  });

  it('sent every request of the session to this machine', () => {
    expect(requested.length).toBeGreaterThan(20);
    for (const url of requested) {
      const parsed = new URL(url);
      if (parsed.protocol === 'blob:' || parsed.protocol === 'data:') continue;
      expect(parsed.hostname, url).toBe('127.0.0.1');
    }
  });
});
