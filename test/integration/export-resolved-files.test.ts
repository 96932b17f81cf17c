/**
 * `idgraph export resolved` into a DuckDB file and a folder of Parquet files, read back with DuckDB:
 * the same life of the tables as on PostgreSQL (test/postgres/export-resolved.test.ts); a full run
 * when the rules' attributes change (P_profiles made anew with the new columns) or when the store is
 * another one; and one-line refusals of what cannot be written.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import {
  expectTablesMatchStore,
  exportTo,
  ingest,
  PREFIX,
  resolvedTablesScenario,
} from '../support/resolved-scenario.js';
import { duckdbReader, parquetReader } from '../support/resolved-tables.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;

const people = [
  { customer_id: 'c1', email: 'ann@x.co', first_name: 'Ann', country: 'GB' },
  { customer_id: 'c2', email: 'bob@x.co', first_name: 'Bob', country: 'GB' },
];

describe('export resolved to DuckDB and Parquet', () => {
  it('keeps a DuckDB file in step with the store, run after run', async () => {
    const dir = await tempDir();
    const file = join(dir, 'warehouse.duckdb');
    await resolvedTablesScenario({ to: `duckdb:///${file}`, reader: duckdbReader(file) }, dir);
  }, 60_000);

  it('keeps a folder of Parquet files in step with the store, run after run', async () => {
    const dir = await tempDir();
    const folder = join(dir, 'lake');
    await resolvedTablesScenario({ to: `parquet:///${folder}`, reader: parquetReader(folder, PREFIX) }, dir);
  }, 60_000);

  it('runs in full and makes P_profiles anew when the rules add an attribute, or when the store is another one', async () => {
    const dir = await tempDir();
    const file = join(dir, 'warehouse.duckdb');
    const reader = duckdbReader(file);
    const store = join(dir, 'store');
    await ingest(store, dir, 'crm', people);
    expect(await exportTo(store, `duckdb:///${file}`)).toMatchObject({ run: 1, full: true });

    const rules = join(dir, 'more.yaml');
    const text = await readFile(RULES, 'utf8');
    await writeFile(
      rules,
      text.replace(
        '  dob: { normalizer: date_of_birth }\n',
        '  dob: { normalizer: date_of_birth }\n  city: { normalizer: text }\n',
      ),
    );
    const more = await exportTo(store, `duckdb:///${file}`, '--rules', rules);
    expect(more).toMatchObject({ run: 2, full: true, reason: "the rules' attributes changed since the last export" });
    const columns = await reader.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = '${PREFIX}_profiles' ORDER BY ordinal_position`,
    );
    expect(columns.map((row) => row.column_name)).toEqual([
      'profile_id',
      'first_name',
      'last_name',
      'postcode',
      'country',
      'dob',
      'city',
      'record_count',
      'updated_at',
    ]);
    // Back to the stored rules: full again, without the column.
    expect(await exportTo(store, `duckdb:///${file}`)).toMatchObject({ run: 3, full: true });
    expect(await reader.query(`SELECT * FROM information_schema.columns WHERE column_name = 'city'`)).toEqual([]);

    // Another store (loaded anew, so at commit 1 again): the tables are rewritten from it.
    const other = join(dir, 'other');
    await ingest(other, dir, 'crm', [{ customer_id: 'z9', email: 'zed@x.co', country: 'GB' }]);
    expect(await exportTo(other, `duckdb:///${file}`)).toMatchObject({
      run: 4,
      full: true,
      reason: 'the store is not the one the last export read',
      recordsWritten: 1,
    });
    await expectTablesMatchStore(reader, other);
  }, 60_000);

  it('starts again in full when a Parquet file of the last run is gone', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await ingest(store, dir, 'crm', people);
    const folder = join(dir, 'lake');
    expect(await exportTo(store, folder)).toMatchObject({ run: 1, full: true });
    await import('node:fs/promises').then((fs) => fs.rm(join(folder, `${PREFIX}_identifiers.parquet`)));
    expect(await exportTo(store, folder)).toMatchObject({
      run: 2,
      full: true,
      reason: 'a table of the last export is missing',
    });
    await expectTablesMatchStore(parquetReader(folder, PREFIX), store);
  }, 60_000);

  it('refuses in one line what it cannot write, and leaves what was there', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await ingest(store, dir, 'crm', people);
    const run = (to: string, prefix = PREFIX) =>
      cli('export', 'resolved', '--store', store, '--to', to, '--prefix', prefix);
    const oneLine = (result: { out: string; err: string }) => {
      expect(result.out).toBe('');
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.err).not.toMatch(/\n\s+at /);
    };

    const nowhere = await run(`duckdb:///${join(dir, 'no', 'such', 'folder', 'x.duckdb')}`);
    expect(nowhere.code).toBe(1);
    oneLine(nowhere);
    expect(nowhere.err).toContain('No such file or directory [DESTINATION_UNREACHABLE]');

    const notDuckdb = join(dir, 'notes.txt');
    await writeFile(notDuckdb, 'not a database\n'.repeat(500));
    const wrongFile = await run(`duckdb:///${notDuckdb}`);
    expect(wrongFile.code).toBe(1);
    oneLine(wrongFile);
    expect(wrongFile.err).toContain('[DESTINATION_UNREACHABLE]');

    const fileAsFolder = await run(`parquet:///${notDuckdb}`);
    expect(fileAsFolder.code).toBe(1);
    oneLine(fileAsFolder);
    expect(fileAsFolder.err).toContain(`cannot make the Parquet folder ${notDuckdb}`);

    // A DuckDB table of the prefix's name and another shape: refused, nothing of the run left.
    const file = join(dir, 'shop.duckdb');
    const reader = duckdbReader(file);
    await reader.query('CREATE TABLE shop_profiles (profile_id INTEGER)');
    const shape = await run(`duckdb:///${file}`, 'shop');
    expect(shape.code).toBe(1);
    oneLine(shape);
    expect(shape.err).toContain('column shop_profiles.profile_id is INTEGER, the export writes VARCHAR');
    const tables = await reader.query('SELECT table_name FROM information_schema.tables ORDER BY table_name');
    expect(tables.map((row) => row.table_name)).toEqual(['shop_profiles']);

    // A Parquet folder another live export holds (its lock names a running process) is refused;
    // a lock left by a process that is gone is taken over.
    const lake = join(dir, 'lake');
    await import('node:fs/promises').then((fs) => fs.mkdir(lake));
    await writeFile(join(lake, `.${PREFIX}.lock`), String(process.ppid));
    const busy = await run(lake);
    expect(busy.code).toBe(1);
    oneLine(busy);
    expect(busy.err).toContain(`another export (process ${process.ppid}) is writing these tables [DESTINATION_BUSY]`);
    await writeFile(join(lake, `.${PREFIX}.lock`), '2147483646');
    expect((await run(lake)).code).toBe(0);
  }, 60_000);
});
