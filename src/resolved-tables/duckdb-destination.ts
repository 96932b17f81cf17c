/** The resolved tables in a DuckDB database file (made if missing): one transaction per run. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Destination, DestinationState, RunRecord } from './destination.js';
import { DuckDbTables, duckdbFailure } from './duckdb-tables.js';
import type { TableLayout } from './table-layout.js';
import type { TableRows } from './table-rows.js';

export class DuckDbDestination implements Destination {
  private readonly tables: DuckDbTables;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: Awaited<ReturnType<DuckDBInstance['connect']>>,
    readonly label: string,
  ) {
    this.tables = new DuckDbTables(connection, label);
  }

  static async open(path: string): Promise<DuckDbDestination> {
    const label = `DuckDB file ${path}`;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (error) {
      throw duckdbFailure(error, label);
    }
    return new DuckDbDestination(instance, await instance.connect(), label);
  }

  begin(layout: TableLayout): Promise<DestinationState> {
    return this.tables.begin(layout);
  }

  prepare(full: boolean, recreateProfiles: boolean): Promise<void> {
    return this.tables.prepare(full, recreateProfiles);
  }

  async write(rows: TableRows): Promise<void> {
    this.tables.write(rows);
  }

  commit(run: RunRecord): Promise<void> {
    return this.tables.commit(run);
  }

  rollback(): Promise<void> {
    return this.tables.rollback();
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
