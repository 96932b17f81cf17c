/**
 * Applies one ChangeSet inside one write transaction, in the order the embedded store applies a log
 * entry (memory-state.ts), so both stores end in the same state. Each part is one UNWIND statement
 * per batch of rows, not one statement per row.
 *
 * Concurrent writers: the engine resolves a batch against what it read, then commits `lastCommit + 1`.
 * The first statement takes the write lock of the Meta node; only then is lastCommit read, so a
 * second process that resolved against the same state waits, sees the new lastCommit and is
 * refused with STORE_CONFLICT instead of overwriting the first one's merges.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { encodeRecord } from '../../codec/record-codec.js';
import { identifierKey, splitIdentifierKey } from '../../core/resolve/types.js';
import type { ChangeSet } from '../graph-store.js';
import { StoreError } from '../store-error.js';
import { dropUnusedNodes, type ErasedTraces, redactHistory, tracesOf } from './erase-traces.js';

/** Rows per statement: large enough to amortize a round trip, small enough to keep each plan's memory low. */
const BATCH = 2_000;

export async function writeChange(tx: ManagedTransaction, change: ChangeSet): Promise<void> {
  await checkSequence(tx, change.commit, change.at);
  // Numbers go as Cypher integers (a JS number would be sent as a float: 1.0).
  const commit = neo4j.int(change.commit);

  // An erasure: note what the erased records use, and scrub their mentions from past events.
  let erased: ErasedTraces | undefined;
  if (change.erased && change.erased.length > 0) {
    erased = await tracesOf(tx, change.erased);
    await redactHistory(tx, change.erased);
  }

  // A new rule set brings new blocking keys for every record (the upserts carry them).
  if (change.rules) await tx.run('MATCH (b:Block) DETACH DELETE b');

  const stale = (change.staleBlockKeys ?? []).filter(({ keys }) => keys.length > 0);
  await inBatches(
    tx,
    stale,
    `
    UNWIND $rows AS row
    MATCH (r:Record {ref: row.ref})-[x:IN_BLOCK]->(b:Block)
    WHERE b.key IN row.keys
    DELETE x`,
  );

  await inBatches(
    tx,
    change.removals,
    `
    UNWIND $rows AS ref
    MATCH (r:Record {ref: ref})
    DETACH DELETE r`,
  );

  const upserts = change.upserts.map(({ record, blockKeys, packed }) => ({
    ref: record.ref,
    source: record.source,
    recordId: record.recordId,
    ts: neo4j.int(record.ts),
    data: packed?.encoded ?? encodeRecord(record),
    ids: [...new Set(record.identifiers.map(({ type, key }) => identifierKey(type, key)))].map(identifierRow),
    blocks: [...new Set(blockKeys)],
  }));
  if (change.firstLoad) await createRecords(tx, upserts, commit);
  else {
    // An updated record's identifiers are replaced; holder order is (commit, n) like the embedded index.
    await inBatches(
      tx,
      upserts,
      `
    UNWIND $rows AS row
    MERGE (r:Record {ref: row.ref})
    SET r.source = row.source, r.recordId = row.recordId, r.ts = row.ts, r.data = row.data
    WITH r
    MATCH (r)-[x:HAS_IDENTIFIER]->()
    DELETE x`,
    );
    await inBatches(
      tx,
      upserts.map((row, n) => ({ ...row, n: neo4j.int(n) })),
      `
    UNWIND $rows AS row
    MATCH (r:Record {ref: row.ref})
    UNWIND row.ids AS id
    MERGE (i:Identifier {key: id.key})
      ON CREATE SET i.type = id.type, i.matchKey = id.matchKey, i.shared = false
    CREATE (r)-[:HAS_IDENTIFIER {commit: $commit, n: row.n}]->(i)`,
      { commit },
    );
    await inBatches(
      tx,
      upserts.map((row, n) => ({ ref: row.ref, blocks: row.blocks, n: neo4j.int(n) })),
      `
    UNWIND $rows AS row
    MATCH (r:Record {ref: row.ref})
    UNWIND row.blocks AS key
    MERGE (b:Block {key: key})
    MERGE (r)-[x:IN_BLOCK]->(b)
      ON CREATE SET x.commit = $commit, x.n = row.n`,
      { commit },
    );
  }

  // Retired profiles stay (IDs are never reused) without members; mergedInto absent = emptied.
  await inBatches(
    tx,
    change.retired.map((p) => ({ id: p.id, mergedInto: p.mergedInto ?? null })),
    `
    UNWIND $rows AS row
    MERGE (p:Profile {id: row.id})
    SET p.retired = true, p.mergedInto = row.mergedInto, p.edges = null, p.size = 0
    WITH p
    OPTIONAL MATCH (p)-[m:MERGED_INTO]->()
    DELETE m
    WITH DISTINCT p
    MATCH (p)-[h:HAS_RECORD]->()
    DELETE h`,
  );
  // The redirect as a relationship too, so findProfile follows it in one query.
  await inBatches(
    tx,
    change.retired.filter((p) => p.mergedInto !== undefined),
    `
    UNWIND $rows AS row
    MATCH (p:Profile {id: row.id})
    MERGE (survivor:Profile {id: row.mergedInto})
    CREATE (p)-[:MERGED_INTO]->(survivor)`,
  );

  const profiles = change.profiles.map((p) => ({
    id: p.id,
    seq: neo4j.int(p.seq),
    edges: JSON.stringify(p.edges),
    records: p.records,
  }));
  if (change.firstLoad) await createProfiles(tx, profiles);
  else {
    await inBatches(
      tx,
      profiles,
      `
    UNWIND $rows AS row
    MERGE (p:Profile {id: row.id})
    SET p.seq = row.seq, p.retired = false, p.mergedInto = null, p.edges = row.edges, p.size = size(row.records)
    WITH p
    OPTIONAL MATCH (p)-[m:MERGED_INTO]->()
    DELETE m
    WITH DISTINCT p
    MATCH (p)-[h:HAS_RECORD]->()
    DELETE h`,
    );
    // A record belongs to one profile: the one that lists it last.
    await inBatches(
      tx,
      profiles.flatMap((p) => p.records),
      `
    UNWIND $rows AS ref
    MATCH (:Record {ref: ref})<-[h:HAS_RECORD]-()
    DELETE h`,
    );
  }
  await inBatches(
    tx,
    profiles,
    `
    UNWIND $rows AS row
    MATCH (p:Profile {id: row.id})
    UNWIND range(0, size(row.records) - 1) AS i
    MATCH (r:Record {ref: row.records[i]})
    CREATE (p)-[:HAS_RECORD {i: i}]->(r)`,
  );

  await inBatches(
    tx,
    change.shared.map(({ identifier, shared }) => ({ ...identifierRow(identifier), shared })),
    `
    UNWIND $rows AS row
    MERGE (i:Identifier {key: row.key})
      ON CREATE SET i.type = row.type, i.matchKey = row.matchKey
    SET i.shared = row.shared`,
  );

  await inBatches(
    tx,
    change.decisionsRemoved,
    `
    UNWIND $rows AS id
    MATCH (d:Decision {id: id})
    DETACH DELETE d`,
  );
  const decisions = change.decisionsAdded.map((entry, n) => {
    const { decision } = entry;
    const refs = decision.kind === 'force_link' ? [decision.a, decision.b] : [...decision.sideA, ...decision.sideB];
    const data = JSON.stringify(entry);
    return { id: decision.id, kind: decision.kind, actor: entry.actor, at: entry.at, refs, data, n: neo4j.int(n) };
  });
  await inBatches(
    tx,
    decisions,
    `
    UNWIND $rows AS row
    MERGE (d:Decision {id: row.id})
    SET d.kind = row.kind, d.actor = row.actor, d.at = row.at, d.refs = row.refs, d.data = row.data,
        d.commit = $commit, d.n = row.n`,
    { commit },
  );

  const events = change.events.map((event, n) => ({
    id: event.id,
    kind: event.kind,
    at: event.at,
    actor: event.actor,
    rule: event.rule ?? null,
    data: event.json ?? JSON.stringify(event),
    profiles: [...new Set([...event.before, ...event.after])],
    n: neo4j.int(n),
  }));
  await inBatches(
    tx,
    events,
    `
    UNWIND $rows AS row
    CREATE (e:Event {id: row.id, commit: $commit, n: row.n, kind: row.kind, at: row.at, actor: row.actor,
                     rule: row.rule, data: row.data})
    WITH e, row
    UNWIND row.profiles AS profileId
    MATCH (p:Profile {id: profileId})
    CREATE (e)-[:CHANGED]->(p)`,
    { commit },
  );

  if (erased) await dropUnusedNodes(tx, erased);

  await tx.run(
    `MATCH (m:Meta {id: 'meta'})
     SET m.lastCommit = $commit,
         m.rulesVersion = coalesce($rulesVersion, m.rulesVersion),
         m.rulesText = coalesce($rulesText, m.rulesText)`,
    { commit, rulesVersion: change.rules?.version ?? null, rulesText: change.rules?.text ?? null },
  );
}

/** Locks the Meta node, then checks that this commit follows the last one. */
async function checkSequence(tx: ManagedTransaction, commit: number, at: string): Promise<void> {
  // The SET takes the node's write lock; it is held to the end of the transaction.
  await tx.run(`MERGE (m:Meta {id: 'meta'}) ON CREATE SET m.lastCommit = 0 SET m.lockedAt = $at`, { at });
  const result = await tx.run(`MATCH (m:Meta {id: 'meta'}) RETURN m.lastCommit AS last`);
  const last = Number(result.records[0]?.get('last') ?? 0);
  if (commit !== last + 1) {
    throw new StoreError(
      'STORE_CONFLICT',
      `commit ${commit} does not follow ${last}: another process wrote to this Neo4j database; retry the operation`,
    );
  }
}

function identifierRow(key: string): { key: string; type: string; matchKey: string } {
  const { type, key: matchKey } = splitIdentifierKey(key);
  return { key, type, matchKey };
}

async function inBatches(
  tx: ManagedTransaction,
  rows: readonly unknown[],
  statement: string,
  parameters: Record<string, unknown> = {},
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    await tx.run(statement, { ...parameters, rows: rows.slice(start, start + BATCH) });
  }
}

/**
 * The bulk path's records, new by contract (ChangeSet.firstLoad): created with their identifier
 * and block links in one statement per batch, with nothing to look up or replace.
 */
async function createRecords(tx: ManagedTransaction, upserts: readonly object[], commit: unknown): Promise<void> {
  await inBatches(
    tx,
    upserts.map((row, n) => ({ ...row, n: neo4j.int(n) })),
    `
    UNWIND $rows AS row
    CREATE (r:Record {ref: row.ref, source: row.source, recordId: row.recordId, ts: row.ts, data: row.data})
    WITH r, row
    CALL (r, row) {
      UNWIND row.ids AS id
      MERGE (i:Identifier {key: id.key})
        ON CREATE SET i.type = id.type, i.matchKey = id.matchKey, i.shared = false
      CREATE (r)-[:HAS_IDENTIFIER {commit: $commit, n: row.n}]->(i)
    }
    CALL (r, row) {
      UNWIND row.blocks AS key
      MERGE (b:Block {key: key})
      CREATE (r)-[:IN_BLOCK {commit: $commit, n: row.n}]->(b)
    }`,
    { commit },
  );
}

/** The bulk path's profiles, new by contract; their records are linked by the statement that follows. */
async function createProfiles(tx: ManagedTransaction, profiles: readonly object[]): Promise<void> {
  await inBatches(
    tx,
    profiles,
    `
    UNWIND $rows AS row
    CREATE (:Profile {id: row.id, seq: row.seq, retired: false, edges: row.edges, size: size(row.records)})`,
  );
}
