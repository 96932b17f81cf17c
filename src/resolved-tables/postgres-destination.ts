/**
 * The resolved tables in PostgreSQL: one transaction per run, guarded by an advisory lock on the
 * prefix. Rows go in with COPY FROM STDIN: a full run's straight into the emptied tables, an
 * incremental one's into temporary tables that the merge of table-sql.ts applies. The identifiers
 * (the most rows) stream to the server while the store is read, so it loads them on the other core;
 * a connection runs one COPY at a time, so the other tables are spooled to files and sent after.
 * Readers of the tables see the last run until this one commits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CopySpool, CopyWriter } from './copy-spool.js';
import type { Destination, DestinationState, RunRecord } from './destination.js';
import { redactUrl } from './destination-url.js';
import { ExportError } from './export-error.js';
import { columnList, DATA_TABLES, type DataTable, quote, type Table, type TableLayout } from './table-layout.js';
import type { TableRows } from './table-rows.js';
import { checkShape, createTable, ID_LIST, mergeStatements, POSTGRES, staged } from './table-sql.js';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The indexes of each table, by name suffix: what the merge deletes by and a warehouse joins on.
 * A full run drops those of the data tables before it loads them and builds them after, from
 * sorted rows, rather than update them row by row (half the time of a million-record load).
 */
const INDEXES: Record<
  DataTable | 'state',
  readonly { readonly suffix: string; readonly on: string; readonly unique?: true }[]
> = {
  resolved: [
    { suffix: 'key', on: 'source, record_id', unique: true },
    { suffix: 'profile', on: 'profile_id' },
  ],
  identifiers: [
    { suffix: 'profile', on: 'profile_id' },
    { suffix: 'value', on: 'type, value' },
  ],
  profiles: [{ suffix: 'key', on: 'profile_id', unique: true }],
  redirects: [
    { suffix: 'key', on: 'old_profile_id', unique: true },
    { suffix: 'profile', on: 'profile_id' },
  ],
  state: [{ suffix: 'key', on: 'run', unique: true }],
};

/** Every table but the identifiers, which stream live. */
type Spools = Record<Exclude<DataTable, 'identifiers'> | 'touched' | 'removed', CopySpool>;

export class PostgresDestination implements Destination {
  readonly label: string;
  private layout: TableLayout | undefined;
  private found = new Map<string, Map<string, string>>();
  private full = false;
  private folder: string | undefined;
  private spools: Spools | undefined;
  /** The identifiers' COPY, under way from prepare to commit: no other statement runs meanwhile. */
  private live: { readonly writer: CopyWriter; readonly stream: ReturnType<typeof copyFrom> } | undefined;
  /** A failure of the connection itself (the server went away): the next statement reports it. */
  private lost: Error | undefined;

  private constructor(
    private readonly client: pg.Client,
    url: string,
  ) {
    this.label = `PostgreSQL at ${redactUrl(url)}`;
    client.on('error', (error) => {
      this.lost = error;
    });
  }

  static async open(url: string): Promise<PostgresDestination> {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'idgraph export resolved',
    });
    const destination = new PostgresDestination(client, url);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      const failure = postgresFailure(error, destination.label);
      // Whatever else stops a connection (TLS refused, a malformed option) is said as the driver says it.
      if (failure instanceof ExportError) throw failure;
      throw new ExportError(
        'DESTINATION_UNREACHABLE',
        `cannot connect to ${destination.label}: ${redactUrl(failure.message.split('\n')[0] ?? '')}`,
      );
    }
    return destination;
  }

  async begin(layout: TableLayout): Promise<DestinationState> {
    this.layout = layout;
    await this.sql('BEGIN');
    const lock = await this.sql('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
      `idgraph export resolved ${layout.prefix}`,
    ]);
    if (!lock.rows[0]?.locked) {
      throw new ExportError('DESTINATION_BUSY', `${this.label}: another export to ${layout.prefix}_* is running`);
    }
    const tables = [...DATA_TABLES.map((role) => layout[role].name), layout.state.name];
    const columns = await this.sql(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ANY($1)`,
      [tables],
    );
    for (const row of columns.rows) {
      const table = this.found.get(row.table_name) ?? new Map<string, string>();
      table.set(row.column_name, row.data_type);
      this.found.set(row.table_name, table);
    }
    const tablesPresent = DATA_TABLES.every((role) => this.found.has(layout[role].name));
    const state = this.found.get(layout.state.name);
    if (!state) return { lastRun: undefined, tablesPresent };
    checkShape(layout.state, state, POSTGRES, this.label);
    const last = await this.sql(
      `SELECT run, store_commit, store_origin, attributes FROM ${quote(layout.state.name)} ORDER BY run DESC LIMIT 1`,
    );
    const row = last.rows[0];
    return {
      tablesPresent,
      lastRun: row && {
        run: Number(row.run),
        storeCommit: Number(row.store_commit),
        storeOrigin: row.store_origin ?? '',
        attributes: row.attributes ? String(row.attributes).split(',') : [],
      },
    };
  }

  async prepare(full: boolean, recreateProfiles: boolean): Promise<void> {
    const layout = this.required();
    this.full = full;
    if (recreateProfiles) {
      await this.sql(`DROP TABLE IF EXISTS ${quote(layout.profiles.name)}`);
      this.found.delete(layout.profiles.name);
    }
    for (const role of [...DATA_TABLES, 'state'] as const) await this.ensure(layout[role], role);
    if (full) {
      await this.sql(`TRUNCATE ${DATA_TABLES.map((role) => quote(layout[role].name)).join(', ')}`);
      for (const role of DATA_TABLES) {
        for (const index of INDEXES[role])
          await this.sql(`DROP INDEX IF EXISTS ${indexName(layout[role], index.suffix)}`);
      }
    } else {
      for (const role of DATA_TABLES) {
        await this.sql(`${createTable(layout[role], POSTGRES, staged[role], true)} ON COMMIT DROP`);
      }
      for (const name of [staged.touched, staged.removed]) {
        await this.sql(`${createTable(ID_LIST, POSTGRES, name, true)} ON COMMIT DROP`);
      }
    }
    this.folder = await mkdtemp(join(tmpdir(), 'idgraph-export-'));
    const spool = (name: string, table: Table) =>
      new CopySpool(
        join(this.folder as string, `${name}.copy`),
        table.columns.map((column) => column.type),
      );
    this.spools = {
      resolved: spool('resolved', layout.resolved),
      profiles: spool('profiles', layout.profiles),
      redirects: spool('redirects', layout.redirects),
      touched: spool('touched', ID_LIST),
      removed: spool('removed', ID_LIST),
    };
    const stream = this.client.query(copyFrom(copyStatement(layout.identifiers, this.target('identifiers'))));
    this.live = {
      stream,
      writer: new CopyWriter(
        stream,
        layout.identifiers.columns.map((column) => column.type),
      ),
    };
  }

  async write(rows: TableRows): Promise<void> {
    const spools = this.spools as Spools;
    try {
      await this.live?.writer.add(rows.identifiers);
    } catch (error) {
      throw postgresFailure(this.lost ?? error, this.label);
    }
    for (const role of ['resolved', 'profiles', 'redirects'] as const) await spools[role].add(rows[role]);
    if (!this.full) {
      await spools.touched.add(rows.touched.map((id) => [id]));
      await spools.removed.add(rows.removed.map((id) => [id]));
    }
  }

  async commit(run: RunRecord): Promise<void> {
    const layout = this.required();
    const spools = this.spools as Spools;
    const live = this.live;
    this.live = undefined;
    try {
      await live?.writer.end();
    } catch (error) {
      throw postgresFailure(this.lost ?? error, this.label);
    }
    for (const role of ['resolved', 'profiles', 'redirects'] as const) {
      await this.copy(layout[role], this.target(role), spools[role]);
    }
    if (this.full) {
      // Sorting a million keys for an index wants more than the default 64 MB, for this run only.
      await this.sql("SET LOCAL maintenance_work_mem = '512MB'");
      for (const role of DATA_TABLES) await this.indexes(layout[role], role);
    } else {
      await this.copy(ID_LIST, staged.touched, spools.touched);
      await this.copy(ID_LIST, staged.removed, spools.removed);
      // Temporary tables get no statistics of their own: the merge's plans need them.
      for (const name of Object.values(staged)) await this.sql(`ANALYZE ${name}`);
      for (const statement of mergeStatements(layout)) await this.sql(statement);
    }
    await this.sql(
      `INSERT INTO ${quote(layout.state.name)} (${columnList(layout.state)})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        run.run,
        new Date(run.at).toISOString(),
        run.storeCommit,
        run.storeOrigin,
        run.full,
        layout.attributes.join(','),
        run.profilesWritten,
        run.profilesRemoved,
        run.redirectsWritten,
        run.rowsWritten,
        run.version,
      ],
    );
    await this.sql('COMMIT');
  }

  async rollback(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (live) {
      // A COPY under way is cancelled (CopyFail) before the connection takes the ROLLBACK.
      live.stream.destroy(new Error('export cancelled'));
      await finished(live.stream).catch(() => undefined);
    }
    if (!this.lost) await this.client.query('ROLLBACK').catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
  }

  /** Creates a missing table, or checks the one there; either way with its indexes. */
  private async ensure(table: Table, role: DataTable | 'state'): Promise<void> {
    const found = this.found.get(table.name);
    if (found) checkShape(table, found, POSTGRES, this.label);
    else await this.sql(createTable(table, POSTGRES));
    await this.indexes(table, role);
  }

  private async indexes(table: Table, role: DataTable | 'state'): Promise<void> {
    for (const index of INDEXES[role]) {
      await this.sql(
        `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${indexName(table, index.suffix)} ` +
          `ON ${quote(table.name)} (${index.on})`,
      );
    }
  }

  /** Where a table's rows go: the table itself in a full run, its temporary twin in an incremental one. */
  private target(role: DataTable): string {
    return this.full ? this.required()[role].name : staged[role];
  }

  private async copy(table: Table, name: string, spool: CopySpool): Promise<void> {
    try {
      await pipeline(await spool.read(), this.client.query(copyFrom(copyStatement(table, name))));
    } catch (error) {
      throw postgresFailure(this.lost ?? error, this.label);
    }
  }

  private async sql(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    if (this.lost) throw postgresFailure(this.lost, this.label);
    try {
      return await this.client.query(text, values);
    } catch (error) {
      throw postgresFailure(this.lost ?? error, this.label);
    }
  }

  private required(): TableLayout {
    if (!this.layout) throw new Error('begin() first');
    return this.layout;
  }
}

function indexName(table: Table, suffix: string): string {
  return quote(`${table.name}_${suffix}`);
}

function copyStatement(table: Table, name: string): string {
  return `COPY ${quote(name)} (${columnList(table)}) FROM STDIN`;
}

/**
 * A driver or server error as an ExportError: what it means and the server's own message, never
 * its detail or context (a COPY error's context quotes the row, which may hold identifiers).
 */
export function postgresFailure(error: unknown, label: string): Error {
  if (error instanceof ExportError) return error;
  const failure = error as { code?: string; message?: string };
  const code = failure?.code ?? '';
  if (/^[0-9A-Z]{5}$/.test(code)) {
    if (code === '28P01' || code === '28000' || code === '42501') {
      return new ExportError('DESTINATION_AUTH', `${label}: ${failure.message} (SQLSTATE ${code})`);
    }
    if (code === '3D000') return new ExportError('DESTINATION_UNREACHABLE', `${label}: ${failure.message}`);
    return new ExportError('DESTINATION_FAILED', `${label}: ${failure.message} (SQLSTATE ${code})`);
  }
  const message = failure?.message ?? '';
  if (code === 'ECONNREFUSED') {
    return new ExportError('DESTINATION_UNREACHABLE', `cannot connect to ${label}: connection refused`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ExportError('DESTINATION_UNREACHABLE', `cannot connect to ${label}: unknown host`);
  }
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return new ExportError('DESTINATION_UNREACHABLE', `cannot connect to ${label}: no answer in time`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /Connection terminated/i.test(message)) {
    return new ExportError('DESTINATION_UNREACHABLE', `${label} closed the connection`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
