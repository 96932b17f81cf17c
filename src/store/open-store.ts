/**
 * Chooses the store from a specification: a `neo4j://`, `neo4j+s://`, `bolt://` or `bolt+s://` URI
 * selects Neo4j (credentials from NEO4J_USER / NEO4J_PASSWORD, database from NEO4J_DATABASE,
 * migrations at open unless IDGRAPH_NEO4J_MIGRATE=false);
 * anything else is the folder of an embedded store.
 */
import { resolve } from 'node:path';
import type { Env } from '../config/env.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import type { GraphStore } from './graph-store.js';
import { redact } from './neo4j/connection.js';
import { ImportFilesStore } from './neo4j/import-files/import-files-store.js';
import { Neo4jStore } from './neo4j/neo4j-store.js';
import { StoreError } from './store-error.js';

const NEO4J_URI = /^(neo4j|bolt)(\+s|\+ssc)?:\/\//i;

export function isNeo4jSpec(spec: string): boolean {
  return NEO4J_URI.test(spec);
}

export function describeStore(spec: string): string {
  return NEO4J_URI.test(spec) ? `Neo4j at ${redact(spec)}` : `embedded store in ${resolve(spec)}`;
}

export interface OpenOptions {
  /**
   * To read only: an embedded store is opened without its lock and never written (it must exist),
   * so reads work while another process holds it. Neo4j serves readers and writers alike.
   */
  readonly readOnly?: boolean;
  /**
   * Where an embedded store keeps its audiences (its folder's `audiences` unless told). Neo4j keeps
   * them in the graph, so the option is refused there (STORE_PATH_UNUSABLE).
   */
  readonly audiences?: string | undefined;
}

/** `env` is the environment parsed at start-up (config/env.ts): the Neo4j credentials come from it. */
export async function openStore(
  spec: string,
  env: Pick<Env, 'NEO4J_USER' | 'NEO4J_PASSWORD' | 'NEO4J_DATABASE' | 'IDGRAPH_NEO4J_MIGRATE'>,
  options: OpenOptions = {},
): Promise<GraphStore> {
  if (NEO4J_URI.test(spec)) {
    if (options.audiences) {
      throw new StoreError(
        'STORE_PATH_UNUSABLE',
        `audiences live in the graph with Neo4j (${redact(spec)}): a folder for them (${options.audiences}) applies to an embedded store only`,
      );
    }
    return Neo4jStore.open({
      uri: spec,
      user: env.NEO4J_USER,
      password: env.NEO4J_PASSWORD,
      database: env.NEO4J_DATABASE,
      migrate: env.IDGRAPH_NEO4J_MIGRATE !== 'false',
    });
  }
  const embedded = options.audiences ? { audiences: resolve(options.audiences) } : {};
  return options.readOnly
    ? EmbeddedStore.openReadOnly(resolve(spec), embedded)
    : EmbeddedStore.open(resolve(spec), embedded);
}

/**
 * A first load written as files for Neo4j's offline importer into `folder` (new or empty), not into
 * a database: `idgraph load --import-files`. Closing it finishes the files (`written` then tells).
 */
export function openImportFiles(folder: string): Promise<ImportFilesStore> {
  return ImportFilesStore.create(resolve(folder));
}
