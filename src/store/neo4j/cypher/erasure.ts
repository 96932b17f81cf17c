/**
 * The Neo4j side of an erasure (core/resolve/erasure.ts): what the erased records use is read before
 * they go, past events that mention them are rewritten, and identifier and block nodes no record uses
 * any more are deleted, so no node keeps a value of the erased person. erase-traces.ts runs these.
 */
import type { RecordRef } from '../../../core/resolve/types.js';
import { cypher, type Statement } from './statement.js';

const TRACES_OF = cypher`
  UNWIND $refs AS ref
  MATCH (r:Record {ref: ref})
  OPTIONAL MATCH (r)-[:HAS_IDENTIFIER]->(i:Identifier)
  OPTIONAL MATCH (r)-[:IN_BLOCK]->(b:Block)
  RETURN collect(DISTINCT i.key) AS identifiers, collect(DISTINCT b.key) AS blocks`;

/** The identifier and block keys the erased records use (columns `identifiers`, `blocks`, one row). */
export const tracesOf = (refs: readonly RecordRef[]): Statement => ({
  name: 'tracesOf',
  cypher: TRACES_OF,
  params: { refs },
});

const PROFILES_OF_RECORDS = cypher`
  UNWIND $refs AS ref
  MATCH (:Record {ref: ref})<-[:HAS_RECORD]-(p:Profile)
  RETURN collect(DISTINCT p.id) AS ids`;

/** The profiles that hold these records now (column `ids`, one row): where their history walk starts. */
export const profilesOfRecords = (refs: readonly RecordRef[]): Statement => ({
  name: 'profilesOfRecords',
  cypher: PROFILES_OF_RECORDS,
  params: { refs },
});

const EVENTS_MENTIONING = cypher`
  UNWIND $ids AS id
  MATCH (e:Event)-[:CHANGED]->(:Profile {id: id})
  WHERE any(ref IN $quoted WHERE e.data CONTAINS ref)
  WITH DISTINCT e
  MATCH (e)-[:CHANGED]->(p:Profile)
  RETURN e.id AS id, e.data AS data, collect(p.id) AS profiles`;

/**
 * Of the events of these profiles, those whose body mentions an erased record (columns `id`, `data`,
 * and `profiles`, every profile the event is linked to).
 */
export const eventsMentioning = (profileIds: readonly string[], refs: readonly RecordRef[]): Statement => ({
  name: 'eventsMentioning',
  cypher: EVENTS_MENTIONING,
  // Events keep their body as JSON; a record reference appears there as a quoted string.
  params: { ids: profileIds, quoted: refs.map((ref) => JSON.stringify(ref)) },
});

const MERGED_INTO_ANY = cypher`
  UNWIND $ids AS id
  MATCH (m:Profile)-[:MERGED_INTO]->(:Profile {id: id})
  RETURN collect(DISTINCT m.id) AS ids`;

/** The profiles merged into any of these (column `ids`, one row). */
export const mergedIntoAny = (profileIds: readonly string[]): Statement => ({
  name: 'mergedIntoAny',
  cypher: MERGED_INTO_ANY,
  params: { ids: profileIds },
});

const REWRITE_EVENTS = cypher`
  UNWIND $rows AS row MATCH (e:Event {id: row.id}) SET e.data = row.data`;

/** Events with their redacted bodies. */
export const rewriteEvents = (rows: readonly { readonly id: string; readonly data: string }[]): Statement => ({
  name: 'rewriteEvents',
  cypher: REWRITE_EVENTS,
  params: { rows },
});

const DROP_UNUSED_IDENTIFIERS = cypher`
  UNWIND $keys AS key
  MATCH (i:Identifier {key: key})
  WHERE NOT (i)<-[:HAS_IDENTIFIER]-() AND NOT coalesce(i.shared, false)
  DELETE i`;

/** Of these identifier nodes, those no record holds and no shared flag keeps. */
export const dropUnusedIdentifiers = (keys: readonly string[]): Statement => ({
  name: 'dropUnusedIdentifiers',
  cypher: DROP_UNUSED_IDENTIFIERS,
  params: { keys },
});

const DROP_UNUSED_BLOCKS = cypher`
  UNWIND $keys AS key
  MATCH (b:Block {key: key})
  WHERE NOT (b)<-[:IN_BLOCK]-()
  DELETE b`;

/** Of these block nodes, those no record is in. */
export const dropUnusedBlocks = (keys: readonly string[]): Statement => ({
  name: 'dropUnusedBlocks',
  cypher: DROP_UNUSED_BLOCKS,
  params: { keys },
});
