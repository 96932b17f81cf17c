/** The pure report: people in, counts, estimates and ranked fixes out, on hand-made people. */
import { describe, expect, it } from 'vitest';
import type { EvaluationSettings } from '../../../src/core/audience/evaluate-person.js';
import { evaluatePerson, likelihood } from '../../../src/core/audience/evaluate-person.js';
import { parseMemberRow } from '../../../src/core/audience/members.js';
import type { AudiencePerson, PersonValue } from '../../../src/core/audience/person.js';
import { buildMatchReport, MatchReportBuilder } from '../../../src/core/audience/report.js';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import type { DestinationId } from '../../../src/core/destinations/destination-profile.js';
import type { DestinationField } from '../../../src/core/destinations/types.js';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
const JUNK = new Set(['test@test.com', '0000000000']);

function settings(destination: DestinationId = 'meta'): EvaluationSettings {
  const fieldOf = new Map<string, DestinationField>([
    ['email', 'email'],
    ['phone', 'phone'],
    ['device_id', 'maid'],
    ['first_name', 'first_name'],
    ['last_name', 'last_name'],
    ['postcode', 'postal_code'],
    ['country', 'country'],
  ]);
  return {
    destination: DESTINATIONS[destination],
    fieldOf,
    junk: (value) => (JUNK.has(value.raw) ? 'JUNK_VALUE' : undefined),
  };
}

const v = (target: string, raw: string, country?: string): PersonValue =>
  country ? { target, raw, country } : { target, raw };

function person(after: PersonValue[], options: Partial<AudiencePerson> = {}): AudiencePerson {
  return { profileId: 'p', rows: 1, records: ['crm:1'], before: after, after, newestTs: NOW - DAY, ...options };
}

function report(people: AudiencePerson[], destination: DestinationId = 'meta', suppressed = 0) {
  return buildMatchReport({
    audience: {
      id: 'a',
      name: 'a',
      createdAt: new Date(NOW).toISOString(),
      suppress: [],
      rows: people.reduce((sum, p) => sum + p.rows, 0),
      rowsRejected: 0,
      rowsUnresolved: 0,
      rowsNotFound: 0,
    },
    people,
    suppressed,
    settings: settings(destination),
    graph: { rulesVersion: 'r1', lastCommit: 3 },
    nowMs: NOW,
  });
}

describe('evaluatePerson', () => {
  it('sorts values into valid (in the platform form), invalid with a reason, junk, and collapsed', () => {
    const view = evaluatePerson(
      [
        v('email', ' Ann@Example.org '),
        v('email', 'ann@example.org'),
        v('email', 'not-an-address'),
        v('email', 'test@test.com'),
        v('phone', '12345', 'GB'),
        v('cookie', 'ck-1'),
      ],
      settings(),
    );
    const emails = view.fields.get('email');
    expect([...(emails?.valid.keys() ?? [])]).toEqual(['ann@example.org']);
    expect(emails).toMatchObject({ raw: 4, collapsed: 1, junk: ['JUNK_VALUE'] });
    expect(emails?.invalid.map((i) => i.reason)).toEqual(['EMAIL_SYNTAX']);
    expect(view.fields.get('phone')?.invalid.map((i) => i.reason)).toEqual(['PHONE_LENGTH']);
    expect(view.fields.has('maid')).toBe(false); // cookies feed no Meta field
    expect(view.keys).toEqual(['email']);
    expect(view.workEmailOnly).toBe(true); // example.org is no freemail provider
  });

  it('combines keys as 1 - prod(1 - p), scaling a work-only email', () => {
    const meta = DESTINATIONS.meta;
    const p = (name: string) => meta.keys.find((key) => key.name === name)?.prior.mid as number;
    expect(likelihood(meta, [], false).mid).toBe(0);
    expect(likelihood(meta, ['email', 'phone'], false).mid).toBeCloseTo(1 - (1 - p('email')) * (1 - p('phone')), 10);
    expect(likelihood(meta, ['email'], true).mid).toBeCloseTo(p('email') * meta.workEmailFactor, 10);
    const range = likelihood(meta, ['email', 'maid'], false);
    expect(range.low).toBeLessThan(range.mid);
    expect(range.mid).toBeLessThan(range.high);
  });
});

describe('parseMemberRow', () => {
  const targets = new Set(['email', 'phone', 'country']);
  const contextOnly = new Set(['country']);
  it.each([
    [{ profile_id: 'p_1' }, { kind: 'profile', profileId: 'p_1' }],
    [
      { source: 'crm', record_id: 7 },
      { kind: 'record', ref: 'crm:7' },
    ],
    [
      { email: ' a@b.io ', country: 'GB', other: 'x' },
      { kind: 'identifiers', values: { email: 'a@b.io', country: 'GB' } },
    ],
  ])('takes %j', (row, member) => {
    expect(parseMemberRow(row, 2, targets, contextOnly)).toEqual({ ok: true, member: { line: 2, ...member } });
  });
  it.each([
    ['a record id without source', { record_id: '7' }, 'RECORD_ID_WITHOUT_SOURCE'],
    ['a country alone', { country: 'GB' }, 'NO_MEMBER_COLUMNS'],
    ['columns the rules do not know', { name: 'Ann' }, 'NO_MEMBER_COLUMNS'],
    ['a 2,000-character value', { email: 'x'.repeat(2000) }, 'VALUE_TOO_LONG'],
  ])('refuses %s', (_label, row, reason) => {
    expect(parseMemberRow(row, 9, targets, contextOnly)).toEqual({ ok: false, line: 9, reason });
  });
});

describe('buildMatchReport', () => {
  it('counts resolution lift only where resolution added values', () => {
    const gained = person([v('email', 'ann@gmail.com'), v('phone', '+447700900123')], {
      before: [v('email', 'ann@gmail.com')],
      rows: 2,
      records: ['crm:1', 'app:1'],
    });
    const whole = person([v('device_id', '6d92078a-8246-4ba4-ae5b-76104861e7dc')]);
    const nothing = person([v('email', 'test@test.com')], { before: [] });
    const result = report([gained, whole, nothing], 'meta', 4);
    expect(result.funnel).toMatchObject({
      audienceRows: 4,
      sourceRecords: 4,
      profilesAfterResolution: 7,
      profilesWithAnyAcceptedId: 2,
      profilesExcluded: { suppressed: 4, noValidId: 1 },
      profilesSendable: 2,
    });
    expect(result.resolutionLift).toMatchObject({
      profilesBefore: 4,
      profilesAfter: 3,
      gainedAnyId: 0,
      gainedSecondIdType: 1,
      multiKeyProfiles: 1,
      sendableBefore: 2,
      coverageDeltaByType: expect.objectContaining({ phone: 1, email: 0, maid: 0 }),
    });
    const p = (name: string) => DESTINATIONS.meta.keys.find((key) => key.name === name)?.prior.mid as number;
    const lift = 1 - (1 - p('email')) * (1 - p('phone')) - p('email');
    expect(result.resolutionLift.estMatchedLift).toBeCloseTo(lift, 1);
    expect(result.junk).toEqual([{ field: 'email', rule: 'JUNK_VALUE', count: 1 }]);
    expect(result.rates.addressability).toBeCloseTo(2 / 3, 3);
  });

  it('sends up to the platform limit per person and counts rows and identifiers apart', () => {
    const emails = ['a1@gmail.com', 'a2@gmail.com', 'a3@gmail.com', 'a4@gmail.com'].map((e) => v('email', e));
    const result = report([person([...emails, v('phone', '+447700900123')])]);
    // Meta takes three emails per person: three rows, the phone repeated on each.
    expect(result.funnel).toMatchObject({ rowsSent: 3, identifiersSent: 4 });
    const coverage = result.identifierCoverage.find((c) => c.type === 'email');
    expect(coverage).toMatchObject({ valuesValid: 4, valuesPerProfile: { mean: 4, p95: 4 } });
  });

  it('ranks fixes by added matches per effort and flags audiences under the minimum', () => {
    const people = [
      // A phone without country code on one record; another record of the person gives the country.
      person([v('phone', '07700 900123'), v('country', 'GB', 'GB')]),
      person([v('email', 'ann@acme-corp.com')]),
      person([v('email', 'bob@gmail.com')], { newestTs: NOW - 600 * DAY }),
    ];
    const result = report(people);
    const codes = result.fixes.map((fix) => fix.code);
    expect(codes).toEqual(
      expect.arrayContaining(['ADD_COUNTRY_CODE', 'ADD_PERSONAL_EMAIL', 'REFRESH_STALE', 'WIDEN_AUDIENCE']),
    );
    expect(result.fixes.map((fix) => fix.rank)).toEqual(codes.map((_, index) => index + 1));
    const addCountry = result.fixes.find((fix) => fix.code === 'ADD_COUNTRY_CODE');
    expect(addCountry).toMatchObject({ affectedProfiles: 1, effort: 'low' });
    expect(addCountry?.estAddedMatches).toBeCloseTo(DESTINATIONS.meta.keys[1]?.prior.mid as number, 1);
    expect(result.rates.vsTargetingMin.status).toBe('below');
    expect(result.quality).toMatchObject({ workEmailShare: 0.5, freemailShare: 0.5, staleShare: 0.3333 });
    const order = result.fixes.map((fix) => fix.estAddedMatches / { low: 1, medium: 2, high: 4 }[fix.effort]);
    expect([...order].sort((a, b) => b - a)).toEqual(order);
  });

  it("gives the age of people's newest records as nearest-rank percentiles in days, whatever their order", () => {
    const ages = [1, 2, 3, 5, 8, 13, 21, 34, 55, 600];
    const people = ages.map((days) =>
      person([v('email', `p${days}@gmail.com`)], { newestTs: NOW - days * DAY - 1000 }),
    );
    // Ten people: p50 is the 6th youngest (13 days), p90 the 10th (600 days); the unknown age is left out.
    const unknown = person([v('email', 'new@gmail.com')], { newestTs: 0 });
    expect(report([...people, unknown]).quality.idAgeDays).toEqual({ p50: 13, p90: 600 });
    expect(report([unknown, ...people].reverse()).quality.idAgeDays).toEqual({ p50: 13, p90: 600 });
    expect(report([unknown]).quality.idAgeDays).toEqual({ p50: null, p90: null });
  });

  it('never puts a raw value in the report', () => {
    const result = report([person([v('email', 'broken.address@@mail'), v('phone', '07700 900123')])]);
    const text = JSON.stringify(result);
    expect(result.invalid.map((entry) => entry.reason).sort()).toEqual(['EMAIL_SYNTAX', 'PHONE_AMBIGUOUS_TRUNK_ZERO']);
    expect(text).not.toContain('broken.address');
    expect(text).not.toContain('900123');
  });

  it('follows each destination: Google wants the full address for its address key', () => {
    const named = person([
      v('first_name', 'Ann'),
      v('last_name', 'Lee'),
      v('postcode', 'SW1A 1AA', 'GB'),
      v('country', 'GB', 'GB'),
    ]);
    expect(report([named], 'google').funnel.profilesSendable).toBe(1);
    const noCountry = person([v('first_name', 'Ann'), v('last_name', 'Lee'), v('postcode', 'SW1A 1AA', 'GB')]);
    expect(report([noCountry], 'google').funnel.profilesSendable).toBe(0);
  });

  it('combines builders that each saw part of the people into the report of all of them, split anywhere', () => {
    const shared = v('phone', '+44 7700 900001');
    const people = [
      person([v('email', 'ann@gmail.com'), shared], { before: [shared], rows: 2 }),
      person([v('email', 'bob@acme-widgets.com'), shared]),
      person([v('email', 'broken@@mail'), v('phone', '07700 900123')], { newestTs: NOW - 700 * DAY }),
      person([v('email', 'also broken@x'), v('email', 'test@test.com')]),
      person([v('email', 'zed broken@x'), v('email', 'Ann@Gmail.com ')]),
      person([v('email', 'a broken@x'), v('device_id', '6D92078A-8246-4BA4-AE5B-76104861E7DC')], { before: [] }),
      person([v('phone', '0000000000'), v('first_name', 'Ann')], { newestTs: 0 }),
    ];
    const input = (part: AudiencePerson[]) => ({
      audience: { id: 'a', name: 'a', createdAt: new Date(NOW).toISOString(), suppress: [] },
      suppressed: 0,
      graph: { rulesVersion: 'r1', lastCommit: 3 },
      people: part,
    });
    const whole = report(people);
    for (const at of [0, 1, 3, people.length]) {
      const parts = [people.slice(at), people.slice(0, at)];
      const combined = new MatchReportBuilder(settings(), NOW);
      for (const part of parts) {
        const builder = new MatchReportBuilder(settings(), NOW);
        for (const each of part) builder.add(each);
        // Through structured cloning, as the state crosses from a worker thread.
        combined.absorb(structuredClone(builder.state()));
      }
      const audience = { ...input(people).audience, rows: 8, rowsRejected: 0, rowsUnresolved: 0, rowsNotFound: 0 };
      expect(combined.finish({ ...input(people), audience })).toEqual(whole);
    }
    // Four invalid emails, three distinct samples: the first in sorted order, whatever the order of people.
    const syntax = whole.invalid.find((entry) => entry.reason === 'EMAIL_SYNTAX');
    expect(syntax?.count).toBe(4);
    // "also broken@x" and "a broken@x" redact alike and are one sample.
    expect(syntax?.redactedSamples).toEqual(['a***@x***', 'b***@m***', 'z***@x***']);
    expect(report([...people].reverse()).invalid).toEqual(whole.invalid);
    expect(whole.duplicates.sharedIdentifiers).toBeGreaterThan(0);
    expect(whole.junk.length).toBeGreaterThan(0);
  });
});
