/**
 * Resolved tables benchmark: the store the bulk benchmark built (1,000,000 records by default)
 * written to a real PostgreSQL (the local launcher, as tests use it, or POSTGRES_URL) by
 * `idgraph export resolved`, run as users run it: the built CLI in a process of its own. Then
 * 10,000 new orders of people already in the store are ingested, and the incremental export that
 * follows is timed, with how many profiles and rows it wrote.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { Engine } from '../src/engine/engine.js';
import type { ExportSummary } from '../src/resolved-tables/export-resolved.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { loadDefaultRules, report } from './support.js';

const run = promisify(execFile);
const NEW_ORDERS = 10_000;

export async function benchExportResolved(data: string, work: string): Promise<void> {
  const server = await startPostgres();
  try {
    const store = join(work, 'bulk-store');
    const full = await exportOnce(store, server.url);
    report(
      `export resolved to PostgreSQL (full, idgraph export resolved): ${full.wall.toFixed(1)} s in all, ` +
        `${full.summary.seconds.toFixed(1)} s after the store opened; ${describe(full.summary)}`,
    );
    report(`  tables: ${await tableSizes(server.url)}`);

    const repeat = await repeatOrders(join(data, 'orders.ndjson'), NEW_ORDERS);
    const opened = await EmbeddedStore.open(store);
    const engine = new Engine(opened, loadDefaultRules());
    for (let start = 0; start < repeat.length; start += 1_000) {
      await engine.ingest('orders', repeat.slice(start, start + 1_000));
    }
    await opened.close();

    const incremental = await exportOnce(store, server.url);
    report(
      `export resolved after ${NEW_ORDERS.toLocaleString('en-US')} new records (incremental): ` +
        `${incremental.wall.toFixed(1)} s in all, ${incremental.summary.seconds.toFixed(1)} s after the store opened; ` +
        describe(incremental.summary),
    );
  } finally {
    await server.stop();
  }
}

async function exportOnce(store: string, url: string): Promise<{ wall: number; summary: ExportSummary }> {
  const cli = fileURLToPath(new URL('../bin/idgraph.js', import.meta.url));
  const start = performance.now();
  const { stdout } = await run(
    process.execPath,
    [cli, 'export', 'resolved', '--store', store, '--to', url, '--prefix', 'bench', '--json'],
    { maxBuffer: 1 << 20 },
  );
  return { wall: (performance.now() - start) / 1000, summary: JSON.parse(stdout) as ExportSummary };
}

function describe(summary: ExportSummary): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return (
    `${summary.full ? 'full' : 'incremental'} (${summary.reason}): ${count(summary.profilesWritten)} profiles, ` +
    `${count(summary.recordsWritten)} records, ${count(summary.identifiersWritten)} identifiers, ` +
    `${count(summary.redirectsWritten)} redirects written, ${count(summary.profilesRemoved)} profiles removed; ` +
    `${count(summary.rowsWritten)} rows`
  );
}

/** Orders placed again by people the store holds: the first `count` orders of the file, under new keys, later. */
async function repeatOrders(file: string, count: number): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (rows.length === count) break;
    const row = JSON.parse(line) as Record<string, unknown>;
    rows.push({ ...row, order_id: `again-${row.order_id}`, ordered_at: '2026-06-01T12:00:00.000Z' });
  }
  return rows;
}

async function tableSizes(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT relname, reltuples::bigint AS rows, pg_total_relation_size(oid) AS bytes FROM pg_class
       WHERE relname LIKE 'bench\\_%' AND relkind = 'r' ORDER BY relname`,
    );
    return rows.map((row) => `${row.relname} ${(Number(row.bytes) / 1e6).toFixed(0)} MB`).join(', ');
  } finally {
    await client.end();
  }
}
