/**
 * Chooses the store from a specification: a `neo4j://`, `neo4j+s://`, `bolt://` or `bolt+s://` URI
 * selects Neo4j; anything else is the folder of an embedded store.
 */
import { resolve } from 'node:path';
import { EmbeddedStore } from './embedded/embedded-store.js';
import type { GraphStore } from './graph-store.js';
import { StoreError } from './store-error.js';

const NEO4J_URI = /^(neo4j|bolt)(\+s|\+ssc)?:\/\//i;

export function describeStore(spec: string): string {
  return NEO4J_URI.test(spec)
    ? `Neo4j at ${spec.replace(/\/\/[^@/]*@/, '//***@')}`
    : `embedded store in ${resolve(spec)}`;
}

export async function openStore(spec: string): Promise<GraphStore> {
  if (NEO4J_URI.test(spec)) {
    throw new StoreError(
      'STORE_UNREACHABLE',
      'this build of idgraph has no Neo4j store adapter yet; use an embedded store folder for IDGRAPH_STORE / --store',
    );
  }
  return EmbeddedStore.open(resolve(spec));
}
