/** The CLI end to end on real files: ingest with rejects, export, explain, history, decisions, rules diff. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;

describe('idgraph ingest and friends', () => {
  it('ingests NDJSON, lists malformed lines in the rejects file, and goes on', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const file = join(dir, 'crm.ndjson');
    await writeFile(
      file,
      [
        '{"customer_id":"c1","email":"Ann.Lee@GoogleMail.com","country":"GB","phone":"020 7946 0123","first_name":"Ann"}',
        '{"customer_id":"c2","email":"not json"',
        '[1,2,3]',
        '{"email":"nokey@shop.io"}',
        '',
        '{"customer_id":"c3","email":"annlee@gmail.com"}',
      ].join('\n'),
    );
    const rejects = join(dir, 'rejects.ndjson');
    const run = await cli(
      'ingest',
      '--rules',
      RULES,
      '--store',
      store,
      '--source',
      'crm',
      '--rejects',
      rejects,
      '--json',
      file,
    );
    // The good rows are committed; the rejected ones make the exit status 3.
    expect(run.code).toBe(3);
    const summary = JSON.parse(run.out);
    expect(summary).toMatchObject({ rows: 5, accepted: 2, rejected: 3, profilesCreated: 1 });
    expect(summary.rejectedByReason).toEqual({ JSON_SYNTAX: 1, ROW_NOT_OBJECT: 1, MISSING_KEY: 1 });
    const lines = (await readFile(rejects, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const at = { file: 'crm.ndjson', source: 'crm', message: expect.any(String) };
    expect(lines).toEqual([
      { ...at, line: 2, code: 'JSON_SYNTAX' },
      { ...at, line: 3, code: 'ROW_NOT_OBJECT' },
      { ...at, line: 4, code: 'MISSING_KEY', field: 'customer_id' },
    ]);
    // Reject lines never carry the row's content.
    expect(JSON.stringify(lines)).not.toContain('nokey@shop.io');
    expect(JSON.stringify(lines)).not.toContain('not json');

    const exported = await cli('export', 'records', '--store', store);
    const rows = exported.out.trim().split('\n');
    expect(rows[0]).toBe('source,record_id,profile_id');
    const profiles = new Set(rows.slice(1).map((row) => row.split(',')[2]));
    expect(rows).toHaveLength(3);
    expect(profiles.size).toBe(1);
  });

  it('ingests CSV with a bad row and explains, shows history, and exports profiles', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const file = join(dir, 'orders.csv');
    await writeFile(
      file,
      'order_id,ordered_at,email,phone,first_name,last_name,postcode,country\n' +
        'o1,2025-01-01,kim.park@shop.io,07911 123456,Kim,Park,SW1A 1AA,GB\n' +
        'o2,2025-02-01,kim.park@shop.io,,Kim,Park\n' +
        'o3,2025-03-01,"kim.park@shop.io,GB\n',
    );
    const run = await cli(
      'ingest',
      '--store',
      store,
      '--rules',
      RULES,
      '--source',
      'orders',
      '--rejects',
      join(dir, 'r.ndjson'),
      '--max-rejects',
      '2',
      '--json',
      file,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      accepted: 1,
      rejected: 2,
      rejectedByReason: { CSV_COLUMN_COUNT: 1, CSV_UNCLOSED_QUOTE: 1 },
    });

    const more = join(dir, 'web.ndjson');
    await writeFile(
      more,
      '{"session_id":"s1","email":"KIM.PARK@shop.io","cookie_id":"GA1.2.998877"}\n{"session_id":"s2","cookie_id":"GA1.2.998877"}\n',
    );
    await cli('ingest', '--store', store, '--source', 'web', '--rejects', join(dir, 'r2.ndjson'), more);

    const explain = await cli('explain', '--store', store, '--json', 'orders:o1', 'web:s2');
    const answer = JSON.parse(explain.out);
    expect(answer.sameProfile).toBe(true);
    expect(answer.path.map((edge: { rule: string }) => edge.rule)).toEqual(['email', 'cookie']);

    const byIdentifier = await cli('explain', '--store', store, '--json', 'email=Kim.Park@shop.io', 'web:s2');
    expect(JSON.parse(byIdentifier.out).sameProfile).toBe(true);

    const history = await cli('history', '--store', store, '--json', answer.profileId);
    expect(JSON.parse(history.out).events.map((event: { kind: string }) => event.kind)).toEqual([
      'profile_created',
      'records_added',
    ]);

    const profiles = await cli('export', 'profiles', '--store', store);
    const profile = JSON.parse(profiles.out.trim());
    expect(profile.records).toHaveLength(3);
    expect(profile.attributes).toMatchObject({ first_name: 'kim', last_name: 'park', postcode: 'SW1A 1AA' });
    expect(profile.identifiers.map((identifier: { type: string }) => identifier.type).sort()).toEqual([
      'cookie',
      'email',
      'phone',
    ]);

    // Another person on Kim's phone, with another first name: apart, and --json says why in `apart`.
    const household = join(dir, 'household.ndjson');
    await writeFile(
      household,
      '{"order_id":"o9","email":"lee.park@shop.io","phone":"07911 123456","first_name":"Lee","country":"GB"}\n',
    );
    await cli('ingest', '--store', store, '--source', 'orders', '--rejects', join(dir, 'r3.ndjson'), household);
    const apart = JSON.parse((await cli('explain', '--store', store, '--json', 'orders:o1', 'orders:o9')).out);
    expect(apart.sameProfile).toBe(false);
    expect(apart.apart).toContainEqual({ reason: 'field_differs', rule: 'phone_first_name', field: 'first_name' });
    const told = await cli('explain', '--store', store, 'orders:o1', 'orders:o9');
    expect(told.out).toContain('rule phone_first_name: first_name differs');
  });

  it('dry-runs and applies a rules change, and splits with never-link', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const file = join(dir, 'crm.ndjson');
    await writeFile(
      file,
      '{"customer_id":"c1","email":"sam@shop.io","phone":"+44 20 7946 0555","first_name":"Sam"}\n' +
        '{"customer_id":"c2","phone":"+44 20 7946 0555","first_name":"Sam"}\n',
    );
    await cli(
      'ingest',
      '--store',
      store,
      '--rules',
      RULES,
      '--source',
      'crm',
      '--rejects',
      join(dir, 'r.ndjson'),
      file,
    );
    const stricter = join(dir, 'stricter.yaml');
    const text = await readFile(RULES, 'utf8');
    await writeFile(stricter, text.replace(/ {2}- id: phone_first_name\n[\s\S]*?match: \[phone, first_name\]\n/, ''));

    const diff = await cli('rules', 'diff', '--store', store, '--json', stricter);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.out)).toMatchObject({ records: 2, profilesBefore: 1, profilesAfter: 2, recordsMoving: 1 });
    // A dry run writes nothing.
    expect(
      (await cli('export', 'records', '--store', store)).out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    ).toSatisfy((ids: string[]) => new Set(ids).size === 1);

    const applied = await cli('rules', 'apply', '--store', store, '--json', stricter);
    expect(JSON.parse(applied.out)).toMatchObject({ splits: 1 });
    const never = await cli('never-link', '--store', store, 'crm:c1', 'crm:c2');
    expect(never.code).toBe(0);
    expect((await cli('link', '--store', store, 'crm:c1', 'crm:c2')).out).toMatch(/^commit \d+: 1 merge\(s\)/);
    const again = await cli('link', '--store', store, 'crm:c2', 'crm:c1');
    expect(again).toMatchObject({ code: 0, out: 'nothing changed: the decision already stands\n' });
    const unknown = await cli('link', '--store', store, 'crm:c1', 'crm:nope');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('RECORD_NOT_FOUND');
  });

  it('refuses an unknown source and missing rules clearly', async () => {
    const dir = await tempDir();
    const run = await cli(
      'ingest',
      '--store',
      join(dir, 's'),
      '--rules',
      RULES,
      '--source',
      'fax',
      join(dir, 'x.ndjson'),
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain('unknown source "fax"');
    const noRules = await cli('ingest', '--store', join(dir, 's2'), '--source', 'crm', join(dir, 'x.ndjson'));
    expect(noRules.code).toBe(2);
    expect(noRules.err).toContain('no rules');
    const missing = await cli(
      'ingest',
      '--store',
      join(dir, 's3'),
      '--rules',
      RULES,
      '--source',
      'crm',
      join(dir, 'missing.ndjson'),
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
  });
});
