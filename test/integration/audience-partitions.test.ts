/**
 * Large audiences are grouped in files, a part at a time, so their memory stays bounded. Grouped
 * that way, an audience must come to the same people, previews, reports and upload files as when
 * it is grouped in memory, suppression included, and leave no working files behind.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudienceService } from '../../src/audience/audience-service.js';
import type { AudienceMember } from '../../src/core/audience/members.js';
import { recordValues } from '../../src/core/audience/record-values.js';
import { DESTINATIONS } from '../../src/core/destinations/catalog.js';
import { DESTINATION_IDS } from '../../src/core/destinations/destination-profile.js';
import { recordRef } from '../../src/core/resolve/types.js';
import type { Engine } from '../../src/engine/engine.js';
import { AudienceFiles } from '../../src/store/embedded/audience-files.js';
import { generateRecords } from '../../src/synth/generate.js';
import { fixedClock, openEngine, rulesFrom, storeOf } from '../support/engine.js';

let folder: string;
let engine: Engine;
let inMemory: AudienceService;
let partitioned: AudienceService;
let threaded: AudienceService;
const audiences = () => join(folder, 'audiences');
const files = () => new AudienceFiles(audiences());
const work = () => join(audiences(), '.work');

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'idgraph-audience-parts-'));
  engine = await openEngine(join(folder, 'store'));
  const records = [...generateRecords({ seed: 7, records: 600 })];
  for (const source of new Set(records.map((record) => record.source))) {
    const rows = records.filter((record) => record.source === source).map((record) => record.fields);
    await engine.ingest(source, rows);
  }
  const clock = () => fixedClock().getTime();
  inMemory = new AudienceService(storeOf(engine), rulesFrom(), files(), DESTINATIONS, clock, { workFolder: work() });
  partitioned = new AudienceService(storeOf(engine), rulesFrom(), files(), DESTINATIONS, clock, {
    workFolder: work(),
    membersPerPart: 90,
  });

  // Worker threads whatever the size, and small batches so every worker gets several.
  threaded = new AudienceService(storeOf(engine), rulesFrom(), files(), DESTINATIONS, clock, {
    workFolder: work(),
    workers: 2,
    peoplePerBatch: 25,
  });

  const refs = records.map((record) => recordRef(record.source, record.recordId));
  const profileIds = [...(await storeOf(engine).profileIdsOf(refs.slice(0, 40))).values()];
  let line = 0;
  type Unnumbered<T> = T extends AudienceMember ? Omit<T, 'line'> : never;
  const member = (fields: Unnumbered<AudienceMember>) => ({ ...fields, line: ++line }) as AudienceMember;
  const everyone = [
    ...refs.map((ref) => member({ kind: 'record', ref })),
    ...profileIds.map((profileId) => member({ kind: 'profile', profileId })),
    // Raw rows: one person's email and phone on two rows, and an email the graph has never seen.
    member({ kind: 'identifiers', values: { email: 'nobody.known@example.org' } }),
    member({ kind: 'identifiers', values: { email: 'walk.in@gmail.com', country: 'GB' } }),
    member({ kind: 'identifiers', values: { email: 'Walk.In@gmail.com', phone: '07700 900555', country: 'GB' } }),
    // More unmatched people than a batch holds in the threaded service.
    ...Array.from({ length: 30 }, (_, index) =>
      member({ kind: 'identifiers', values: { email: `walk.in.${index}@example.org` } }),
    ),
  ];
  await inMemory.create('everyone', { members: everyone, rejected: [] });
  line = 0;
  const buyers = [
    ...refs.slice(100, 250).map((ref) => member({ kind: 'record', ref })),
    member({ kind: 'identifiers', values: { phone: '+44 7700 900555' } }),
  ];
  await inMemory.create('buyers', { members: buyers, rejected: [] });
  line = 0;
  await inMemory.create('everyone-but-buyers', { members: everyone, rejected: [] }, { suppress: ['buyers'] });
});

afterAll(async () => {
  await storeOf(engine).close();
  await rm(folder, { recursive: true, force: true });
});

const sortedLines = async (path: string) => {
  const [header, ...rows] = (await readFile(path, 'utf8')).trimEnd().split('\n');
  return [header, ...rows.sort()];
};

describe('audiences evaluated in worker threads', () => {
  for (const id of ['everyone', 'everyone-but-buyers']) {
    it(`${id}: the same reports and the same upload file, byte for byte, as on one thread`, async () => {
      const reports = await threaded.reports(id, DESTINATION_IDS);
      expect(reports).toEqual(await inMemory.reports(id, DESTINATION_IDS));
      expect(reports[0]?.invalid.length).toBeGreaterThan(0);

      const split = await threaded.export(id, 'google', join(folder, `${id}-threads.csv`));
      const whole = await inMemory.export(id, 'google', join(folder, `${id}-one-thread.csv`));
      expect(split).toEqual({ ...whole, path: split.path });
      expect(await readFile(split.path, 'utf8')).toBe(await readFile(whole.path, 'utf8'));

      const both = await threaded.exportWithReport(id, 'meta', join(folder, `${id}-both.csv`));
      expect(both.report).toEqual(await inMemory.report(id, 'meta'));
      const alone = await inMemory.export(id, 'meta', join(folder, `${id}-alone.csv`));
      expect(await readFile(both.export.path, 'utf8')).toBe(await readFile(alone.path, 'utf8'));

      const chunks: string[] = [];
      for await (const chunk of await threaded.exportCsv(id, 'meta')) chunks.push(chunk);
      expect(chunks.join('')).toBe(await readFile(alone.path, 'utf8'));
    });
  }

  // Threads are counted in /proc (Linux, as CI runs).
  it.runIf(existsSync('/proc/self/task'))('stops its worker threads when a streamed export is cut short', async () => {
    const threads = () => readdirSync('/proc/self/task').length;
    const before = threads();
    const cut = (await threaded.exportCsv('everyone', 'meta'))[Symbol.asyncIterator]();
    expect((await cut.next()).done).toBe(false);
    expect(threads()).toBeGreaterThanOrEqual(before + 2);
    await cut.return?.(undefined);
    await expect.poll(threads, { timeout: 5_000 }).toBeLessThanOrEqual(before);
  });

  it('with destination settings: the workers estimate with the priors and minimums the team set', async () => {
    const tuned = {
      ...DESTINATIONS,
      meta: {
        ...DESTINATIONS.meta,
        minimumMatchedPeople: 5,
        workEmailFactor: 0.1,
        keys: DESTINATIONS.meta.keys.map((key) => ({ ...key, prior: { low: 0.01, mid: 0.02, high: 0.03 } })),
      },
    };
    const clock = () => fixedClock().getTime();
    const options = { workers: 2, peoplePerBatch: 25 };
    const withWorkers = new AudienceService(storeOf(engine), rulesFrom(), files(), tuned, clock, options);
    const oneThread = new AudienceService(storeOf(engine), rulesFrom(), files(), tuned, clock, { workers: 0 });
    const report = await withWorkers.report('everyone', 'meta');
    expect(report).toEqual(await oneThread.report('everyone', 'meta'));
    expect(report.expectedMatch.mid).toBeLessThan((await inMemory.report('everyone', 'meta')).expectedMatch.mid);
  });
});

/** The ID of a process that has come and gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return child.pid as number;
}

describe('audiences grouped in parts', () => {
  for (const id of ['everyone', 'everyone-but-buyers']) {
    it(`${id}: the same preview, reports and upload file as grouped in memory`, async () => {
      const preview = await partitioned.preview(id);
      expect(preview).toEqual(await inMemory.preview(id));
      expect(preview.people).toBeGreaterThan(100);
      if (id === 'everyone-but-buyers') expect(preview.suppressed).toBeGreaterThan(50);

      const reports = await partitioned.reports(id, DESTINATION_IDS);
      const expected = await inMemory.reports(id, DESTINATION_IDS);
      expect(reports).toEqual(expected);

      const parts = await partitioned.export(id, 'meta', join(folder, `${id}-parts.csv`));
      const whole = await inMemory.export(id, 'meta', join(folder, `${id}-whole.csv`));
      expect(parts.rows).toBe(whole.rows);
      expect(await sortedLines(parts.path)).toEqual(await sortedLines(whole.path));
    });
  }

  it('writes an upload file with its report in one pass: the file export writes, the report report gives', async () => {
    for (const service of [inMemory, partitioned]) {
      const both = await service.exportWithReport('everyone-but-buyers', 'meta', join(folder, 'both.csv'));
      const alone = await inMemory.export('everyone-but-buyers', 'meta', join(folder, 'alone.csv'));
      expect(both.export.rows).toBe(alone.rows);
      expect(both.export.people).toBe(both.report.funnel.profilesSendable);
      expect(await sortedLines(both.export.path)).toEqual(await sortedLines(alone.path));
      const report = await inMemory.report('everyone-but-buyers', 'meta');
      expect(report.funnel.profilesExcluded.suppressed).toBeGreaterThan(0);
      expect(both.report).toEqual(report);
    }
    expect(await readdir(join(audiences(), '.work'))).toEqual([]);
  });

  it('removes working folders of processes that died mid-report, not those of live ones', async () => {
    const work = join(audiences(), '.work');
    const abandoned = join(work, `work-${deadPid()}-crashed`);
    const live = join(work, `work-${process.pid}-busy`);
    for (const folder of [abandoned, live]) {
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, '0.ndjson'), '["p_x",{"kind":"values","values":[]}]\n');
    }
    await partitioned.preview('everyone');
    expect(await readdir(work)).toEqual([`work-${process.pid}-busy`]);
    await rm(live, { recursive: true });
  });

  it('leaves no working files behind, also after a streamed export and one cut short', async () => {
    const chunks: string[] = [];
    for await (const chunk of await partitioned.exportCsv('everyone', 'google')) chunks.push(chunk);
    expect(chunks.join('').split('\n').length).toBeGreaterThan(100);
    expect(await readdir(join(audiences(), '.work'))).toEqual([]);
    // A client that goes away after the first chunk: the stream returns the generator early.
    const cut = (await partitioned.exportCsv('everyone', 'meta'))[Symbol.asyncIterator]();
    expect((await cut.next()).done).toBe(false);
    expect(await readdir(join(audiences(), '.work'))).toHaveLength(1);
    await cut.return?.(undefined);
    expect(await readdir(join(audiences(), '.work'))).toEqual([]);
    // The working folder is not an audience.
    expect((await partitioned.audiences.list()).map((audience) => audience.id).sort()).toEqual([
      'buyers',
      'everyone',
      'everyone-but-buyers',
    ]);
  });

  it('keeps a named record in the "before" view when it leaves its profile between resolving and reading', async () => {
    let pair: { id: string; records: readonly string[] } | undefined;
    for await (const profile of storeOf(engine).profiles()) {
      if (profile.records.length === 2) {
        pair = profile;
        break;
      }
    }
    if (!pair) throw new Error('the synthetic data has no two-record profile');
    const [stays, leaves] = pair.records as [string, string];
    await inMemory.create('one-record', { members: [{ kind: 'record', line: 1, ref: leaves }], rejected: [] });
    const view = await inMemory.resolve('one-record');
    await engine.split(pair.id, [leaves], { actor: 'test' });

    const people = [];
    for await (const batch of inMemory.people(view)) people.push(...batch);
    await inMemory.dispose(view);
    expect(people).toHaveLength(1);
    expect(people[0]?.records).toEqual([stays]);
    const rules = rulesFrom();
    const named = (await storeOf(engine).getRecords([leaves])).get(leaves);
    if (!named) throw new Error('the record is gone');
    const rawOf = (values: readonly { raw: string }[]) => values.map((value) => value.raw).sort();
    expect(rawOf(people[0]?.before ?? [])).toEqual(rawOf(recordValues(named, rules.file, rules.normalizers)));
    const kept = (await storeOf(engine).getRecords([stays])).get(stays);
    if (!kept) throw new Error('the record is gone');
    expect(rawOf(people[0]?.after ?? [])).toEqual(rawOf(recordValues(kept, rules.file, rules.normalizers)));
    expect(people[0]?.before.length).toBeGreaterThan(0);
  });
});
