/** Writes a synthetic stream to one file per source plus the truth file, with backpressure. */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateRecords, type SynthOptions, type SynthProgress } from './generate.js';
import type { SourceName } from './records.js';

export type SynthFormat = 'ndjson' | 'csv';

const CLASSIC_COLUMNS: Partial<Record<SourceName, readonly string[]>> = {
  crm: ['customer_id', 'updated_at', 'email', 'phone', 'first_name', 'last_name', 'postcode', 'country', 'dob'],
  web: ['session_id', 'seen_at', 'cookie_id', 'email'],
  app: ['install_id', 'seen_at', 'idfa', 'gaid', 'email', 'phone', 'first_name', 'country'],
  orders: ['order_id', 'ordered_at', 'email', 'phone', 'first_name', 'last_name', 'postcode', 'country'],
};

const SIX_SOURCE_COLUMNS: Record<SourceName, readonly string[]> = {
  crm: ['customer_id', 'updated_at', 'email', 'phone', 'first_name', 'last_name', 'postcode', 'country', 'dob'],
  web: ['session_id', 'seen_at', 'cookie_id', 'email'],
  app: ['install_id', 'seen_at', 'idfa', 'gaid', 'email', 'phone', 'country'],
  pos: ['receipt_id', 'sold_at', 'store_id', 'store_country', 'phone', 'customer_name', 'email'],
  support: ['ticket_id', 'opened_at', 'requester', 'requester_email', 'phone', 'country'],
  orders: ['order_id', 'ordered_at', 'email', 'phone', 'shipping_name', 'shipping_address.zip', 'country'],
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
  const sixSources = options.shape === 'six-sources';
  const columns = (source: SourceName) => (sixSources ? SIX_SOURCE_COLUMNS : CLASSIC_COLUMNS)[source] ?? [];
  const perSource: Record<SourceName, number> = { crm: 0, web: 0, app: 0, orders: 0, pos: 0, support: 0 };
  const open = (source: SourceName) => {
    let stream = streams.get(source);
    if (!stream) {
      const path = join(folder, `${source}.${format}`);
      files.push(path);
      stream = createWriteStream(path);
      if (format === 'csv') stream.write(`${columns(source).join(',')}\n`);
      streams.set(source, stream);
    }
    return stream;
  };
  const truthPath = join(folder, 'truth.csv');
  const truth = createWriteStream(truthPath);
  // The six-sources shape also says which traps each record carries (traits joined by `|`).
  truth.write(sixSources ? 'source,record_id,person_id,traits\n' : 'source,record_id,person_id\n');
  const progress: SynthProgress = { households: 0, people: 0, records: 0 };
  for (const record of generateRecords(options, progress)) {
    perSource[record.source]++;
    const line =
      format === 'csv'
        ? `${columns(record.source)
            .map((column) => csvField(record.fields[column] ?? ''))
            .join(',')}\n`
        : `${JSON.stringify(nested(record.fields))}\n`;
    const stream = open(record.source);
    const okData = stream.write(line);
    const traits = sixSources ? `,${(record.traits ?? []).join('|')}` : '';
    const okTruth = truth.write(`${record.source},${record.recordId},${record.personId}${traits}\n`);
    // Both listeners are set before waiting: awaiting one drain, then the other, misses the second
    // when it fires meanwhile, and the process ends with the promise unsettled (exit code 13).
    const drains: Promise<unknown>[] = [];
    if (!okData) drains.push(once(stream, 'drain'));
    if (!okTruth) drains.push(once(truth, 'drain'));
    if (drains.length > 0) await Promise.all(drains);
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

/** `{"a.b": x}` -> `{"a": {"b": x}}`: NDJSON exports keep sub-objects such as an address. */
function nested(fields: Record<string, string>): Record<string, unknown> {
  if (!Object.keys(fields).some((field) => field.includes('.'))) return fields;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const [head, ...rest] = field.split('.') as [string, ...string[]];
    if (rest.length === 0) out[head] = value;
    else out[head] = { ...((out[head] as Record<string, unknown> | undefined) ?? {}), [rest.join('.')]: value };
  }
  return out;
}
