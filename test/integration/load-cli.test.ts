/**
 * `idgraph load`: several sources in one first load. On an empty store it takes the bulk path and
 * ends with the partition source-by-source ingest gives; run again, the store has data, so it
 * ingests batch by batch and changes nothing; bad arguments are refused before anything is read.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const SOURCES = ['crm', 'web', 'app', 'orders'];

let data: string;
const pairs = () => SOURCES.map((source) => `${source}=${join(data, `${source}.ndjson`)}`);

/** The partition an export shows: sorted groups of source:record_id. */
async function partitionOf(store: string): Promise<string[][]> {
  const run = await cli('export', 'records', '--store', store);
  expect(run.code).toBe(0);
  const groups = new Map<string, string[]>();
  for (const row of run.out.trim().split('\n').slice(1)) {
    const [source, recordId, profileId] = row.split(',') as [string, string, string];
    groups.set(profileId, [...(groups.get(profileId) ?? []), `${source}:${recordId}`]);
  }
  return [...groups.values()]
    .map((group) => group.sort())
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
}

afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

beforeAll(async () => {
  // Shared by the tests, so not a per-test temporary folder.
  data = await mkdtemp(join(tmpdir(), 'idgraph-load-data-'));
  const synth = await cli('synth', '--records', '1200', '--seed', '5', '--out', data);
  expect(synth.code).toBe(0);
  await appendFile(join(data, 'web.ndjson'), '{"session_id": "broken"\n');
});

describe('idgraph load', () => {
  it('loads an empty store in bulk, with the partition of ingesting each source in turn', async () => {
    const dir = await tempDir();
    const rejects = join(dir, 'rejects.ndjson');
    const run = await cli(
      'load',
      '--rules',
      RULES,
      '--store',
      join(dir, 'bulk'),
      '--rejects',
      rejects,
      '--max-rejects',
      '1',
      '--json',
      ...pairs(),
    );
    // One row rejected, which --max-rejects allows.
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out);
    expect(summary).toMatchObject({ path: 'bulk', rows: 1201, accepted: 1200, rejected: 1, rejectsFile: rejects });
    // Merges on the bulk path: records joined into a profile with others.
    expect(summary.merges).toBe(summary.accepted - summary.profilesCreated);
    expect(summary.profilesCreated).toBeGreaterThan(100);
    expect(summary.profilesCreated).toBeLessThan(1200);
    // Where the time went, and the memory it took.
    const phases = Object.values(summary.phases as Record<string, number>);
    expect(Object.keys(summary.phases)).toEqual(['parse', 'normalize', 'match', 'write']);
    expect(phases.every((value) => value >= 0)).toBe(true);
    expect(phases.reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(summary.seconds);
    expect(summary.phases.write).toBeGreaterThan(0);
    expect(summary.peakMemoryMb).toBeGreaterThan(20);
    // Progress is for terminals: a pipe (as here) gets none, and the columns match the rules.
    expect(run.err).toBe('');
    const webLines = (await readFile(join(data, 'web.ndjson'), 'utf8')).trimEnd().split('\n').length;
    expect(JSON.parse(await readFile(rejects, 'utf8'))).toMatchObject({
      file: 'web.ndjson',
      line: webLines,
      source: 'web',
      code: 'JSON_SYNTAX',
    });

    const incremental = join(dir, 'incremental');
    for (const source of SOURCES) {
      const step = await cli(
        'ingest',
        '--rules',
        RULES,
        '--store',
        incremental,
        '--source',
        source,
        '--rejects',
        rejects,
        '--max-rejects',
        '1',
        join(data, `${source}.ndjson`),
      );
      expect(step.code).toBe(0);
    }
    expect(await partitionOf(join(dir, 'bulk'))).toEqual(await partitionOf(incremental));
  });

  it('refuses to mix its files into the demo data or other sources, unless told to add', async () => {
    const dir = await tempDir();
    const demo = join(dir, 'demo');
    expect((await cli('quickstart', '--store', demo)).code).toBe(0);
    const onDemo = await cli('load', '--store', demo, '--rejects', join(dir, 'r.ndjson'), '--no-progress', ...pairs());
    expect(onDemo.code).toBe(2);
    expect(onDemo.err).toContain(`the store in ${demo} already holds the demo data: a load would mix these files`);
    expect(onDemo.err).toContain('--add');

    const crmOnly = join(dir, 'crm-only');
    const crm = `crm=${join(data, 'crm.ndjson')}`;
    const first = await cli('load', '--rules', RULES, '--store', crmOnly, '--rejects', join(dir, 'r.ndjson'), crm);
    expect(first.code).toBe(0);
    const web = `web=${join(data, 'web.ndjson')}`;
    const mixed = await cli('load', '--store', crmOnly, '--rejects', join(dir, 'r.ndjson'), '--no-progress', web);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('already holds records of other sources (crm)');
    // web.ndjson ends with the broken line the suite appends: allowed here, as rejects are not the point.
    const added = await cli(
      'load',
      '--store',
      crmOnly,
      '--rejects',
      join(dir, 'r.ndjson'),
      '--max-rejects',
      '1',
      '--json',
      '--add',
      web,
    );
    expect(added.code, added.err).toBe(0);
    expect(JSON.parse(added.out)).toMatchObject({ path: 'incremental' });
  }, 60_000);

  it('on a store that has data, ingests batch by batch and changes nothing already there', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const rejects = join(dir, 'rejects.ndjson');
    const first = await cli('load', '--rules', RULES, '--store', store, '--rejects', rejects, ...pairs());
    // The one broken row: the rest is committed, and the exit status says a row was rejected.
    expect(first.code).toBe(3);
    expect(first.err).toContain(`1 of 1,201 rows rejected (none allowed), listed in ${rejects}`);
    expect(first.out).toMatch(/^ {2}of which {8}parse [\d.]+ s, normalize [\d.]+ s, match [\d.]+ s, write [\d.]+ s$/m);
    expect(first.out).toMatch(/^peak memory {8}\d+ MB$/m);
    const before = await partitionOf(store);
    const again = await cli(
      'load',
      '--store',
      store,
      '--rejects',
      rejects,
      '--max-rejects',
      '0.1%',
      '--json',
      ...pairs(),
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({
      path: 'incremental',
      rows: 1201,
      accepted: 1200,
      unchanged: 1200,
      profilesCreated: 0,
      merges: 0,
      splits: 0,
    });
    expect(await partitionOf(store)).toEqual(before);
  });

  it('refuses an unknown source, a pair without a file and an unreadable file before reading anything', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const unknown = await cli('load', '--rules', RULES, '--store', store, `till=${join(data, 'crm.ndjson')}`);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown source "till"');
    const bare = await cli('load', '--rules', RULES, '--store', store, 'crm');
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('"crm" is not SOURCE=FILE');
    const missing = await cli(
      'load',
      '--rules',
      RULES,
      '--store',
      store,
      ...pairs(),
      `crm=${join(dir, 'nope.ndjson')}`,
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.ndjson: ENOENT');
    const exported = await cli('export', 'records', '--store', store, '--rules', RULES);
    expect(exported.out.trim().split('\n')).toHaveLength(1);
  });
});
