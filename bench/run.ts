/**
 * `npm run bench`: prints the figures the README and issue notes quote, after building the CLI (the
 * bulk load runs it as users do). BENCH_RECORDS sets the ingest size (default 1,000,000);
 * BENCH_ONLY=bulk|ingest|accuracy|synth|training|api|audience|neo4j|neo4j-import|postgres|segment|export-resolved|
 * ingest-api|ingest-api-neo4j|audience-neo4j|scale runs one part (audience and export-resolved include the bulk load they
 * need). BENCH_SYNTH_PEOPLE (default 20000,280000) sets the sizes of the six-sources synth accuracy
 * runs, BENCH_SYNTH_RULES (a part of a label, e.g. `guarded`) which rules files they judge;
 * BENCH_INGEST_API_RECORDS (default 100,000) the store one-record ingest calls go to;
 * BENCH_SCALE_RECORDS (default 1000000,3000000,10000000) the sizes of the scale run, which only
 * BENCH_ONLY=scale runs (10M records take over half an hour to load, more to open, and 20 GB of disk).
 * BENCH_LOOKUP_DISTINCT, BENCH_LOOKUP_ZIPF and BENCH_LOOKUP_WARMUP the Neo4j lookups' spread (bench/neo4j.ts).
 * BENCH_ONLY=commit-neo4j (only when named, a diagnosis rather than a target) times each statement of
 * one-record commits on Neo4j (bench/commit-neo4j.ts).
 */
import { join } from 'node:path';
import { benchAccuracy } from './accuracy-table.js';
import { benchApiLookups } from './api-load.js';
import { benchAudience } from './audience.js';
import { benchAudienceNeo4j } from './audience-neo4j.js';
import { benchCommitNeo4j } from './commit-neo4j.js';
import { benchErasuresEmbedded } from './erasure-embedded.js';
import { benchExportResolved } from './export-resolved.js';
import { benchBulk, benchIngest, cleanup, synthOnly } from './ingest.js';
import { benchIngestApi } from './ingest-api.js';
import { benchIngestApiNeo4j, benchNeo4j } from './neo4j.js';
import { benchNeo4jImport } from './neo4j-import.js';
import { benchPostgres } from './postgres.js';
import { benchScale } from './scale.js';
import { benchSegment } from './segment.js';
import { report } from './support.js';
import { benchSynthAccuracy, SYNTH_RULES } from './synth-accuracy.js';
import { benchTraining } from './training.js';

const records = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const only = process.env.BENCH_ONLY;

report(`idgraph benchmarks on node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
if (!only || only === 'bulk' || only === 'audience' || only === 'export-resolved') {
  // First, in a fresh process state: the bulk path's peak RSS is then its own.
  const { folder, data } = await synthOnly(records);
  await benchBulk(data, folder);
  // The audience benchmark runs on the store the bulk load built.
  if (!only || only === 'audience') await benchAudience(data, folder, Number(process.env.BENCH_AUDIENCE ?? records));
  // Last on that store: it ingests into it.
  if (!only || only === 'export-resolved') await benchExportResolved(data, folder);
  // Last of all: erasures rewrite the store's files.
  if (!only || only === 'bulk') await benchErasuresEmbedded(join(folder, 'bulk-store'));
  await cleanup(folder);
}
if (!only || only === 'ingest') {
  const { folder } = await benchIngest(records);
  await cleanup(folder);
}
if (!only || only === 'accuracy') await benchAccuracy();
if (!only || only === 'training') await benchTraining();
if (!only || only === 'synth') {
  for (const people of (process.env.BENCH_SYNTH_PEOPLE ?? '20000,280000').split(',').map(Number)) {
    const only = process.env.BENCH_SYNTH_RULES;
    await benchSynthAccuracy(people, only ? SYNTH_RULES.filter((rules) => rules.label.includes(only)) : SYNTH_RULES);
  }
}
if (!only || only === 'api') {
  await benchApiLookups(Number(process.env.BENCH_API_RECORDS ?? records), Number(process.env.BENCH_API_SECONDS ?? 20));
}
if (!only || only === 'neo4j') {
  await benchNeo4j(Number(process.env.BENCH_NEO4J_RECORDS ?? records), Number(process.env.BENCH_API_SECONDS ?? 20));
}
if (!only || only === 'audience-neo4j') {
  await benchAudienceNeo4j(Number(process.env.BENCH_AUDIENCE_NEO4J_MEMBERS ?? records));
}
if (!only || only === 'neo4j-import') {
  await benchNeo4jImport(Number(process.env.BENCH_NEO4J_RECORDS ?? records));
}
if (!only || only === 'postgres') await benchPostgres(Number(process.env.BENCH_POSTGRES_RECORDS ?? records));
if (!only || only === 'segment') {
  await benchSegment(
    Number(process.env.BENCH_SEGMENT_RECORDS ?? records),
    Number(process.env.BENCH_API_SECONDS ?? 20),
    Number(process.env.BENCH_SEGMENT_CONNECTIONS ?? 4),
  );
}
if (!only || only === 'ingest-api' || only === 'ingest-api-neo4j') {
  // One-record calls from many clients at once (real-time ingest): 100,000 records in the store by default.
  const args = [
    Number(process.env.BENCH_INGEST_API_RECORDS ?? 100_000),
    Number(process.env.BENCH_API_SECONDS ?? 20),
    Number(process.env.BENCH_INGEST_API_CONNECTIONS ?? 64),
  ] as const;
  if (only !== 'ingest-api-neo4j') await benchIngestApi(...args);
  if (only !== 'ingest-api') await benchIngestApiNeo4j(...args);
}
if (only === 'commit-neo4j') {
  await benchCommitNeo4j(
    Number(process.env.BENCH_INGEST_API_RECORDS ?? 100_000),
    Number(process.env.BENCH_API_SECONDS ?? 20),
    Number(process.env.BENCH_INGEST_API_CONNECTIONS ?? 64),
  );
}
if (only === 'scale') {
  await benchScale((process.env.BENCH_SCALE_RECORDS ?? '1000000,3000000,10000000').split(',').map(Number));
}
