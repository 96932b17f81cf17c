/**
 * Runs the Neo4j side of an erasure (see core/resolve/erasure.ts and cypher/erasure.ts) inside the
 * commit's write transaction. Neo4j's own transaction logs keep old values until they rotate
 * (db.tx_log.rotation.retention_policy); see graph/README.md.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { redactEvent } from '../../core/resolve/erasure.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { RecordRef } from '../../core/resolve/types.js';
import { run } from './connection.js';
import * as erasure from './cypher/erasure.js';

export interface ErasedTraces {
  readonly identifiers: readonly string[];
  readonly blocks: readonly string[];
}

/** The identifier and block keys the erased records use, read before the records are deleted. */
export async function tracesOf(tx: ManagedTransaction, refs: readonly RecordRef[]): Promise<ErasedTraces> {
  const row = (await run(tx, erasure.tracesOf(refs)))[0];
  return {
    identifiers: (row?.get('identifiers') as string[] | undefined) ?? [],
    blocks: (row?.get('blocks') as string[] | undefined) ?? [],
  };
}

/** Rewrites every stored event that mentions an erased record. */
export async function redactHistory(tx: ManagedTransaction, refs: readonly RecordRef[]): Promise<void> {
  const found = await run(tx, erasure.eventsMentioning(refs));
  const erased = new Set(refs);
  const rows = found.flatMap((record) => {
    const redacted = redactEvent(JSON.parse(record.get('data') as string) as ProfileEvent, erased);
    return redacted ? [{ id: record.get('id') as string, data: JSON.stringify(redacted) }] : [];
  });
  if (rows.length === 0) return;
  await run(tx, erasure.rewriteEvents(rows));
}

/** Deletes the identifier and block nodes no record uses any more. */
export async function dropUnusedNodes(tx: ManagedTransaction, traces: ErasedTraces): Promise<void> {
  await run(tx, erasure.dropUnusedIdentifiers(traces.identifiers));
  await run(tx, erasure.dropUnusedBlocks(traces.blocks));
}
