/**
 * The Neo4j side of an erasure (see core/resolve/erasure.ts): past events lose their mentions of
 * the erased records and the evidence that touched them, and identifier and block nodes that only
 * the erased records used are deleted, so no node keeps a value of the erased person. Runs inside
 * the commit's write transaction. Neo4j's own transaction logs keep old values until they rotate
 * (db.tx_log.rotation.retention_policy); see graph/README.md.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { redactEvent } from '../../core/resolve/erasure.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { RecordRef } from '../../core/resolve/types.js';

export interface ErasedTraces {
  readonly identifiers: readonly string[];
  readonly blocks: readonly string[];
}

/** The identifier and block keys the erased records use, read before the records are deleted. */
export async function tracesOf(tx: ManagedTransaction, refs: readonly RecordRef[]): Promise<ErasedTraces> {
  const result = await tx.run(
    `UNWIND $refs AS ref
     MATCH (r:Record {ref: ref})
     OPTIONAL MATCH (r)-[:HAS_IDENTIFIER]->(i:Identifier)
     OPTIONAL MATCH (r)-[:IN_BLOCK]->(b:Block)
     RETURN collect(DISTINCT i.key) AS identifiers, collect(DISTINCT b.key) AS blocks`,
    { refs },
  );
  const row = result.records[0];
  return {
    identifiers: (row?.get('identifiers') as string[] | undefined) ?? [],
    blocks: (row?.get('blocks') as string[] | undefined) ?? [],
  };
}

/** Rewrites every stored event that mentions an erased record. */
export async function redactHistory(tx: ManagedTransaction, refs: readonly RecordRef[]): Promise<void> {
  // Events keep their body as JSON; a record reference appears there as a quoted string.
  const found = await tx.run(
    `MATCH (e:Event)
     WHERE any(ref IN $quoted WHERE e.data CONTAINS ref)
     RETURN e.id AS id, e.data AS data`,
    { quoted: refs.map((ref) => JSON.stringify(ref)) },
  );
  const erased = new Set(refs);
  const rows = found.records.flatMap((record) => {
    const redacted = redactEvent(JSON.parse(record.get('data') as string) as ProfileEvent, erased);
    return redacted ? [{ id: record.get('id') as string, data: JSON.stringify(redacted) }] : [];
  });
  if (rows.length === 0) return;
  await tx.run('UNWIND $rows AS row MATCH (e:Event {id: row.id}) SET e.data = row.data', { rows });
}

/** Deletes the identifier and block nodes no record uses any more. */
export async function dropUnusedNodes(tx: ManagedTransaction, traces: ErasedTraces): Promise<void> {
  await tx.run(
    `UNWIND $keys AS key
     MATCH (i:Identifier {key: key})
     WHERE NOT (i)<-[:HAS_IDENTIFIER]-() AND NOT coalesce(i.shared, false)
     DELETE i`,
    { keys: traces.identifiers },
  );
  await tx.run(
    `UNWIND $keys AS key
     MATCH (b:Block {key: key})
     WHERE NOT (b)<-[:IN_BLOCK]-()
     DELETE b`,
    { keys: traces.blocks },
  );
}
