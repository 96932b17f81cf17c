/**
 * The store the API benchmarks start from: N synthetic records (seed 42) normalized and bulk-loaded
 * through the engine, with some CRM emails kept for the load generators to name people the store
 * knows. Normalizing is not timed; the bulk load is, and reported.
 */
import type { PackedRecord } from '../src/codec/packed-record.js';
import type { BulkLoadSummary } from '../src/engine/bulk-load/bulk-load.js';
import type { Engine } from '../src/engine/engine.js';
import { generateRecords } from '../src/synth/generate.js';

export interface Preloaded {
  /** Up to `keepEmails` emails of CRM records in the store, in generation order. */
  readonly emails: string[];
  /** Undefined when no records were asked for (the store stays empty). */
  readonly loaded: BulkLoadSummary | undefined;
  readonly seconds: number;
}

/**
 * With `alreadyLoaded` the store holds these records already (first-loaded another way): only the
 * emails are collected.
 */
export async function preloadSynthetic(
  engine: Engine,
  records: number,
  keepEmails: number,
  alreadyLoaded = false,
): Promise<Preloaded> {
  const emails: string[] = [];
  const bySource = new Map<string, Record<string, unknown>[]>();
  for (const record of generateRecords({ seed: 42, records })) {
    const rows = bySource.get(record.source) ?? [];
    rows.push(record.fields);
    bySource.set(record.source, rows);
    if (record.fields.email && emails.length < keepEmails && record.source === 'crm') emails.push(record.fields.email);
  }
  if (alreadyLoaded) return { emails, loaded: undefined, seconds: 0 };
  const prepared: PackedRecord[] = [];
  for (const [source, rows] of bySource) {
    for (const record of engine.packRows(source, rows).packed) prepared.push(record);
  }
  bySource.clear();
  const started = performance.now();
  const loaded = prepared.length > 0 ? await engine.loadBulk(prepared) : undefined;
  return { emails, loaded, seconds: (performance.now() - started) / 1000 };
}
