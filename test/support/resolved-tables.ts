/**
 * Reading the resolved tables back from each destination, as plain rows: from PostgreSQL with the
 * driver, from a DuckDB file or a folder of Parquet files with DuckDB. Queries name the tables as
 * they are (`p_resolved`); a Parquet reader makes each name a view over its file. Cast timestamps
 * and counts in the query (`CAST(updated_at AS VARCHAR)`, `CAST(count(*) AS INTEGER)`): both SQL
 * dialects take the same casts, and a comparison is then between values of one destination.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';

export interface TablesReader {
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function postgresReader(url: string): Promise<TablesReader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async (sql) => (await client.query(sql)).rows,
    close: () => client.end(),
  };
}

/** Opens the file for each query only: the export under test opens it in between. */
export function duckdbReader(path: string): TablesReader {
  return {
    query: async (sql) => {
      const instance = await DuckDBInstance.create(path);
      try {
        const connection = await instance.connect();
        const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
        connection.closeSync();
        return rows as Record<string, unknown>[];
      } finally {
        instance.closeSync();
      }
    },
    close: async () => undefined,
  };
}

export function parquetReader(folder: string, prefix: string): TablesReader {
  const tables = ['resolved', 'identifiers', 'profiles', 'redirects', 'export_state'].map(
    (name) => `${prefix}_${name}`,
  );
  return {
    query: async (sql) => {
      const instance = await DuckDBInstance.create(':memory:');
      try {
        const connection = await instance.connect();
        for (const table of tables) {
          await connection.run(
            `CREATE VIEW ${table} AS SELECT * FROM read_parquet('${join(folder, `${table}.parquet`)}')`,
          );
        }
        const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
        connection.closeSync();
        return rows as Record<string, unknown>[];
      } finally {
        instance.closeSync();
      }
    },
    close: async () => undefined,
  };
}
