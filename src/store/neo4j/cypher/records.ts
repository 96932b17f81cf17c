/**
 * (:Record {ref, source, recordId, ts, data}): one node per `source:key`, `data` being the prepared
 * record in its compact encoding (record-codec.ts). Its identifier and block links (identifiers.ts,
 * blocks.ts) are written by the same statement as the record.
 */
import type { Integer } from 'neo4j-driver';
import { encodeRecord } from '../../../codec/record-codec.js';
import { identifierKey, type PreparedRecord } from '../../../core/resolve/types.js';
import type { StagedRecord } from '../../graph-store.js';
import { type IdentifierRow, identifierRow } from './identifiers.js';
import { type Batches, batched, cypher, int, type Statement } from './statement.js';

/** An upserted record as the write statements take it; `n` orders its links among the commit's. */
export interface RecordRow {
  readonly ref: string;
  readonly source: string;
  readonly recordId: string;
  readonly ts: Integer;
  readonly data: string;
  readonly ids: readonly IdentifierRow[];
  readonly blocks: readonly string[];
  readonly n: Integer;
}

/** A bulk-path record comes packed with its encoding made: it is written as it is, not encoded again. */
export function recordRows(upserts: readonly StagedRecord[]): RecordRow[] {
  return upserts.map(({ record, blockKeys, packed }, n) =>
    recordRow(record, packed?.encoded ?? encodeRecord(record), blockKeys, n),
  );
}

/** One record's row, given its encoding (`data`) and blocking keys; `n` is its place in the commit. */
export function recordRow(record: PreparedRecord, data: string, blockKeys: readonly string[], n: number): RecordRow {
  return {
    ref: record.ref,
    source: record.source,
    recordId: record.recordId,
    ts: int(record.ts),
    data,
    ids: identifierKeysOf(record).map(identifierRow),
    blocks: [...new Set(blockKeys)],
    n: int(n),
  };
}

/** A record's identifiers as its links go: each key once, in the record's order. */
export function identifierKeysOf(record: PreparedRecord): string[] {
  return [...new Set(record.identifiers.map(({ type, key }) => identifierKey(type, key)))];
}

const REMOVE_RECORDS = cypher`
  UNWIND $rows AS ref
  MATCH (r:Record {ref: ref})
  DETACH DELETE r`;

/** Removed (and erased) records go with all their relationships. */
export const removeRecords = (refs: readonly string[]): Batches => batched('removeRecords', REMOVE_RECORDS, refs);

/** A record `r` of `row` linked to its identifiers (created as needed), in the row's holder order. */
const LINK_IDENTIFIERS = cypher`
  CALL (r, row) {
    UNWIND row.ids AS id
    MERGE (i:Identifier {key: id.key})
      ON CREATE SET i.type = id.type, i.matchKey = id.matchKey, i.shared = false
    CREATE (r)-[:HAS_IDENTIFIER {commit: $commit, n: row.n}]->(i)
  }`;

const CREATE_RECORDS = cypher`
  UNWIND $rows AS row
  CREATE (r:Record {ref: row.ref, source: row.source, recordId: row.recordId, ts: row.ts, data: row.data})
  WITH r, row
  ${LINK_IDENTIFIERS}
  CALL (r, row) {
    UNWIND row.blocks AS key
    MERGE (b:Block {key: key})
    CREATE (r)-[:IN_BLOCK {commit: $commit, n: row.n}]->(b)
  }`;

/**
 * The bulk path's records, new by contract (ChangeSet.firstLoad): created with their identifier
 * and block links in one statement per batch, with nothing to look up or replace.
 */
export const createRecords = (rows: readonly RecordRow[], commit: Integer): Batches =>
  batched('createRecords', CREATE_RECORDS, rows, { commit });

const UPSERT_RECORDS = cypher`
  UNWIND $rows AS row
  MERGE (r:Record {ref: row.ref})
  SET r.source = row.source, r.recordId = row.recordId, r.ts = row.ts, r.data = row.data
  WITH r, row
  CALL (r) {
    MATCH (r)-[x:HAS_IDENTIFIER]->()
    DELETE x
  }
  ${LINK_IDENTIFIERS}
  CALL (r, row) {
    UNWIND row.blocks AS key
    MERGE (b:Block {key: key})
    MERGE (r)-[x:IN_BLOCK]->(b)
      ON CREATE SET x.commit = $commit, x.n = row.n
  }`;

/**
 * New or updated records with their links, one statement per batch (each statement of a commit is
 * a round of work on the server): an updated record's identifier links are written anew, holder
 * order being (commit, n); a block it was already in keeps its place in the member order.
 */
export const upsertRecords = (rows: readonly RecordRow[], commit: Integer): Batches =>
  batched('upsertRecords', UPSERT_RECORDS, rows, { commit });

const RECORD_DATA = cypher`
  UNWIND $refs AS ref MATCH (r:Record {ref: ref}) RETURN r.ref AS ref, r.data AS data`;

/** The encoded records of these refs (columns `ref`, `data`); refs not held give no row. */
export const recordData = (refs: readonly string[]): Statement => ({
  name: 'recordData',
  cypher: RECORD_DATA,
  params: { refs: [...new Set(refs)] },
});

const RECORDS_PAGE = cypher`
  MATCH (r:Record) WHERE r.ref > $after RETURN r.ref AS ref, r.data AS data ORDER BY r.ref LIMIT $limit`;

/** Up to `limit` records after `after`, in ref order (columns `ref`, `data`): export pages. */
export const recordsPage = (after: string, limit: number): Statement => ({
  name: 'recordsPage',
  cypher: RECORDS_PAGE,
  params: { after, limit: int(limit) },
});
