/**
 * Schema migrations: the `.cypher` files of graph/migrations, applied in file-name order. Every
 * statement is written to be idempotent (`IF NOT EXISTS`), so they are simply run at each open:
 * no migration ledger to drift from the schema actually present.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../store-error.js';
import { Neo4jConnection, type Neo4jSettings } from './connection.js';
import { uniqueProperties } from './cypher/schema.js';

/** graph/migrations, from src/store/neo4j (tsx) and dist/store/neo4j (build) alike. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../graph/migrations/', import.meta.url));

export interface Migration {
  readonly file: string;
  readonly statements: readonly string[];
}

export async function readMigrations(folder = MIGRATIONS_FOLDER): Promise<Migration[]> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.cypher')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    migrations.push({ file, statements: splitStatements(await readFile(join(folder, file), 'utf8')) });
  }
  return migrations;
}

/** Statements separated by ';', without `//` comment lines and blank statements. */
export function splitStatements(text: string): string[] {
  const code = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  return code
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export async function applyMigrations(connection: Neo4jConnection, folder = MIGRATIONS_FOLDER): Promise<Migration[]> {
  const migrations = await readMigrations(folder);
  for (const migration of migrations) {
    for (const statement of migration.statements) await connection.schema(statement);
  }
  return migrations;
}

/** A uniqueness constraint the migrations declare: without it, racing writers could duplicate nodes. */
export interface UniqueConstraint {
  readonly name: string;
  readonly label: string;
  readonly property: string;
}

const UNIQUE = /^CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(\w+:(\w+)\) REQUIRE \w+\.(\w+) IS UNIQUE$/;

export function uniqueConstraints(migrations: readonly Migration[]): UniqueConstraint[] {
  return migrations.flatMap((migration) =>
    migration.statements.flatMap((statement) => {
      const match = UNIQUE.exec(statement.replace(/\s+/g, ' '));
      return match ? [{ name: match[1] as string, label: match[2] as string, property: match[3] as string }] : [];
    }),
  );
}

/**
 * Refuses a database without the uniqueness constraints (STORE_SCHEMA), saying how to add them. A
 * constraint counts by what it enforces (label and property), whatever a DBA named it.
 */
export async function verifyConstraints(connection: Neo4jConnection, migrations: readonly Migration[]): Promise<void> {
  const rows = await connection.readStatement(uniqueProperties());
  const present = new Set(rows.map((row) => row.enforced as string));
  const missing = uniqueConstraints(migrations).filter(({ label, property }) => !present.has(`${label}.${property}`));
  if (missing.length > 0) {
    throw new StoreError(
      'STORE_SCHEMA',
      `Neo4j database "${connection.database}" lacks the uniqueness constraints ` +
        `${missing.map(({ name, label, property }) => `${name} (:${label}.${property})`).join(', ')}: ` +
        'run `idgraph graph migrate` as a user allowed to change the schema',
    );
  }
}

/** Applies graph/migrations to a Neo4j database without opening a store (`idgraph graph migrate`). */
export async function migrateNeo4j(settings: Neo4jSettings): Promise<Migration[]> {
  const connection = await Neo4jConnection.open(settings);
  try {
    return await applyMigrations(connection);
  } finally {
    await connection.close();
  }
}
