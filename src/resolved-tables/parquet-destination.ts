/**
 * The resolved tables as a folder of Parquet files (made if missing), one file per table:
 * P_resolved.parquet, P_identifiers.parquet, P_profiles.parquet, P_redirects.parquet and
 * P_export_state.parquet. A run works in an in-memory DuckDB: an incremental one loads the files,
 * applies its changes as the DuckDB destination does, and writes every file anew; a full one writes
 * them from its rows alone. Each file is written beside its old self and renamed over it, the state
 * file last: a run cut short leaves the old state, and the next run, from that state, rewrites
 * every profile touched since (applying a change twice gives the same tables). A lock file keeps
 * two runs from writing one prefix at once.
 */
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { isProcessAlive } from '../runtime/process-alive.js';
import type { Destination, DestinationState, RunRecord } from './destination.js';
import { DuckDbTables } from './duckdb-tables.js';
import { ExportError } from './export-error.js';
import { DATA_TABLES, quote, type TableLayout } from './table-layout.js';
import type { TableRows } from './table-rows.js';

export class ParquetDestination implements Destination {
  readonly label: string;
  private readonly tables: DuckDbTables;
  private layout: TableLayout | undefined;
  private lockPath: string | undefined;

  private constructor(
    private readonly folder: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: Awaited<ReturnType<DuckDBInstance['connect']>>,
  ) {
    this.label = `Parquet folder ${folder}`;
    this.tables = new DuckDbTables(connection, this.label);
  }

  static async open(folder: string): Promise<ParquetDestination> {
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw new ExportError(
        'DESTINATION_UNREACHABLE',
        `cannot make the Parquet folder ${folder} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    const instance = await DuckDBInstance.create(':memory:');
    return new ParquetDestination(folder, instance, await instance.connect());
  }

  async begin(layout: TableLayout): Promise<DestinationState> {
    this.layout = layout;
    await this.lock(join(this.folder, `.${layout.prefix}.lock`));
    // The state file first: whether there is a last run decides whether the other files are read.
    if (await this.exists(layout.state.name)) await this.load(layout.state.name);
    const state = await this.tables.begin(layout);
    const present = await Promise.all(DATA_TABLES.map((role) => this.exists(layout[role].name)));
    return { ...state, tablesPresent: present.every(Boolean) };
  }

  async prepare(full: boolean, recreateProfiles: boolean): Promise<void> {
    const layout = this.required();
    // An incremental run starts from the files; a full one from nothing.
    if (!full) for (const role of DATA_TABLES) await this.load(layout[role].name);
    await this.tables.prepare(full, recreateProfiles);
  }

  async write(rows: TableRows): Promise<void> {
    this.tables.write(rows);
  }

  async commit(run: RunRecord): Promise<void> {
    const layout = this.required();
    await this.tables.commit(run);
    const names = [...DATA_TABLES.map((role) => layout[role].name), layout.state.name];
    for (const name of names) {
      await this.tables.sql(`COPY ${quote(name)} TO '${this.temporary(name)}' (FORMAT parquet)`);
    }
    // The data files first, the state file last: it says what the others hold.
    for (const name of names) await rename(this.temporary(name), this.file(name));
  }

  async rollback(): Promise<void> {
    await this.tables.rollback();
    const layout = this.layout;
    if (!layout) return;
    for (const name of [...DATA_TABLES.map((role) => layout[role].name), layout.state.name]) {
      await rm(this.temporary(name), { force: true });
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.lockPath) await rm(this.lockPath, { force: true });
  }

  private async load(name: string): Promise<void> {
    if (!(await this.exists(name))) return;
    await this.tables.sql(`CREATE TABLE ${quote(name)} AS SELECT * FROM read_parquet('${this.file(name)}')`);
  }

  private file(name: string): string {
    return sqlString(join(this.folder, `${name}.parquet`));
  }

  private temporary(name: string): string {
    return sqlString(join(this.folder, `.${name}.parquet.tmp`));
  }

  private async exists(name: string): Promise<boolean> {
    return access(join(this.folder, `${name}.parquet`)).then(
      () => true,
      () => false,
    );
  }

  /** Takes the prefix's lock file, or fails naming the live process that holds it; a dead holder's is taken over. */
  private async lock(path: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        this.lockPath = path;
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') {
          throw new ExportError('DESTINATION_UNREACHABLE', `cannot write in ${this.label} (${code ?? 'error'})`);
        }
      }
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
        throw new ExportError(
          'DESTINATION_BUSY',
          `${this.label}: another export (process ${holder}) is writing these tables`,
        );
      }
      await rm(path, { force: true });
    }
    throw new ExportError('DESTINATION_BUSY', `${this.label}: another export is writing these tables`);
  }

  private required(): TableLayout {
    if (!this.layout) throw new Error('begin() first');
    return this.layout;
  }
}

/** A path as a SQL string literal. */
function sqlString(path: string): string {
  return path.replaceAll("'", "''");
}
