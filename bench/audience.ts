/**
 * Audience benchmark: a 1,000,000-member audience (every synthetic record, named by source and
 * record ID) on the embedded store built by the bulk benchmark. Times creating it from a CSV file,
 * the match-rate report for one destination and for all nine, and the upload file for one, also
 * with the audience grouped in parts on disk as larger audiences are.
 */

import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AudienceService, parseMembers } from '../src/audience/audience-service.js';
import { DESTINATIONS } from '../src/core/destinations/catalog.js';
import { DESTINATION_IDS } from '../src/core/destinations/destination-profile.js';
import { openInput } from '../src/ingest/input.js';
import { readRows } from '../src/ingest/read-rows.js';
import { AudienceFiles } from '../src/store/embedded/audience-files.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { loadDefaultRules, peakRss, report } from './support.js';

export async function benchAudience(data: string, work: string, members: number): Promise<void> {
  const file = join(work, 'audience.csv');
  const written = await writeMembersFile(join(data, 'truth.csv'), file, members);
  const rules = loadDefaultRules();
  const store = await EmbeddedStore.open(join(work, 'bulk-store'));
  // The same service, but for how many members it groups in one part on disk.
  const serviceWith = (membersPerPart?: number) =>
    new AudienceService(store, rules, new AudienceFiles(join(work, 'audiences')), DESTINATIONS, Date.now, {
      workFolder: join(work, 'audiences', '.work'),
      ...(membersPerPart === undefined ? {} : { membersPerPart }),
    });
  const service = serviceWith();

  const seconds = async <T>(work: () => Promise<T>): Promise<[T, string]> => {
    const start = performance.now();
    const result = await work();
    return [result, ((performance.now() - start) / 1000).toFixed(1)];
  };
  const [definition, createSeconds] = await seconds(async () => {
    const rows = [];
    for await (const entry of readRows(await openInput(file), 'csv')) {
      rows.push(entry.ok ? { line: entry.line, row: entry.row } : { line: entry.line, problem: entry.reason });
    }
    return service.create('bench', parseMembers(rows, rules), { replace: true });
  });
  report(`audience of ${written} members: create ${createSeconds} s (${definition.rowsRejected} rejected)`);
  const [meta, metaSeconds] = await seconds(() => service.report('bench', 'meta'));
  report(
    `  report (meta): ${metaSeconds} s, ${meta.funnel.profilesAfterResolution} people, ` +
      `${meta.funnel.profilesSendable} sendable, expected ${meta.expectedMatch.mid} matched; peak RSS ${peakRss()} MB`,
  );
  const [, allSeconds] = await seconds(() => service.reports('bench', DESTINATION_IDS));
  report(`  report (all ${DESTINATION_IDS.length} destinations): ${allSeconds} s`);
  const out = join(work, 'meta.csv');
  const [summary, exportSeconds] = await seconds(() => service.export('bench', 'meta', out));
  const size = (await stat(out)).size;
  report(
    `  export (meta): ${exportSeconds} s, ${summary.rows} rows, ${(size / 1e6).toFixed(0)} MB; ` +
      `report + export ${(Number(metaSeconds) + Number(exportSeconds)).toFixed(1)} s; peak RSS ${peakRss()} MB`,
  );

  const [both, bothSeconds] = await seconds(() => service.exportWithReport('bench', 'meta', out));
  report(
    `  export (meta) with its report, one pass: ${bothSeconds} s, ${both.export.rows} rows, ` +
      `${both.report.funnel.profilesSendable} sendable; peak RSS ${peakRss()} MB`,
  );

  // Audiences over a million members are grouped in parts on disk; this one, split in four the
  // same way, shows what that costs in time and what it saves in memory held while grouping.
  const parts = 4;
  const partitioned = serviceWith(Math.ceil(definition.rows / parts));
  const [partsSummary, partsSeconds] = await seconds(() => partitioned.export('bench', 'meta', out));
  report(
    `  export (meta) grouped in ${parts} parts on disk: ${partsSeconds} s, ${partsSummary.rows} rows; grouping held in memory: ` +
      `${await groupingHeldMb(service)} MB in one part, ${await groupingHeldMb(partitioned)} MB per part`,
  );
  await store.close();
}

/** Heap held by an audience's profile groups while a part is being read (needs node --expose-gc). */
async function groupingHeldMb(service: AudienceService): Promise<string> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return '?';
  gc();
  const before = process.memoryUsage().heapUsed;
  const view = await service.resolve('bench');
  const part = await view.resolved.groups.load(0);
  gc();
  const held = process.memoryUsage().heapUsed - before;
  await service.dispose(view);
  return part.size > 0 ? (held / 1e6).toFixed(0) : '0';
}

/** The first `members` records of truth.csv as source,record_id rows. */
async function writeMembersFile(truth: string, path: string, members: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('source,record_id\n');
  let count = 0;
  let first = true;
  for await (const line of createInterface({ input: createReadStream(truth, 'utf8') })) {
    if (first) {
      first = false;
      continue;
    }
    if (count === members) break;
    const [source, recordId] = line.split(',');
    out.write(`${source},${recordId}\n`);
    count++;
  }
  out.end();
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  return count;
}
