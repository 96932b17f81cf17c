/**
 * The resolved tables, named from the prefix P:
 *   P_resolved      source, record_id, profile_id, updated_at: every record with its profile
 *   P_identifiers   profile_id, type, value, records, first_seen, last_seen, updated_at
 *   P_profiles      profile_id, one column per golden attribute of the rules, record_count, updated_at
 *   P_redirects     old_profile_id, profile_id, updated_at: merged-away IDs and where they lead now
 *   P_export_state  one row per run: the store commit it exported through, and what it wrote
 * `updated_at` is when the export run that last wrote the row started. Golden attributes are text
 * columns named as in the rules (a warehouse user filters and joins on `country`, not on a JSON
 * path); when the rules' attributes change, the next run is a full one and recreates P_profiles.
 */
import { ExportError } from './export-error.js';

export type ColumnType = 'text' | 'integer' | 'bigint' | 'timestamp' | 'boolean';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
}

export interface TableLayout {
  readonly prefix: string;
  readonly attributes: readonly string[];
  readonly resolved: Table;
  readonly identifiers: Table;
  readonly profiles: Table;
  readonly redirects: Table;
  readonly state: Table;
}

/** The data tables, in the order a run writes them (the state table is written last). */
export const DATA_TABLES = ['resolved', 'identifiers', 'profiles', 'redirects'] as const;
export type DataTable = (typeof DATA_TABLES)[number];

/** Unquoted, lowercase: the names read the same in every SQL dialect and as file names. */
const PREFIX = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL's identifier limit (63 bytes) less the longest name made from it, `_identifiers_profile` (an index). */
const MAX_PREFIX = 63 - '_identifiers_profile'.length;

const text = (name: string): Column => ({ name, type: 'text' });
const updatedAt: Column = { name: 'updated_at', type: 'timestamp' };
const PROFILE_COLUMNS = new Set(['profile_id', 'record_count', 'updated_at']);

export function tableLayout(prefix: string, attributes: readonly string[]): TableLayout {
  if (!PREFIX.test(prefix) || prefix.length > MAX_PREFIX) {
    throw new ExportError(
      'DESTINATION_URL',
      `--prefix "${prefix}" must be lowercase letters, digits and _ (not starting with a digit), at most ${MAX_PREFIX} characters`,
    );
  }
  const clash = attributes.find((name) => PROFILE_COLUMNS.has(name));
  if (clash) {
    throw new ExportError(
      'ATTRIBUTE_COLUMN',
      `the rules' attribute "${clash}" has the name of a column of ${prefix}_profiles; rename the attribute`,
    );
  }
  return {
    prefix,
    attributes,
    resolved: {
      name: `${prefix}_resolved`,
      columns: [text('source'), text('record_id'), text('profile_id'), updatedAt],
    },
    identifiers: {
      name: `${prefix}_identifiers`,
      columns: [
        text('profile_id'),
        text('type'),
        text('value'),
        { name: 'records', type: 'integer' },
        { name: 'first_seen', type: 'timestamp' },
        { name: 'last_seen', type: 'timestamp' },
        updatedAt,
      ],
    },
    profiles: {
      name: `${prefix}_profiles`,
      columns: [text('profile_id'), ...attributes.map(text), { name: 'record_count', type: 'integer' }, updatedAt],
    },
    redirects: { name: `${prefix}_redirects`, columns: [text('old_profile_id'), text('profile_id'), updatedAt] },
    state: {
      name: `${prefix}_export_state`,
      columns: [
        { name: 'run', type: 'integer' },
        { name: 'exported_at', type: 'timestamp' },
        { name: 'store_commit', type: 'bigint' },
        text('store_origin'),
        { name: 'full_export', type: 'boolean' },
        text('attributes'),
        { name: 'profiles_written', type: 'integer' },
        { name: 'profiles_removed', type: 'integer' },
        { name: 'redirects_written', type: 'integer' },
        { name: 'rows_written', type: 'bigint' },
        text('idgraph_version'),
      ],
    },
  };
}

/** A name quoted for SQL (PostgreSQL and DuckDB alike): attribute names may be reserved words. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function columnList(table: Table): string {
  return table.columns.map((column) => quote(column.name)).join(', ');
}
