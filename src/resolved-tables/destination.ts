/**
 * What a run of `export resolved` asks of a destination (PostgreSQL, DuckDB, a Parquet folder).
 * A run is one transaction: `begin` takes the prefix's lock and reads its last run, `prepare`
 * creates or checks the tables (and empties them for a full run), `write` takes rows as the store
 * is read, `commit` applies them with the run's state row, or `rollback` leaves the tables as they
 * were. An incremental run stages its rows and replaces, for every touched profile, what the tables
 * held; a full run writes straight into the emptied tables.
 */
import type { TableLayout } from './table-layout.js';
import type { TableRows } from './table-rows.js';

/** The state row of the last run for this prefix. */
export interface LastRun {
  readonly run: number;
  /** The store's last commit when that run started: the next run asks for what came after it. */
  readonly storeCommit: number;
  /** What tells one store from another that reached the same commit number (see export-resolved.ts). */
  readonly storeOrigin: string;
  readonly attributes: readonly string[];
}

export interface DestinationState {
  readonly lastRun: LastRun | undefined;
  /** Whether every data table is there: a table dropped since the last run calls for a full run. */
  readonly tablesPresent: boolean;
}

export interface RunRecord {
  readonly run: number;
  readonly at: number;
  readonly storeCommit: number;
  readonly storeOrigin: string;
  readonly full: boolean;
  readonly profilesWritten: number;
  readonly profilesRemoved: number;
  readonly redirectsWritten: number;
  readonly rowsWritten: number;
  readonly version: string;
}

export interface Destination {
  /** The destination as messages name it (never with a password). */
  readonly label: string;
  begin(layout: TableLayout): Promise<DestinationState>;
  /**
   * Creates missing tables and checks those there; a full run empties them. `recreateProfiles`: the
   * last run wrote P_profiles with other attribute columns, so it is dropped and made anew.
   */
  prepare(full: boolean, recreateProfiles: boolean): Promise<void>;
  write(rows: TableRows): Promise<void>;
  commit(run: RunRecord): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}
