/**
 * Schema migrations: the `.cypher` files of graph/migrations. Every statement is written to be
 * idempotent (`IF NOT EXISTS`), so they are checked at each open against the schema actually
 * present: no migration ledger to drift from it. A named index or constraint already there is not
 * asked for again (one read instead of a round trip each), and the rest run one lane per label at
 * once: after an offline import each uniqueness constraint scans its label's nodes, and labels
 * populate side by side, while two statements on one label would only wait for each other's lock.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../store-error.js';
import { Neo4jConnection, type Neo4jSettings } from './connection.js';
import { schemaNames, uniqueProperties } from './cypher/schema.js';

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
  const present = new Set<string>();
  for (const row of await connection.readStatement(schemaNames())) {
    for (const name of [row.name, row.owningConstraint]) if (typeof name === 'string') present.add(name);
  }
  const { lanes, after } = schemaLanes(
    migrations.flatMap((migration) => migration.statements),
    present,
  );
  // Every lane ends before a failure is passed on: the caller closes the connection then.
  const ran = await Promise.allSettled(
    lanes.map(async (lane) => {
      for (const statement of lane) await connection.schema(statement);
    }),
  );
  for (const outcome of ran) if (outcome.status === 'rejected') throw outcome.reason;
  for (const statement of after) await connection.schema(statement);
  return migrations;
}

/** The statements still to run: lanes that may run at once, then the others, one by one. */
export interface SchemaLanes {
  readonly lanes: readonly (readonly string[])[];
  readonly after: readonly string[];
}

const NAMED_ON_LABEL = /^CREATE (?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS FOR \(\w+:(\w+)\)/;

/**
 * A named `CREATE ... IF NOT EXISTS` on one label whose name is present is left out (it would do
 * nothing); the others go into one lane per label, in file order. A statement of any other form
 * runs after every lane, in file order: nothing is known of what it touches.
 */
export function schemaLanes(statements: readonly string[], present: ReadonlySet<string>): SchemaLanes {
  const byLabel = new Map<string, string[]>();
  const after: string[] = [];
  for (const statement of statements) {
    const match = NAMED_ON_LABEL.exec(statement.replace(/\s+/g, ' '));
    if (!match) {
      after.push(statement);
      continue;
    }
    const [, name, label] = match as unknown as [string, string, string];
    if (present.has(name)) continue;
    const lane = byLabel.get(label);
    if (lane) lane.push(statement);
    else byLabel.set(label, [statement]);
  }
  return { lanes: [...byLabel.values()], after };
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
