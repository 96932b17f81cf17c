/**
 * The SQL a run sends, the same for PostgreSQL and DuckDB but for the type names: creating the
 * tables, checking the shape of tables already there, and the incremental merge of staged rows.
 */
import { ExportError } from './export-error.js';
import { type ColumnType, columnList, DATA_TABLES, quote, type Table, type TableLayout } from './table-layout.js';

export interface Dialect {
  readonly name: string;
  /** The type a column is created with. */
  readonly typeName: Record<ColumnType, string>;
  /** The type information_schema.columns reports for it. */
  readonly reportedType: Record<ColumnType, string>;
}

export const POSTGRES: Dialect = {
  name: 'PostgreSQL',
  typeName: { text: 'text', integer: 'integer', bigint: 'bigint', timestamp: 'timestamptz', boolean: 'boolean' },
  reportedType: {
    text: 'text',
    integer: 'integer',
    bigint: 'bigint',
    timestamp: 'timestamp with time zone',
    boolean: 'boolean',
  },
};

export const DUCKDB: Dialect = {
  name: 'DuckDB',
  typeName: { text: 'VARCHAR', integer: 'INTEGER', bigint: 'BIGINT', timestamp: 'TIMESTAMPTZ', boolean: 'BOOLEAN' },
  reportedType: {
    text: 'VARCHAR',
    integer: 'INTEGER',
    bigint: 'BIGINT',
    timestamp: 'TIMESTAMP WITH TIME ZONE',
    boolean: 'BOOLEAN',
  },
};

export function createTable(table: Table, dialect: Dialect, name = table.name, temporary = false): string {
  const columns = table.columns.map((column) => `${quote(column.name)} ${dialect.typeName[column.type]}`);
  return `CREATE ${temporary ? 'TEMPORARY ' : ''}TABLE ${temporary ? '' : 'IF NOT EXISTS '}${quote(name)} (${columns.join(', ')})`;
}

/**
 * Refuses a table that lacks a column the run writes, or has it with another type, naming both.
 * Columns of its own beyond those are left alone (every write names its columns).
 */
export function checkShape(table: Table, found: ReadonlyMap<string, string>, dialect: Dialect, where: string): void {
  for (const column of table.columns) {
    const type = found.get(column.name);
    const expected = dialect.reportedType[column.type];
    if (type === undefined) {
      throw new ExportError(
        'DESTINATION_SHAPE',
        `${where}: table ${table.name} exists without column ${column.name} (${expected}); ` +
          'drop or rename the table, or export with another --prefix',
      );
    }
    if (type.toLowerCase() !== expected.toLowerCase()) {
      throw new ExportError(
        'DESTINATION_SHAPE',
        `${where}: column ${table.name}.${column.name} is ${type}, the export writes ${expected}; ` +
          'drop or rename the table, or export with another --prefix',
      );
    }
  }
}

/** Names of the staging tables an incremental run writes into before it merges. */
export const staged = {
  resolved: 'idgraph_stage_resolved',
  identifiers: 'idgraph_stage_identifiers',
  profiles: 'idgraph_stage_profiles',
  redirects: 'idgraph_stage_redirects',
  touched: 'idgraph_stage_touched',
  removed: 'idgraph_stage_removed',
} as const;

/** The one-column tables of profile IDs an incremental run stages beside the rows. */
export const ID_LIST: Table = { name: 'ids', columns: [{ name: 'profile_id', type: 'text' }] };

/**
 * The incremental merge, in order: every touched profile's rows go and its new rows come in;
 * redirects of touched IDs are replaced, redirects into removed profiles go, and redirects into an
 * ID merged away this time follow it to where it leads now.
 */
export function mergeStatements(layout: TableLayout): string[] {
  const touched = `SELECT profile_id FROM ${staged.touched}`;
  const statements: string[] = [];
  for (const role of ['resolved', 'identifiers', 'profiles'] as const) {
    const table = quote(layout[role].name);
    statements.push(`DELETE FROM ${table} WHERE profile_id IN (${touched})`);
  }
  // A record listed by a touched profile may still be held under one the store did not list
  // (a commit during the run, on Neo4j): its one row is the one this run writes.
  const resolved = quote(layout.resolved.name);
  statements.push(
    `DELETE FROM ${resolved} USING ${staged.resolved} s WHERE ${resolved}.source = s.source AND ${resolved}.record_id = s.record_id`,
  );
  for (const role of ['resolved', 'identifiers', 'profiles'] as const) {
    const columns = columnList(layout[role]);
    statements.push(`INSERT INTO ${quote(layout[role].name)} (${columns}) SELECT ${columns} FROM ${staged[role]}`);
  }
  const redirects = quote(layout.redirects.name);
  statements.push(
    `DELETE FROM ${redirects} WHERE old_profile_id IN (${touched})`,
    `DELETE FROM ${redirects} WHERE profile_id IN (SELECT profile_id FROM ${staged.removed})`,
    `UPDATE ${redirects} SET profile_id = s.profile_id, updated_at = s.updated_at FROM ${staged.redirects} s ` +
      `WHERE ${redirects}.profile_id = s.old_profile_id`,
    `INSERT INTO ${redirects} (${columnList(layout.redirects)}) SELECT ${columnList(layout.redirects)} FROM ${staged.redirects}`,
  );
  return statements;
}

/** Every data table, emptied for a full run (the state table keeps the history of runs). */
export function emptyStatements(layout: TableLayout): string[] {
  return DATA_TABLES.map((role) => `DELETE FROM ${quote(layout[role].name)}`);
}
