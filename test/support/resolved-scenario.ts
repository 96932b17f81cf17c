/**
 * The life of the resolved tables through the CLI, the same for every destination: a full export,
 * then incremental ones after a merge, a merge of the survivor into an older profile (a redirect
 * that must follow), an erasure, a run with nothing to do, and a forced full run. After every run
 * the tables hold what the store says (`export records`, `export profiles`), and the state rows say
 * which profiles each run wrote; profiles no run touched keep the updated_at of the run that wrote them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from './capture-io.js';
import type { TablesReader } from './resolved-tables.js';

const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
export const PREFIX = 'idg';
const ATTRIBUTES = ['first_name', 'last_name', 'postcode', 'country', 'dob'];

export interface ScenarioTarget {
  /** The --to URL. */
  readonly to: string;
  readonly reader: TablesReader;
}

export async function ingest(store: string, dir: string, source: string, rows: object[]): Promise<void> {
  const file = join(dir, `${source}-${Date.now()}-${Math.random().toString(36).slice(2)}.ndjson`);
  await writeFile(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
  const run = await cli('ingest', '--rules', RULES, '--store', store, '--source', source, file);
  expect(run.code, run.err).toBe(0);
}

export async function exportTo(store: string, to: string, ...more: string[]): Promise<Record<string, unknown>> {
  const run = await cli('export', 'resolved', '--store', store, '--to', to, '--prefix', PREFIX, '--json', ...more);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.out);
}

/** Each record's profile, by `source:record_id`, as `export records` says. */
export async function profilesOfRecords(store: string): Promise<Map<string, string>> {
  const run = await cli('export', 'records', '--store', store);
  expect(run.code).toBe(0);
  const lines = run.out.trim().split('\n').slice(1);
  return new Map(
    lines.map((line) => {
      const [source, recordId, profileId] = line.split(',') as [string, string, string];
      return [`${source}:${recordId}`, profileId];
    }),
  );
}

/** The tables hold exactly the store's records, profiles (golden attributes) and identifiers. */
export async function expectTablesMatchStore(reader: TablesReader, store: string, prefix = PREFIX): Promise<void> {
  const records = await profilesOfRecords(store);
  const resolved = await reader.query(`SELECT source, record_id, profile_id FROM ${prefix}_resolved`);
  expect(new Map(resolved.map((row) => [`${row.source}:${row.record_id}`, row.profile_id as string]))).toEqual(records);
  expect(resolved.length).toBe(records.size);

  const run = await cli('export', 'profiles', '--store', store);
  const exported = run.out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const profiles = await reader.query(
    `SELECT profile_id, ${ATTRIBUTES.join(', ')}, record_count FROM ${prefix}_profiles`,
  );
  expect(sortBy(profiles, ['profile_id'])).toEqual(
    exported.map((profile) => ({
      profile_id: profile.profile_id,
      ...Object.fromEntries(ATTRIBUTES.map((name) => [name, profile.attributes[name] ?? null])),
      record_count: profile.records.length,
    })),
  );
  const identifiers = await reader.query(`SELECT profile_id, type, value, records FROM ${prefix}_identifiers`);
  const expected = exported.flatMap((profile) =>
    profile.identifiers.map((identifier: { type: string; value: string; records: number }) => ({
      profile_id: profile.profile_id,
      ...identifier,
    })),
  );
  expect(sortBy(identifiers, ['profile_id', 'type', 'value'])).toEqual(
    sortBy(expected, ['profile_id', 'type', 'value']),
  );
}

/** Rows in the order of these columns' values, compared as JavaScript strings (not a database's collation). */
function sortBy<T extends Record<string, unknown>>(rows: T[], columns: readonly string[]): T[] {
  const key = (row: T) => columns.map((column) => String(row[column])).join('\u0000');
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** updated_at of each profile's P_profiles row, as the run number that wrote it. */
async function runOfEachProfile(reader: TablesReader): Promise<Map<string, number>> {
  const rows = await reader.query(
    `SELECT p.profile_id, s.run FROM ${PREFIX}_profiles p JOIN ${PREFIX}_export_state s ON p.updated_at = s.exported_at`,
  );
  return new Map(rows.map((row) => [row.profile_id as string, Number(row.run)]));
}

async function redirects(reader: TablesReader): Promise<Record<string, string>> {
  const rows = await reader.query(`SELECT old_profile_id, profile_id FROM ${PREFIX}_redirects`);
  return Object.fromEntries(rows.map((row) => [row.old_profile_id, row.profile_id]));
}

async function stateOf(reader: TablesReader, run: number): Promise<Record<string, unknown>> {
  const [row] = await reader.query(
    `SELECT run, full_export, CAST(store_commit AS INTEGER) AS store_commit, profiles_written, profiles_removed,
            redirects_written, CAST(rows_written AS INTEGER) AS rows_written
     FROM ${PREFIX}_export_state WHERE run = ${run}`,
  );
  return row as Record<string, unknown>;
}

const crm = (id: string, fields: Record<string, string>) => ({
  customer_id: id,
  country: 'GB',
  updated_at: `2024-01-0${id.slice(1)}T10:00:00Z`,
  ...fields,
});
const BOB_PHONE = '020 7946 0001';

export async function resolvedTablesScenario(target: ScenarioTarget, dir: string): Promise<void> {
  const store = join(dir, 'store');
  const { reader, to } = target;
  // Bob by his phone first, then Bob by his email in a later commit: the phone's profile is the
  // older, the one that survives when the two merge. A cookie no one else holds is a profile too.
  await ingest(store, dir, 'crm', [crm('c1', { phone: BOB_PHONE, first_name: 'Bob', last_name: 'Ray' })]);
  await ingest(store, dir, 'crm', [
    crm('c2', { email: 'bob@x.co', first_name: 'Bob', last_name: 'Ray' }),
    crm('c3', { email: 'cat@x.co', first_name: 'Cat', last_name: 'Fox' }),
    crm('c4', { email: 'dan@x.co', first_name: 'Dan', last_name: 'Moe' }),
  ]);
  await ingest(store, dir, 'web', [
    { session_id: 's1', cookie_id: 'ck-1', email: 'cat@x.co', seen_at: '2024-02-01T00:00:00Z' },
    { session_id: 's2', cookie_id: 'ck-2', seen_at: '2024-02-02T00:00:00Z' },
  ]);
  let profileOf = await profilesOfRecords(store);
  const [bobPhone, bob, cat, dan, cookie] = ['crm:c1', 'crm:c2', 'crm:c3', 'crm:c4', 'web:s2'].map(
    (ref) => profileOf.get(ref) as string,
  ) as [string, string, string, string, string];
  expect(new Set([bobPhone, bob, cat, dan, cookie]).size).toBe(5);

  // Run 1: everything, into tables that did not exist.
  const first = await exportTo(store, to);
  expect(first).toMatchObject({ run: 1, full: true, profilesWritten: 5, recordsWritten: 6, redirectsWritten: 0 });
  await expectTablesMatchStore(reader, store);
  expect(await stateOf(reader, 1)).toEqual({
    run: 1,
    full_export: true,
    store_commit: 3,
    profiles_written: 5,
    profiles_removed: 0,
    redirects_written: 0,
    rows_written: 6 + 5 + Number(first.identifiersWritten),
  });
  // An identifier's first and last times are those of the records holding it (crm updated_at, web seen_at).
  const [catEmail] = await reader.query(
    `SELECT CAST(first_seen AS VARCHAR) AS first_seen, CAST(last_seen AS VARCHAR) AS last_seen
     FROM ${PREFIX}_identifiers WHERE profile_id = '${cat}' AND type = 'email'`,
  );
  expect(catEmail?.first_seen).toMatch(/^2024-01-03 10:00:00/);
  expect(catEmail?.last_seen).toMatch(/^2024-02-01 00:00:00/);

  // Run 2: a session with Bob's email and the lone cookie: Bob's email profile (the older) absorbs the cookie's.
  await ingest(store, dir, 'web', [
    { session_id: 's3', cookie_id: 'ck-2', email: 'bob@x.co', seen_at: '2024-03-01T00:00:00Z' },
  ]);
  profileOf = await profilesOfRecords(store);
  expect(profileOf.get('web:s2')).toBe(bob);
  const second = await exportTo(store, to);
  expect(second).toMatchObject({ run: 2, full: false, profilesWritten: 1, redirectsWritten: 1, profilesRemoved: 0 });
  await expectTablesMatchStore(reader, store);
  expect(await redirects(reader)).toEqual({ [cookie]: bob });
  // Only Bob's profile was rewritten; the others keep run 1's rows.
  expect(Object.fromEntries(await runOfEachProfile(reader))).toEqual({ [bobPhone]: 1, [bob]: 2, [cat]: 1, [dan]: 1 });
  const resolvedRuns = await reader.query(
    `SELECT r.source, r.record_id, s.run FROM ${PREFIX}_resolved r
     JOIN ${PREFIX}_export_state s ON r.updated_at = s.exported_at`,
  );
  expect(resolvedRuns.map((row) => `${row.source}:${row.record_id}=${row.run}`).sort()).toEqual([
    'crm:c1=1',
    'crm:c2=2',
    'crm:c3=1',
    'crm:c4=1',
    'web:s1=1',
    'web:s2=2',
    'web:s3=2',
  ]);

  // Run 3: Bob's app, with his email, phone and first name, joins his two profiles; the phone's
  // (older) survives, and the cookie's old ID, which led to the email's, now leads there too.
  await ingest(store, dir, 'app', [
    { install_id: 'i1', email: 'bob@x.co', phone: BOB_PHONE, first_name: 'Bob', country: 'GB' },
  ]);
  expect((await profilesOfRecords(store)).get('crm:c2')).toBe(bobPhone);
  const third = await exportTo(store, to);
  expect(third).toMatchObject({ run: 3, full: false, profilesWritten: 1, redirectsWritten: 1 });
  await expectTablesMatchStore(reader, store);
  expect(await redirects(reader)).toEqual({ [cookie]: bobPhone, [bob]: bobPhone });
  expect(Object.fromEntries(await runOfEachProfile(reader))).toEqual({ [bobPhone]: 3, [cat]: 1, [dan]: 1 });

  // Run 4: Bob's profile is erased: its rows go, and so do the redirects that led to it.
  const erase = await cli('erase', '--store', store, bobPhone, '--note', 'DSR-1');
  expect(erase.code, erase.err).toBe(0);
  const fourth = await exportTo(store, to);
  expect(fourth).toMatchObject({ run: 4, full: false, profilesWritten: 0, profilesRemoved: 1, redirectsWritten: 0 });
  await expectTablesMatchStore(reader, store);
  expect(await redirects(reader)).toEqual({});
  expect(Object.fromEntries(await runOfEachProfile(reader))).toEqual({ [cat]: 1, [dan]: 1 });
  const bobRows = await reader.query(
    `SELECT CAST(count(*) AS INTEGER) AS n FROM ${PREFIX}_identifiers WHERE profile_id = '${bobPhone}'`,
  );
  expect(bobRows).toEqual([{ n: 0 }]);

  // Run 5: nothing changed, nothing written, the run recorded all the same.
  expect(await exportTo(store, to)).toMatchObject({ run: 5, full: false, rowsWritten: 0, profilesRemoved: 0 });
  expect(Object.fromEntries(await runOfEachProfile(reader))).toEqual({ [cat]: 1, [dan]: 1 });

  // Run 6: --full rewrites everything, and the result is the same tables.
  expect(await exportTo(store, to, '--full')).toMatchObject({ run: 6, full: true, reason: 'asked for (--full)' });
  await expectTablesMatchStore(reader, store);
  expect(Object.fromEntries(await runOfEachProfile(reader))).toEqual({ [cat]: 6, [dan]: 6 });
  expect(await stateOf(reader, 6)).toMatchObject({ full_export: true, profiles_written: 2 });
}
