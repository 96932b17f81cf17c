/**
 * Audiences end to end through the CLI, on data whose truth the test builds itself: who each
 * person is, which of their values Meta can take, and which records carry them. The coverage
 * before and after resolution, the funnel, suppression and the expected matches are computed
 * here from that truth, independently of the report code, and the report must agree.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESTINATIONS } from '../../src/core/destinations/catalog.js';
import { cli } from '../support/capture-io.js';

const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const PEOPLE = 240;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const pad = (i: number) => String(i).padStart(5, '0');

/** The truth about person i: what each of their records carries. */
interface Person {
  readonly i: number;
  readonly junk: boolean; // CRM email is a placeholder; no other records
  readonly excluded: boolean; // email at facebook.com: the graph links on it, Meta refuses it
  readonly work: boolean; // a company address, not a personal one
  readonly email: string;
  readonly crmPhone?: string; // valid with the record's country GB
  readonly crmBadPhone?: string; // too short: refused everywhere
  readonly hasWeb: boolean;
  readonly hasApp: boolean;
  readonly appPhone?: string; // a second, international phone on the app record
  readonly idfa: string;
}

function person(i: number): Person {
  const junk = i % 10 === 9;
  const excluded = i % 10 === 3;
  const work = i % 5 === 1;
  const domain = excluded ? 'facebook.com' : work ? 'acme-corp.com' : 'gmail.com';
  return {
    i,
    junk,
    excluded,
    work,
    email: junk ? 'test@test.com' : `member${i}@${domain}`,
    ...(i % 3 === 0 ? { crmPhone: `07700 9${pad(i)}` } : i % 7 === 1 ? { crmBadPhone: '12345' } : {}),
    hasWeb: !junk,
    hasApp: i % 2 === 0 || excluded,
    ...(i % 4 === 0 ? { appPhone: `+44 7700 8${pad(i)}` } : {}),
    idfa: `6d92078a-8246-4ba4-ae5b-${String(i).padStart(12, '0')}`,
  };
}

const people = Array.from({ length: PEOPLE }, (_, i) => person(i));
const ndjson = (rows: object[]) => `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;

async function writeSources(dir: string): Promise<void> {
  await writeFile(
    join(dir, 'crm.ndjson'),
    ndjson(
      people.map((p) => ({
        customer_id: `c${p.i}`,
        updated_at: '2026-05-01T00:00:00Z',
        email: p.email,
        first_name: `First${p.i}`,
        last_name: `Last${p.i}`,
        country: 'GB',
        ...(p.crmPhone ? { phone: p.crmPhone } : p.crmBadPhone ? { phone: p.crmBadPhone } : {}),
      })),
    ),
  );
  await writeFile(
    join(dir, 'web.ndjson'),
    ndjson(
      people
        .filter((p) => p.hasWeb)
        .map((p) => ({
          session_id: `w${p.i}`,
          seen_at: '2026-05-02T00:00:00Z',
          email: p.email.toUpperCase(),
          cookie_id: `ck-${p.i}`,
        })),
    ),
  );
  await writeFile(
    join(dir, 'app.ndjson'),
    ndjson(
      people
        .filter((p) => p.hasApp)
        .map((p) => ({
          install_id: `a${p.i}`,
          seen_at: '2026-05-03T00:00:00Z',
          idfa: p.idfa.toUpperCase(),
          email: ` ${p.email} `,
          first_name: `First${p.i}`,
          country: 'GB',
          ...(p.appPhone ? { phone: p.appPhone } : {}),
        })),
    ),
  );
}

/** Meta's view of a person, from the truth alone. */
function metaView(p: Person, withResolution: boolean) {
  const emails = p.junk || p.excluded ? 0 : 1;
  const phones = (p.crmPhone ? 1 : 0) + (withResolution && p.appPhone ? 1 : 0);
  const maids = withResolution && p.hasApp ? 1 : 0;
  return { emails, phones, maids, sendable: emails + phones + maids > 0 };
}

function expectedMidMatch(p: Person): number {
  const meta = DESTINATIONS.meta;
  const prior = (name: string) => meta.keys.find((key) => key.name === name)?.prior.mid as number;
  const view = metaView(p, true);
  let miss = 1;
  if (view.emails) miss *= 1 - prior('email') * (p.work ? meta.workEmailFactor : 1);
  if (view.phones) miss *= 1 - prior('phone');
  if (view.maids) miss *= 1 - prior('maid');
  return 1 - miss;
}

describe('audience create, report and export on data with known truth', () => {
  let dir: string;
  let store: string;
  let report: ReturnType<typeof JSON.parse>;
  const suppressedPeople = people.filter((p) => p.i % 8 === 0);
  const kept = people.filter((p) => p.i % 8 !== 0);
  const extraEmail = 'walk-in.customer@gmail.com';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idgraph-audience-'));
    store = join(dir, 'store');
    await writeSources(dir);
    for (const source of ['crm', 'web', 'app']) {
      const run = await cli(
        'ingest',
        '--rules',
        RULES,
        '--store',
        store,
        '--source',
        source,
        join(dir, `${source}.ndjson`),
      );
      expect(run.code, run.err).toBe(0);
    }
    // Recent buyers, named by email in another case: everyone resolving into them leaves the audience.
    await writeFile(
      join(dir, 'buyers.csv'),
      `email\n${suppressedPeople.map((p) => p.email.replace('member', 'MEMBER')).join('\n')}\n`,
    );
    const buyers = await cli('audience', 'create', 'buyers', '--store', store, '--from', join(dir, 'buyers.csv'));
    expect(buyers.code, buyers.err).toBe(0);

    // The audience: every CRM record, one person twice (by email), one record the graph never saw,
    // one walk-in known only by an email, and a row naming nothing.
    await writeFile(
      join(dir, 'spring.csv'),
      [
        'source,record_id,email,phone,country',
        ...people.map((p) => `crm,c${p.i},,,`),
        `,,${people[1]?.email},,`,
        'crm,c-unknown,,,',
        `,,${extraEmail},,`,
        ',,,,GB',
      ].join('\n'),
    );
    const created = await cli(
      'audience',
      'create',
      'spring',
      '--store',
      store,
      '--from',
      join(dir, 'spring.csv'),
      '--suppress',
      'buyers',
      // The one row that names no member is allowed; without this the exit status would be 3.
      '--max-rejects',
      '1',
      '--json',
    );
    expect(created.code, created.err).toBe(0);
    const definition = JSON.parse(created.out);
    expect(definition).toMatchObject({ rows: PEOPLE + 4, rowsRejected: 1, rejectedByReason: { NO_MEMBER_COLUMNS: 1 } });
    expect(definition.rejected).toEqual([{ line: PEOPLE + 5, reason: 'NO_MEMBER_COLUMNS' }]);
    expect(definition.preview).toEqual({
      rows: PEOPLE + 4,
      rowsRejected: 1,
      rowsNotFound: 1,
      rowsUnresolved: 1,
      people: kept.length + 1,
      suppressed: suppressedPeople.length,
    });

    const run = await cli('audience', 'report', 'spring', '--store', store, '--destination', 'meta', '--json');
    expect(run.code, run.err).toBe(0);
    report = JSON.parse(run.out);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolved every person into one profile (the premise of the rest)', async () => {
    const exported = await cli('export', 'records', '--store', store);
    const profileOf = new Map(
      exported.out
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => {
          const [source, id, profile] = line.split(',');
          return [`${source}:${id}`, profile];
        }),
    );
    for (const p of people) {
      const crm = profileOf.get(`crm:c${p.i}`);
      if (p.hasWeb) expect(profileOf.get(`web:w${p.i}`)).toBe(crm);
      if (p.hasApp) expect(profileOf.get(`app:a${p.i}`)).toBe(crm);
    }
    expect(new Set(profileOf.values()).size).toBe(PEOPLE);
  });

  it('counts the funnel in people, after suppression', () => {
    const sendable = kept.filter((p) => metaView(p, true).sendable).length + 1;
    expect(report.funnel).toMatchObject({
      audienceRows: PEOPLE + 4,
      rowsRejected: 1,
      rowsNotFound: 1,
      rowsUnresolved: 1,
      profilesAfterResolution: PEOPLE + 1,
      profilesExcluded: { suppressed: suppressedPeople.length, noValidId: kept.length + 1 - sendable },
      profilesSendable: sendable,
    });
    const records = kept.reduce((sum, p) => sum + 1 + (p.hasWeb ? 1 : 0) + (p.hasApp ? 1 : 0), 0);
    expect(report.funnel.sourceRecords).toBe(records);
  });

  it('reports coverage per identifier before and after resolution as the truth has it', () => {
    const coverage = (type: string) => report.identifierCoverage.find((c: { type: string }) => c.type === type);
    const count = (test: (p: Person) => boolean) => kept.filter(test).length;
    // The walk-in's email counts both before and after: the row is all that is known of them.
    expect(coverage('email')).toMatchObject({
      profilesBefore: count((p) => metaView(p, false).emails > 0) + 1,
      profilesAfter: count((p) => metaView(p, true).emails > 0) + 1,
    });
    expect(coverage('phone')).toMatchObject({
      profilesBefore: count((p) => metaView(p, false).phones > 0),
      profilesAfter: count((p) => metaView(p, true).phones > 0),
      valuesValid: kept.reduce((sum, p) => sum + metaView(p, true).phones, 0),
    });
    expect(coverage('maid')).toMatchObject({ profilesBefore: 0, profilesAfter: count((p) => p.hasApp) });
    expect(report.resolutionLift).toMatchObject({
      profilesAfter: kept.length + 1,
      profilesBefore: kept.length + 2, // person 1 came in two rows
      sendableBefore: count((p) => metaView(p, false).sendable) + 1,
      gainedAnyId: count((p) => !metaView(p, false).sendable && metaView(p, true).sendable),
    });
    expect(report.resolutionLift.gainedAnyId).toBeGreaterThan(0);
  });

  it('lists refused values by reason and junk by rule, with redacted samples only', () => {
    const invalid = Object.fromEntries(
      report.invalid.map((entry: { field: string; reason: string; count: number }) => [
        `${entry.field}:${entry.reason}`,
        entry.count,
      ]),
    );
    // Every record of a facebook.com person carries the address: CRM, web and app.
    const excludedValues = kept
      .filter((p) => p.excluded)
      .reduce((sum, p) => sum + 1 + (p.hasWeb ? 1 : 0) + (p.hasApp ? 1 : 0), 0);
    expect(invalid).toEqual({
      'email:EMAIL_PLATFORM_EXCLUDED': excludedValues,
      'phone:PHONE_LENGTH': kept.filter((p) => p.crmBadPhone).length,
    });
    expect(report.junk).toEqual([{ field: 'email', rule: 'JUNK_VALUE', count: kept.filter((p) => p.junk).length }]);
    expect(JSON.stringify(report)).not.toMatch(/member\d+@/);
  });

  it('estimates matches as 1 - prod(1 - p) per person, summed', () => {
    const expected =
      kept.reduce((sum, p) => sum + expectedMidMatch(p), 0) +
      (DESTINATIONS.meta.keys[0] as { prior: { mid: number } }).prior.mid;
    expect(report.expectedMatch.mid).toBe(Math.round(expected));
    expect(report.expectedMatch.low).toBeLessThan(report.expectedMatch.mid);
    expect(report.expectedMatch.high).toBeGreaterThan(report.expectedMatch.mid);
    expect(report.rates.vsTargetingMin).toMatchObject({ min: 100, matchedEst: Math.round(expected) });
    expect(report.fixes.map((fix: { code: string }) => fix.code)).toContain('ADD_PERSONAL_EMAIL');
  });

  it('writes the upload file: normalized and hashed the way Meta wants, one row per value, people without keys left out', async () => {
    const out = join(dir, 'meta.csv');
    const run = await cli(
      'audience',
      'export',
      'spring',
      '--store',
      store,
      '--destination',
      'meta',
      '--out',
      out,
      '--json',
    );
    expect(run.code, run.err).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    const header = (lines[0] as string).split(',');
    expect(header.slice(0, 2)).toEqual(['email', 'phone']);
    const emailColumn = new Set(lines.slice(1).map((line) => line.split(',')[0]));
    const phoneColumn = new Set(lines.slice(1).map((line) => line.split(',')[1]));
    const madidColumn = new Set(lines.slice(1).map((line) => line.split(',')[header.indexOf('madid')]));
    const sample = kept.find((p) => p.i % 4 === 2 && !p.work) as Person;
    expect(emailColumn).toContain(sha256(sample.email));
    // Meta takes advertising IDs in clear, lowercase with hyphens.
    expect(madidColumn).toContain(sample.idfa);
    const twoPhones = kept.find((p) => p.crmPhone && p.appPhone) as Person;
    expect(phoneColumn).toContain(sha256(`447700${twoPhones.appPhone?.slice(-7).replace(' ', '')}`));
    expect(phoneColumn).toContain(sha256(`44${twoPhones.crmPhone?.replace(/\s/g, '').slice(1)}`));
    expect(emailColumn).not.toContain(sha256('test@test.com'));
    const summary = JSON.parse(run.out);
    expect(summary).toMatchObject({ people: report.funnel.profilesSendable, rows: lines.length - 1 });
    expect(summary.rows).toBe(report.funnel.rowsSent);
  });
});
