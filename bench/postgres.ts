/**
 * Database source benchmark (BENCH_ONLY=postgres): the synthetic records (BENCH_RECORDS, default
 * 1,000,000) put in PostgreSQL tables, one per source, by the project's launcher (a real server);
 * then the same rows loaded into fresh embedded stores by the built CLI, `idgraph load`, from the
 * NDJSON files and from the tables (`crm=postgresql://...#crm`), each in a process of its own so the
 * time and peak RSS are the load's alone. Then a scheduled run: `idgraph ingest --from` on a store
 * that holds the tables, after 1% of one table's rows changed, which reads only the rows at or
 * after the watermark.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startPostgres } from '../test/support/postgres-server.js';
import { cleanup, synthOnly } from './ingest.js';
import { report } from './support.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../bin/idgraph.js', import.meta.url));
const RULES = fileURLToPath(new URL('../rules/default.yaml', import.meta.url));

/** The synthetic sources' columns (src/synth/write-files.ts); the timestamp typed, the rest text. */
const TABLES: Record<string, { readonly timestamp: string; readonly columns: readonly string[] }> = {
  crm: {
    timestamp: 'updated_at',
    columns: ['customer_id', 'email', 'phone', 'first_name', 'last_name', 'postcode', 'country', 'dob'],
  },
  web: { timestamp: 'seen_at', columns: ['session_id', 'cookie_id', 'email'] },
  app: {
    timestamp: 'seen_at',
    columns: ['install_id', 'idfa', 'gaid', 'email', 'phone', 'first_name', 'country'],
  },
  orders: {
    timestamp: 'ordered_at',
    columns: ['order_id', 'email', 'phone', 'first_name', 'last_name', 'postcode', 'country'],
  },
};

export async function benchPostgres(records: number): Promise<void> {
  const { folder, data } = await synthOnly(records);
  const server = await startPostgres();
  try {
    const copyStart = performance.now();
    await fillTables(server.url, data);
    report(`postgres: the synthetic rows copied into 4 tables in ${seconds(copyStart)} s`);

    const fromFiles = await load(
      join(folder, 'store-ndjson'),
      Object.keys(TABLES).map((source) => `${source}=${join(data, `${source}.ndjson`)}`),
    );
    const fromTables = await load(
      join(folder, 'store-postgres'),
      Object.keys(TABLES).map((source) => `${source}=${server.url}#${source}`),
    );
    report(
      `load ${fromFiles.rows} rows from NDJSON:     ${fromFiles.seconds.toFixed(1)} s, peak RSS ${fromFiles.peakMemoryMb} MB`,
    );
    report(
      `load ${fromTables.rows} rows from PostgreSQL: ${fromTables.seconds.toFixed(1)} s, peak RSS ${fromTables.peakMemoryMb} MB ` +
        `(${(fromTables.seconds / fromFiles.seconds).toFixed(2)}x the NDJSON time; parse ${fromTables.phases.parse.toFixed(1)} s ` +
        `vs ${fromFiles.phases.parse.toFixed(1)} s)`,
    );
    if (fromTables.profilesCreated !== fromFiles.profilesCreated || fromTables.rows !== fromFiles.rows) {
      throw new Error(
        `the loads differ: ${fromTables.rows} rows / ${fromTables.profilesCreated} profiles from PostgreSQL, ` +
          `${fromFiles.rows} / ${fromFiles.profilesCreated} from NDJSON`,
      );
    }
    await scheduledRun(server.url, join(folder, 'store-postgres'), Math.max(1, Math.round(records / 400)));
  } finally {
    await server.stop();
    await cleanup(folder);
  }
}

/** One table per source, filled from its NDJSON file by COPY (each line a JSON value, made a row by PostgreSQL). */
async function fillTables(url: string, data: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [source, { timestamp, columns }] of Object.entries(TABLES)) {
      const definition = [`${timestamp} timestamptz`, ...columns.map((column) => `${column} text`)].join(', ');
      await client.query(`CREATE TABLE ${source} (${definition}); CREATE TEMP TABLE raw (j jsonb)`);
      // CSV with quote and delimiter characters JSON never holds raw: each line is one value as it is.
      const copy = client.query(copyFrom(`COPY raw FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`));
      await pipeline(createReadStream(join(data, `${source}.ndjson`)), copy);
      await client.query(
        `INSERT INTO ${source} SELECT r.* FROM raw, jsonb_populate_record(NULL::${source}, raw.j) AS r;
         DROP TABLE raw; ANALYZE ${source}`,
      );
    }
  } finally {
    await client.end();
  }
}

interface LoadSummary {
  readonly rows: number;
  readonly profilesCreated: number;
  readonly peakMemoryMb: number;
  readonly phases: Record<'parse' | 'normalize' | 'match' | 'write', number>;
}

async function load(store: string, pairs: readonly string[]): Promise<LoadSummary & { seconds: number }> {
  const start = performance.now();
  const { stdout } = await run(
    process.execPath,
    [CLI, 'load', '--json', '--no-progress', '--max-rejects', '100%', '--rules', RULES, '--store', store, ...pairs],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return { ...(JSON.parse(stdout) as LoadSummary), seconds: Number(seconds(start)) };
}

/** Changes `changed` orders (a new email, a newer timestamp), then runs the scheduled ingest twice. */
async function scheduledRun(url: string, store: string, changed: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `UPDATE orders SET email = 'changed.' || order_id || '@example.com', ordered_at = now()
       WHERE order_id IN (SELECT order_id FROM orders ORDER BY order_id LIMIT $1)`,
      [changed],
    );
  } finally {
    await client.end();
  }
  const ingest = async () => {
    const start = performance.now();
    const { stdout } = await run(process.execPath, [
      CLI,
      'ingest',
      '--json',
      '--no-progress',
      '--max-rejects',
      '100%',
      '--store',
      store,
      '--source',
      'orders',
      '--from',
      url,
      '--table',
      'orders',
    ]);
    const summary = JSON.parse(stdout) as { rows: number; accepted: number; unchanged: number; commits: number };
    return { ...summary, seconds: seconds(start) };
  };
  const first = await ingest();
  const again = await ingest();
  report(
    `scheduled ingest --from after ${changed} orders changed: ${first.rows} rows read, ${first.accepted - first.unchanged} ` +
      `committed in ${first.seconds} s; run again: ${again.rows} rows read, ${again.accepted - again.unchanged} committed in ${again.seconds} s`,
  );
}

function seconds(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}
