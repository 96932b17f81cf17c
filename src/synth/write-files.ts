/** Writes a synthetic stream to one file per source plus the truth file, with backpressure. */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateRecords, type SynthOptions, type SynthProgress } from './generate.js';
import type { SourceName } from './records.js';

export type SynthFormat = 'ndjson' | 'csv';

const COLUMNS: Record<SourceName, readonly string[]> = {
  crm: ['customer_id', 'updated_at', 'email', 'phone', 'first_name', 'last_name', 'postcode', 'country', 'dob'],
  web: ['session_id', 'seen_at', 'cookie_id', 'email'],
  app: ['install_id', 'seen_at', 'idfa', 'gaid', 'email', 'phone', 'first_name', 'country'],
  orders: ['order_id', 'ordered_at', 'email', 'phone', 'first_name', 'last_name', 'postcode', 'country'],
};

export interface SynthSummary extends SynthProgress {
  readonly perSource: Record<SourceName, number>;
  readonly files: readonly string[];
}

export async function writeSyntheticFiles(
  folder: string,
  options: SynthOptions,
  format: SynthFormat,
): Promise<SynthSummary> {
  await mkdir(folder, { recursive: true });
  const streams = new Map<SourceName, WriteStream>();
  const files: string[] = [];
  const perSource: Record<SourceName, number> = { crm: 0, web: 0, app: 0, orders: 0 };
  const open = (source: SourceName) => {
    let stream = streams.get(source);
    if (!stream) {
      const path = join(folder, `${source}.${format}`);
      files.push(path);
      stream = createWriteStream(path);
      if (format === 'csv') stream.write(`${COLUMNS[source].join(',')}\n`);
      streams.set(source, stream);
    }
    return stream;
  };
  const truthPath = join(folder, 'truth.csv');
  const truth = createWriteStream(truthPath);
  truth.write('source,record_id,person_id\n');
  const progress: SynthProgress = { households: 0, people: 0, records: 0 };
  for (const record of generateRecords(options, progress)) {
    perSource[record.source]++;
    const line =
      format === 'csv'
        ? `${COLUMNS[record.source].map((column) => csvField(record.fields[column] ?? '')).join(',')}\n`
        : `${JSON.stringify(record.fields)}\n`;
    const stream = open(record.source);
    const okData = stream.write(line);
    const okTruth = truth.write(`${record.source},${record.recordId},${record.personId}\n`);
    if (!okData) await once(stream, 'drain');
    if (!okTruth) await once(truth, 'drain');
  }
  await Promise.all(
    [...streams.values(), truth].map(async (stream) => {
      stream.end();
      await once(stream, 'finish');
    }),
  );
  return { ...progress, perSource, files: [...files, truthPath] };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
