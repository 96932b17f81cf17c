/** Where `export resolved --to` writes, how its password is hidden, what a prefix may be, and when a run is full. */
import { describe, expect, it } from 'vitest';
import { parseDestination, redactUrl } from '../../../src/resolved-tables/destination-url.js';
import { planRun } from '../../../src/resolved-tables/export-resolved.js';
import { tableLayout } from '../../../src/resolved-tables/table-layout.js';

describe('parseDestination', () => {
  it('tells PostgreSQL URLs, DuckDB files and Parquet folders apart, paths as ingest --from writes them', () => {
    expect(parseDestination('postgres://etl:pw@db:5432/warehouse')).toEqual({
      kind: 'postgres',
      url: 'postgres://etl:pw@db:5432/warehouse',
    });
    expect(parseDestination('postgresql://etl@db/warehouse').kind).toBe('postgres');
    expect(parseDestination('duckdb:///w.duckdb')).toEqual({ kind: 'duckdb', path: `${process.cwd()}/w.duckdb` });
    expect(parseDestination('duckdb:////tmp/w.duckdb')).toEqual({ kind: 'duckdb', path: '/tmp/w.duckdb' });
    expect(parseDestination('parquet:///lake')).toEqual({ kind: 'parquet', folder: `${process.cwd()}/lake` });
    expect(parseDestination('parquet:////data/lake')).toEqual({ kind: 'parquet', folder: '/data/lake' });
    expect(parseDestination('/data/lake')).toEqual({ kind: 'parquet', folder: '/data/lake' });
    expect(parseDestination('lake')).toEqual({ kind: 'parquet', folder: `${process.cwd()}/lake` });
  });

  it('refuses an unknown scheme, a URL without a host and a path without ///, without showing the password', () => {
    expect(() => parseDestination('mysql://u:secret@h/d')).toThrow('--to mysql://u:***@h/d: unknown scheme "mysql:"');
    expect(() => parseDestination('postgres:///warehouse')).toThrow('names no host');
    expect(() => parseDestination('duckdb:w.duckdb')).toThrow('write duckdb:///file.duckdb');
    expect(() => parseDestination('duckdb:///')).toThrow('write duckdb:///file.duckdb');
    expect(() => parseDestination('parquet://lake')).toThrow('write parquet:///folder');
    expect(() => parseDestination('')).toThrow('--to is empty');
  });
});

describe('redactUrl', () => {
  it('hides the password, even one holding @, and a password parameter', () => {
    expect(redactUrl('postgres://etl:s3cret@db:5432/w')).toBe('postgres://etl:***@db:5432/w');
    expect(redactUrl('postgres://etl:p@ss@db/w')).toBe('postgres://etl:***@db/w');
    expect(redactUrl('postgres://etl@db/w?password=s3cret&sslmode=require')).toBe(
      'postgres://etl@db/w?password=***&sslmode=require',
    );
    expect(redactUrl('postgres://db/w')).toBe('postgres://db/w');
  });
});

describe('tableLayout', () => {
  it('names the tables from the prefix and gives P_profiles a text column per attribute', () => {
    const layout = tableLayout('crm', ['first_name', 'order']);
    expect(
      [layout.resolved, layout.identifiers, layout.profiles, layout.redirects, layout.state].map((t) => t.name),
    ).toEqual(['crm_resolved', 'crm_identifiers', 'crm_profiles', 'crm_redirects', 'crm_export_state']);
    expect(layout.profiles.columns).toEqual([
      { name: 'profile_id', type: 'text' },
      { name: 'first_name', type: 'text' },
      { name: 'order', type: 'text' },
      { name: 'record_count', type: 'integer' },
      { name: 'updated_at', type: 'timestamp' },
    ]);
  });

  it('refuses a prefix that would need quoting or is too long, and an attribute named like a fixed column', () => {
    for (const prefix of ['Crm', 'crm-x', '1crm', 'crm.x', 'a'.repeat(44), '']) {
      expect(() => tableLayout(prefix, []), prefix).toThrow('--prefix');
    }
    expect(`${tableLayout('a'.repeat(43), []).identifiers.name}_profile`).toHaveLength(63);
    expect(() => tableLayout('crm', ['updated_at'])).toThrow(`the rules' attribute "updated_at"`);
  });
});

describe('planRun', () => {
  const last = { run: 4, storeCommit: 20, storeOrigin: 'o1', attributes: ['a', 'b'] };
  const store = { storeCommit: 25, storeOrigin: 'o1', attributes: ['a', 'b'] };
  const present = { lastRun: last, tablesPresent: true };

  it('writes the changes since the last run when it can', () => {
    expect(planRun(present, store)).toEqual({
      full: false,
      since: 20,
      recreateProfiles: false,
      reason: 'changes since commit 20',
    });
  });

  it('runs in full when asked, on a fresh or damaged destination, for another store, or other attributes', () => {
    const reason = (state: Parameters<typeof planRun>[0], s: Parameters<typeof planRun>[1] = store) =>
      planRun(state, s);
    expect(reason(present, { ...store, full: true }).reason).toBe('asked for (--full)');
    expect(reason({ lastRun: undefined, tablesPresent: true })).toMatchObject({ full: true, since: 0 });
    expect(reason({ ...present, tablesPresent: false }).reason).toBe('a table of the last export is missing');
    expect(reason(present, { ...store, storeOrigin: 'o2' }).reason).toBe(
      'the store is not the one the last export read',
    );
    expect(reason(present, { ...store, storeCommit: 19 }).reason).toBe('the store is not the one the last export read');
    expect(reason(present, { ...store, attributes: ['a'] })).toEqual({
      full: true,
      since: 0,
      recreateProfiles: true,
      reason: "the rules' attributes changed since the last export",
    });
    // A forced run with other attributes makes P_profiles anew too.
    expect(reason(present, { ...store, attributes: ['a', 'c'], full: true }).recreateProfiles).toBe(true);
  });
});
