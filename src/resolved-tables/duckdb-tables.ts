/**
 * The resolved tables on a DuckDB connection, in one transaction: what the DuckDB destination does
 * in its file and the Parquet destination in memory before it writes the files. Rows go in through
 * appenders (DuckDB's bulk path), straight into the emptied tables for a full run, into temporary
 * tables for an incremental one, which the merge of table-sql.ts applies. No keys or indexes: DuckDB
 * scans columns, and an index would slow every load.
 */
import { type DuckDBAppender, type DuckDBConnection, timestampTZValue } from '@duckdb/node-api';
import type { DestinationState, RunRecord } from './destination.js';
import { ExportError } from './export-error.js';
import {
  type ColumnType,
  columnList,
  DATA_TABLES,
  type DataTable,
  quote,
  type Table,
  type TableLayout,
} from './table-layout.js';
import type { Row, TableRows, Value } from './table-rows.js';
import { checkShape, createTable, DUCKDB, ID_LIST, mergeStatements, staged } from './table-sql.js';

type Append = (appender: DuckDBAppender, value: Value) => void;

const APPEND: Record<ColumnType, Append> = {
  text: (appender, value) => appender.appendVarchar(value as string),
  integer: (appender, value) => appender.appendInteger(value as number),
  bigint: (appender, value) => appender.appendBigInt(BigInt(value as number)),
  timestamp: (appender, value) => appender.appendTimestampTZ(timestampTZValue(BigInt(value as number) * 1000n)),
  boolean: (appender, value) => appender.appendBoolean(value as boolean),
};

/** An appender with the way each of its columns is appended. */
class TableAppender {
  private readonly appends: Append[];
  constructor(
    private readonly appender: DuckDBAppender,
    table: Table,
  ) {
    this.appends = table.columns.map((column) => APPEND[column.type]);
  }

  add(rows: readonly Row[]): void {
    for (const row of rows) {
      for (let at = 0; at < row.length; at++) {
        const value = row[at] as Value;
        if (value === null) this.appender.appendNull();
        else (this.appends[at] as Append)(this.appender, value);
      }
      this.appender.endRow();
    }
  }

  close(): void {
    this.appender.closeSync();
  }
}

type Appenders = Record<DataTable, TableAppender> & { touched?: TableAppender; removed?: TableAppender };

export class DuckDbTables {
  private layout: TableLayout | undefined;
  private readonly found = new Map<string, Map<string, string>>();
  private full = false;
  private appenders: Appenders | undefined;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly label: string,
  ) {}

  /** Starts the transaction and reads the state of the last run, if its table is there. */
  async begin(layout: TableLayout): Promise<DestinationState> {
    this.layout = layout;
    await this.sql('BEGIN TRANSACTION');
    await this.readColumns();
    const tablesPresent = DATA_TABLES.every((role) => this.found.has(layout[role].name));
    const state = this.found.get(layout.state.name);
    if (!state) return { lastRun: undefined, tablesPresent };
    checkShape(layout.state, state, DUCKDB, this.label);
    const [last] = await this.rows(
      `SELECT run, store_commit, store_origin, attributes FROM ${quote(layout.state.name)} ORDER BY run DESC LIMIT 1`,
    );
    return {
      tablesPresent,
      lastRun: last && {
        run: Number(last[0]),
        storeCommit: Number(last[1]),
        storeOrigin: (last[2] as string | null) ?? '',
        attributes: last[3] ? String(last[3]).split(',') : [],
      },
    };
  }

  async prepare(full: boolean, recreateProfiles: boolean): Promise<void> {
    const layout = this.required();
    this.full = full;
    // Tables may have come in since begin (the Parquet destination loads its files in between).
    await this.readColumns();
    if (recreateProfiles) {
      await this.sql(`DROP TABLE IF EXISTS ${quote(layout.profiles.name)}`);
      this.found.delete(layout.profiles.name);
    }
    for (const role of [...DATA_TABLES, 'state'] as const) {
      const table = layout[role];
      const found = this.found.get(table.name);
      if (found) checkShape(table, found, DUCKDB, this.label);
      else await this.sql(createTable(table, DUCKDB));
    }
    if (full) {
      for (const role of DATA_TABLES) await this.sql(`DELETE FROM ${quote(layout[role].name)}`);
      const appenders = {} as Appenders;
      for (const role of DATA_TABLES) appenders[role] = await this.appender(layout[role], layout[role].name, false);
      this.appenders = appenders;
      return;
    }
    const appenders = {} as Appenders;
    for (const role of DATA_TABLES) {
      await this.sql(createTable(layout[role], DUCKDB, staged[role], true));
      appenders[role] = await this.appender(layout[role], staged[role], true);
    }
    for (const role of ['touched', 'removed'] as const) {
      await this.sql(createTable(ID_LIST, DUCKDB, staged[role], true));
      appenders[role] = await this.appender(ID_LIST, staged[role], true);
    }
    this.appenders = appenders;
  }

  write(rows: TableRows): void {
    const appenders = this.appenders as Appenders;
    for (const role of DATA_TABLES) appenders[role].add(rows[role]);
    appenders.touched?.add(rows.touched.map((id) => [id]));
    appenders.removed?.add(rows.removed.map((id) => [id]));
  }

  /** Applies the staged rows, records the run, and commits. */
  async commit(run: RunRecord): Promise<void> {
    const layout = this.required();
    const appenders = this.appenders as Appenders;
    for (const appender of Object.values(appenders)) appender.close();
    this.appenders = undefined;
    if (!this.full) {
      for (const statement of mergeStatements(layout)) await this.sql(statement);
      for (const name of Object.values(staged)) await this.sql(`DROP TABLE ${name}`);
    }
    await this.sql(
      `INSERT INTO ${quote(layout.state.name)} (${columnList(layout.state)})
       VALUES ($1, $2::TIMESTAMPTZ, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        run.run,
        new Date(run.at).toISOString(),
        BigInt(run.storeCommit),
        run.storeOrigin,
        run.full,
        layout.attributes.join(','),
        run.profilesWritten,
        run.profilesRemoved,
        run.redirectsWritten,
        BigInt(run.rowsWritten),
        run.version,
      ],
    );
    await this.sql('COMMIT');
  }

  async rollback(): Promise<void> {
    try {
      for (const appender of Object.values(this.appenders ?? {})) appender.close();
    } catch {
      // An appender that cannot flush is dropped with the transaction.
    }
    this.appenders = undefined;
    await this.connection.run('ROLLBACK').catch(() => undefined);
  }

  /** The columns of the tables of the layout that are there, by table. */
  private async readColumns(): Promise<void> {
    const layout = this.required();
    const tables = [...DATA_TABLES.map((role) => layout[role].name), layout.state.name];
    const columns = await this.rows(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_catalog = current_database() AND table_schema = current_schema()
         AND table_name IN (${tables.map((name) => `'${name}'`).join(', ')})`,
    );
    this.found.clear();
    for (const [table, column, type] of columns as [string, string, string][]) {
      const known = this.found.get(table) ?? new Map<string, string>();
      known.set(column, type);
      this.found.set(table, known);
    }
  }

  private async appender(table: Table, name: string, temporary: boolean): Promise<TableAppender> {
    try {
      return new TableAppender(
        await this.connection.createAppender(name, temporary ? 'main' : null, temporary ? 'temp' : null),
        table,
      );
    } catch (error) {
      throw duckdbFailure(error, this.label);
    }
  }

  async sql(text: string, values?: (string | number | boolean | bigint)[]): Promise<void> {
    try {
      await this.connection.run(text, values);
    } catch (error) {
      throw duckdbFailure(error, this.label);
    }
  }

  async rows(text: string): Promise<unknown[][]> {
    try {
      return (await this.connection.runAndReadAll(text)).getRows();
    } catch (error) {
      throw duckdbFailure(error, this.label);
    }
  }

  private required(): TableLayout {
    if (!this.layout) throw new Error('begin() first');
    return this.layout;
  }
}

/**
 * A DuckDB error as an ExportError: its first line, with quoted literals left out (a conversion
 * error would quote the value).
 */
export function duckdbFailure(error: unknown, label: string): Error {
  if (error instanceof ExportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const line = (message.split('\n')[0] ?? '').replace(/'[^']*'/g, "'…'");
  if (/Could not set lock/i.test(line)) {
    return new ExportError('DESTINATION_BUSY', `${label} is open in another process (DuckDB allows one writer)`);
  }
  if (/^IO Error/i.test(line)) return new ExportError('DESTINATION_UNREACHABLE', `${label}: ${line}`);
  return new ExportError('DESTINATION_FAILED', `${label}: ${line}`);
}
