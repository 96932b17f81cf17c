/** `idgraph audience` as a person at a terminal sees it: tables, the all-destinations view, and refusals. */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;

async function storeWithAudience(): Promise<{ dir: string; store: string }> {
  const dir = await tempDir();
  const store = join(dir, 'store');
  await writeFile(
    join(dir, 'crm.ndjson'),
    [
      '{"customer_id":"c1","email":"ann.lee@gmail.com","phone":"07700 900123","country":"GB","first_name":"Ann"}',
      '{"customer_id":"c2","email":"bob@acme-corp.com","phone":"7700 900124"}',
      '{"customer_id":"c3","email":"test@test.com"}',
    ].join('\n'),
  );
  expect(
    (await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', join(dir, 'crm.ndjson'))).code,
  ).toBe(0);
  await writeFile(
    join(dir, 'members.ndjson'),
    '{"source":"crm","record_id":"c1"}\n{"profile_id":"p_nope"}\n{"source":"crm","record_id":"c2"}\n{"source":"crm","record_id":"c3"}\n',
  );
  const created = await cli('audience', 'create', 'vip', '--store', store, '--from', join(dir, 'members.ndjson'));
  expect(created.code, created.err).toBe(0);
  expect(created.out).toContain('3 people after resolution');
  expect(created.out).toContain('1 rows not found');
  return { dir, store };
}

describe('idgraph audience', () => {
  it('prints a readable report: funnel, estimate against the minimum, coverage, invalid values, fixes', async () => {
    const { store } = await storeWithAudience();
    const run = await cli('audience', 'report', 'vip', '--store', store, '--destination', 'meta');
    expect(run.code, run.err).toBe(0);
    for (const heading of [
      'Funnel (people)',
      'Expected matches',
      'Coverage per identifier',
      'Invalid values',
      'Junk values',
      'Fixes, best first',
    ]) {
      expect(run.out).toContain(heading);
    }
    expect(run.out).toMatch(/minimum 100: BELOW/);
    expect(run.out).toMatch(/phone\s+PHONE_NO_COUNTRY_CODE\s+1/);
    expect(run.out).toContain('WIDEN_AUDIENCE');
    expect(run.out).not.toContain('bob@acme-corp.com');
    expect(run.out).not.toContain('900124');
  });

  it('writes the upload file and prints its report from one pass with --report', async () => {
    const { dir, store } = await storeWithAudience();
    const out = join(dir, 'meta.csv');
    const args = ['audience', 'export', 'vip', '--store', store, '--destination', 'meta', '--out', out, '--report'];
    const run = await cli(...args);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^wrote [\d,]+ rows for 2 people to /);
    expect(run.out).toContain('Funnel (people)');
    const json = JSON.parse((await cli(...args, '--json')).out);
    const report = JSON.parse(
      (await cli('audience', 'report', 'vip', '--store', store, '--destination', 'meta', '--json')).out,
    );
    expect(json.export).toMatchObject({ people: 2, path: out });
    expect(json.report.funnel).toEqual(report.funnel);
    expect(json.report.expectedMatch).toEqual(report.expectedMatch);
  });

  it('shows the progress of both steps on a terminal, and none through a pipe', async () => {
    const { store } = await storeWithAudience();
    const runCli = new URL('../support/run-cli.ts', import.meta.url).pathname;
    const command = [process.execPath, '--import', 'tsx', runCli, 'audience', 'report', 'vip', '--store', store]
      .concat(['--destination', 'meta'])
      .map((word) => `'${word}'`)
      .join(' ');
    // `script` runs the command on a pseudo-terminal, as a user's shell would.
    const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(onTerminal.status).toBe(0);
    expect(onTerminal.stdout).toMatch(/resolve members \[#+\] 100% \d+ of \d+ rows/);
    expect(onTerminal.stdout).toMatch(/evaluate people \[#+\] 100% \d+ of \d+ rows/);
    const piped = await cli('audience', 'report', 'vip', '--store', store, '--destination', 'meta');
    expect(piped.err).not.toContain('evaluate people');
  });

  it('shows one line per destination with --destination all', async () => {
    const { store } = await storeWithAudience();
    const run = await cli('audience', 'report', 'vip', '--store', store, '--destination', 'all');
    expect(run.code, run.err).toBe(0);
    const lines = run.out.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[1]).toMatch(/^Meta Custom Audiences\s+2\s/);
    const json = JSON.parse(
      (await cli('audience', 'report', 'vip', '--store', store, '--destination', 'all', '--json')).out,
    );
    expect(json).toHaveLength(9);
  });

  it('refuses what it cannot do with the reason, and exits non-zero', async () => {
    const { dir, store } = await storeWithAudience();
    const missing = await cli('audience', 'report', 'nope', '--store', store, '--destination', 'meta');
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining('[AUDIENCE_NOT_FOUND]') });
    const exists = await cli('audience', 'create', 'vip', '--store', store, '--from', join(dir, 'members.ndjson'));
    expect(exists).toMatchObject({ code: 1, err: expect.stringContaining('[AUDIENCE_EXISTS]') });
    const noFile = await cli('audience', 'create', 'other', '--store', store, '--from', join(dir, 'absent.csv'));
    expect(noFile).toMatchObject({ code: 2, err: expect.stringContaining('ENOENT') });
    const noFolder = await cli(
      'audience',
      'export',
      'vip',
      '--store',
      store,
      '--destination',
      'meta',
      '--out',
      join(dir, 'no', 'x.csv'),
    );
    expect(noFolder).toMatchObject({ code: 2, err: expect.stringContaining('ENOENT') });
    const badDestination = await cli('audience', 'report', 'vip', '--store', store, '--destination', 'myspace');
    expect(badDestination.code).not.toBe(0);
    expect(badDestination.err).toContain('Allowed choices');
    const listed = await cli('audience', 'list', '--store', store, '--json');
    expect(JSON.parse(listed.out).map((a: { id: string }) => a.id)).toEqual(['vip']);
    const neo4jFolder = await cli('audience', 'list', '--store', 'bolt://127.0.0.1:1', '--audiences', dir);
    expect(neo4jFolder).toMatchObject({ code: 2, err: expect.stringContaining('audiences live in the graph') });
  });

  it('deletes an audience, and says when there is none', async () => {
    const { store } = await storeWithAudience();
    expect(await cli('audience', 'delete', 'vip', '--store', store)).toMatchObject({
      code: 0,
      out: 'deleted audience vip\n',
    });
    expect(JSON.parse((await cli('audience', 'list', '--store', store, '--json')).out)).toEqual([]);
    const again = await cli('audience', 'delete', 'vip', '--store', store);
    expect(again).toMatchObject({ code: 1, err: expect.stringContaining('[AUDIENCE_NOT_FOUND]') });
  });

  it("takes the team's destination settings: priors and minimums change the estimate; bad files are named", async () => {
    const { dir, store } = await storeWithAudience();
    const report = async (...extra: string[]) =>
      JSON.parse(
        (await cli('audience', 'report', 'vip', '--store', store, '--destination', 'meta', '--json', ...extra)).out,
      );
    const builtIn = await report();
    const settings = join(dir, 'destinations.yaml');
    await writeFile(
      settings,
      'meta:\n  priors:\n    email: { low: 0.9, mid: 0.95, high: 0.99 }\n    phone: { low: 0.9, mid: 0.95, high: 0.99 }\n  minimum_matched_people: 1\n',
    );
    const tuned = await report('--destinations', settings);
    expect(tuned.rates.expectedPeopleMatchRate.mid).toBeGreaterThan(builtIn.rates.expectedPeopleMatchRate.mid + 0.2);
    expect(tuned.rates.vsTargetingMin).toMatchObject({ min: 1, status: 'above' });
    const example = await report(
      '--destinations',
      new URL('../../rules/destinations.example.yaml', import.meta.url).pathname,
    );
    expect(example.rates.vsTargetingMin.min).toBe(1000);

    await writeFile(
      settings,
      'meta:\n  priors:\n    fax: { low: 0.1, mid: 0.2, high: 0.3 }\n    email: { low: 0.5, mid: 0.2, high: 0.3 }\n',
    );
    const bad = await cli(
      'audience',
      'report',
      'vip',
      '--store',
      store,
      '--destination',
      'meta',
      '--destinations',
      settings,
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`${settings}: meta.priors.email: needs low <= mid <= high`);
    await writeFile(settings, 'meta:\n  priors:\n    fax: { low: 0.1, mid: 0.2, high: 0.3 }\n');
    const unknownKey = await cli(
      'audience',
      'report',
      'vip',
      '--store',
      store,
      '--destination',
      'meta',
      '--destinations',
      settings,
    );
    expect(unknownKey.err).toContain('meta.priors.fax: Meta Custom Audiences has no such key');
    expect(unknownKey.err).toContain('[DESTINATION_SETTINGS_INVALID]');
  });
});
