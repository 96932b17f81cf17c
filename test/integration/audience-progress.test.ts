/** A report's progress: member rows resolved, then the people they make evaluated, each step ending at its total. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudienceService } from '../../src/audience/audience-service.js';
import type { PassProgress } from '../../src/audience/pass-progress.js';
import type { AudienceMember } from '../../src/core/audience/members.js';
import { DESTINATIONS } from '../../src/core/destinations/catalog.js';
import { recordRef } from '../../src/core/resolve/types.js';
import type { Engine } from '../../src/engine/engine.js';
import { generateRecords } from '../../src/synth/generate.js';
import { fixedClock, openEngine, rulesFrom, storeOf } from '../support/engine.js';

let folder: string;
let engine: Engine;
let service: AudienceService;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'idgraph-progress-'));
  engine = await openEngine(`${folder}/store`);
  const records = [...generateRecords({ seed: 3, records: 400 })];
  for (const source of new Set(records.map((record) => record.source))) {
    await engine.ingest(
      source,
      records.filter((record) => record.source === source).map((record) => record.fields),
    );
  }
  // Small batches, so the people step reports several times.
  service = new AudienceService(
    storeOf(engine),
    rulesFrom(),
    storeOf(engine),
    DESTINATIONS,
    () => fixedClock().getTime(),
    { peoplePerBatch: 20, workers: 0 },
  );
  let line = 0;
  const members: AudienceMember[] = [
    ...records.map((record) => ({
      kind: 'record' as const,
      ref: recordRef(record.source, record.recordId),
      line: ++line,
    })),
    { kind: 'record', ref: 'crm:not-in-the-graph', line: ++line },
    { kind: 'identifiers', values: { email: 'walk.in@example.org' }, line: ++line },
  ];
  await service.create('all', { members, rejected: [{ line: ++line, reason: 'NO_IDENTIFIER' }] });
});

afterAll(async () => {
  await storeOf(engine).close();
  await rm(folder, { recursive: true, force: true });
});

describe('report progress', () => {
  it('resolves every member row, then evaluates the rows that found someone, in order, to the end', async () => {
    const seen: PassProgress[] = [];
    const [report] = await service.reports('all', ['meta'], (progress) => seen.push(progress));
    const members = seen.filter((progress) => progress.step === 'members');
    const people = seen.filter((progress) => progress.step === 'people');
    // 402 stored member rows (the rejected row is not one); the unknown record finds nobody.
    expect(members[0]).toEqual({ step: 'members', done: 0, total: 402 });
    expect(members.at(-1)).toEqual({ step: 'members', done: 402, total: 402 });
    expect(people.at(-1)).toEqual({ step: 'people', done: 401, total: 401 });
    expect(people.length).toBeGreaterThan(3);
    // Members first, then people; never backwards within a step.
    expect(seen.findIndex((progress) => progress.step === 'people')).toBeGreaterThan(
      seen.findLastIndex((progress) => progress.step === 'members'),
    );
    for (let at = 1; at < people.length; at++) {
      expect((people[at] as PassProgress).done).toBeGreaterThanOrEqual((people[at - 1] as PassProgress).done);
    }
    expect(report?.destination).toMatchObject({ platform: 'meta' });
  });

  it('gives the same report with and without a listener', async () => {
    const quiet = await service.reports('all', ['meta']);
    const heard = await service.reports('all', ['meta'], () => {});
    expect(heard).toEqual(quiet);
  });
});
