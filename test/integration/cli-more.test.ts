/** CLI commands not covered elsewhere: synth, quickstart, profile, lookup, split, unmerge. */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const RUN_CLI = new URL('../support/run-cli.ts', import.meta.url).pathname;

describe('more CLI', () => {
  it('synth writes one file per source and a truth file covering every record', async () => {
    const out = join(await tempDir(), 'demo');
    const run = await cli('synth', '--out', out, '--people', '50', '--seed', '3', '--format', 'csv');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/records \(crm \d+, web \d+, app \d+, orders \d+\) for \d+ people/);
    const truth = (await readFile(join(out, 'truth.csv'), 'utf8')).trim().split('\n');
    let records = 0;
    for (const source of ['crm', 'web', 'app', 'orders']) {
      records += (await readFile(join(out, `${source}.csv`), 'utf8')).trim().split('\n').length - 1;
    }
    expect(truth[0]).toBe('source,record_id,person_id');
    expect(truth.length - 1).toBe(records);
    expect((await cli('synth', '--out', out, '--people', '5', '--records', '5')).code).toBe(2);
  });

  it('synth --shape six-sources writes six sources, nested addresses and traits in the truth file', async () => {
    const out = join(await tempDir(), 'six');
    const run = await cli('synth', '--out', out, '--people', '200', '--seed', '4', '--shape', 'six-sources');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/crm \d+, web \d+, app \d+, orders \d+, pos \d+, support \d+\) for \d+ people/);
    const truth = (await readFile(join(out, 'truth.csv'), 'utf8')).trim().split('\n');
    expect(truth[0]).toBe('source,record_id,person_id,traits');
    expect(truth.some((line) => /^pos,[^,]+,[^,]+,.*nameless_phone/.test(line))).toBe(true);
    const orders = (await readFile(join(out, 'orders.ndjson'), 'utf8')).trim().split('\n');
    const order = JSON.parse(orders[0] as string);
    expect(order.shipping_address.zip).toEqual(expect.any(String));
    expect(order.shipping_name).toEqual(expect.any(String));
    expect((await cli('synth', '--out', out, '--shape', 'tidy')).code).not.toBe(0);
  });

  it('quickstart loads demo data once, and profile/lookup read it', async () => {
    const store = join(await tempDir(), 'store');
    const first = await cli('quickstart', '--store', store);
    expect(first.code).toBe(0);
    expect(first.out).toContain('empty store: loading');
    const largest = /largest (p_[0-9a-f]+)/.exec(first.out)?.[1] as string;
    const second = await cli('quickstart', '--store', store);
    expect(second.out).not.toContain('empty store');

    const profile = JSON.parse((await cli('profile', '--store', store, '--json', largest)).out);
    expect(profile.profileId).toBe(largest);
    expect(profile.records.length).toBeGreaterThan(1);
    const email = profile.identifiers.find((identifier: { type: string }) => identifier.type === 'email')?.value;
    if (email) {
      const lookup = JSON.parse((await cli('lookup', '--store', store, 'email', email.toUpperCase())).out);
      expect(lookup.profileId).toBe(largest);
    }
    expect((await cli('profile', '--store', store, 'p_missing')).code).toBe(1);

    const asOf = await cli('profile', '--store', store, '--json', '--at', '2999-01-01T00:00:00Z', largest);
    // The evidence edges are the current profile's: a past view has membership only.
    expect(profile.evidence.length).toBe(profile.records.length - 1);
    expect(JSON.parse(asOf.out)).toEqual({ ...profile, evidence: undefined, asOf: '2999-01-01T00:00:00Z' });
    const before = await cli('profile', '--store', store, '--at', '1999-01-01T00:00:00Z', largest);
    expect([before.code, before.err]).toEqual([1, expect.stringContaining('no profile')]);
    expect((await cli('profile', '--store', store, '--at', 'yesterday', largest)).code).toBe(2);

    // `export profiles | head`: the reader leaves after its first chunk; the command ends quietly.
    const child = spawn(process.execPath, ['--import', 'tsx', RUN_CLI, 'export', 'profiles', '--store', store], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  }, 30_000);

  it('splits records off a profile and unmerges a merge event from the CLI', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const crm = join(dir, 'crm.ndjson');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      crm,
      '{"customer_id":"c1","email":"ann.lee@shop.io"}\n{"customer_id":"c2","email":"ann.lee@shop.io"}\n{"customer_id":"c3","email":"ann.lee@shop.io"}\n',
    );
    await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', '--rejects', join(dir, 'r.ndjson'), crm);
    const ids = async () =>
      new Set(
        (await cli('export', 'records', '--store', store)).out
          .trim()
          .split('\n')
          .slice(1)
          .map((row) => row.split(',')[2]),
      );
    const [profile] = [...(await ids())];
    const split = await cli('split', '--store', store, '--json', profile as string, 'crm:c3');
    expect(JSON.parse(split.out)).toMatchObject({ splits: 1 });
    expect((await ids()).size).toBe(2);

    await writeFile(join(dir, 'web.ndjson'), '{"session_id":"s1","email":"ann.lee@shop.io","cookie_id":"GA1.2.5"}\n');
    await cli(
      'ingest',
      '--store',
      store,
      '--source',
      'web',
      '--rejects',
      join(dir, 'r2.ndjson'),
      join(dir, 'web.ndjson'),
    );
    const history = JSON.parse((await cli('history', '--store', store, '--json', profile as string)).out);
    const added = history.events.find((event: { kind: string }) => event.kind === 'records_added');
    const profileOf = async (ref: string) =>
      (await cli('export', 'records', '--store', store)).out
        .split('\n')
        .find((row) => row.startsWith(`${ref.replace(':', ',')},`))
        ?.split(',')[2];
    expect(await profileOf('web:s1')).toBe(await profileOf('crm:c1'));
    const unmerge = await cli('unmerge', '--store', store, added.id);
    expect(unmerge.code).toBe(0);
    // Cut from c1's profile, the session still shares the address with c3, which it may join.
    expect(await profileOf('web:s1')).not.toBe(await profileOf('crm:c1'));
    const wrong = await cli('unmerge', '--store', store, 'e999-1');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('EVENT_NOT_FOUND');
  });

  it('erases a person named by an email, after a dry run, leaving nothing of them in the store files', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const crm = join(dir, 'crm.ndjson');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      crm,
      '{"customer_id":"c1","email":"zoe.quill@shop.io"}\n{"customer_id":"c2","email":"zoe.quill@shop.io"}\n{"customer_id":"c3","email":"bob.kim@shop.io"}\n',
    );
    await cli('ingest', '--rules', RULES, '--store', store, '--source', 'crm', '--rejects', join(dir, 'r.ndjson'), crm);
    const usage = await cli('erase', '--store', store);
    expect(usage.code).toBe(2);
    const exported = (await cli('export', 'records', '--store', store)).out;
    const profileOf = (record: string) => exported.match(new RegExp(`^crm,${record},(\\S+)$`, 'm'))?.[1];
    // An audience naming Zoe three times (by email, by record, by profile ID) and Bob twice.
    await writeFile(
      join(dir, 'members.csv'),
      `email,source,record_id,profile_id\nzoe.quill@shop.io,,,\n,crm,c2,\nbob.kim@shop.io,,,\n,,,${profileOf('c1')}\n,,,${profileOf('c3')}\n`,
    );
    expect((await cli('audience', 'create', 'spring', '--store', store, '--from', join(dir, 'members.csv'))).code).toBe(
      0,
    );

    const preview = await cli(
      'erase',
      '--store',
      store,
      '--json',
      '--dry-run',
      '--identifier',
      'email=Zoe.Quill@shop.io',
    );
    expect(JSON.parse(preview.out)).toMatchObject({ dryRun: true, erasedRecords: 2, audienceRows: 3 });
    expect((await cli('lookup', '--store', store, 'email', 'zoe.quill@shop.io')).code).toBe(0);

    const erased = await cli('erase', '--store', store, '--note', 'DSR-7', '--identifier', 'email=zoe.quill@shop.io');
    expect(erased.code).toBe(0);
    expect(erased.out).toMatch(/erased 1 profile\(s\), 2 record\(s\), 3 audience row\(s\)/);
    expect(erased.out).not.toContain('zoe');
    expect((await cli('lookup', '--store', store, 'email', 'zoe.quill@shop.io')).code).toBe(1);
    expect((await cli('lookup', '--store', store, 'email', 'bob.kim@shop.io')).code).toBe(0);
    const files =
      (await readFile(join(store, 'wal.ndjson'), 'utf8')) + (await readFile(join(store, 'events.ndjson'), 'utf8'));
    expect(files).not.toContain('zoe');
    expect(files).toContain('bob.kim');
    const members = await readFile(join(store, 'audiences', 'spring', 'members.ndjson'), 'utf8');
    expect(members).not.toContain('zoe');
    expect(members).not.toContain('"c2"');
    expect(members).toContain('bob.kim');
    const [audience] = JSON.parse((await cli('audience', 'list', '--store', store, '--json')).out);
    expect(audience).toMatchObject({ id: 'spring', rows: 2 });
  });
});
