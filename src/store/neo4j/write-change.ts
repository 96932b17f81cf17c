/**
 * Applies one ChangeSet inside one write transaction: the statements of cypher/, one UNWIND
 * statement per batch of rows (never one per row).
 *
 * Concurrent writers: the engine resolves a batch against what it read, then commits `lastCommit + 1`.
 * The first statement takes the write lock of the Meta node; only then is lastCommit read, so a
 * second process that resolved against the same state waits, sees the new lastCommit and is
 * refused with STORE_CONFLICT instead of overwriting the first one's merges.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { ChangeSet } from '../graph-store.js';
import { StoreError } from '../store-error.js';
import { run } from './connection.js';
import { changeStatements } from './cypher/change-statements.js';
import { lockMeta, readLastCommit, setLastCommit } from './cypher/meta.js';
import { dropUnusedNodes, type ErasedTraces, redactHistory, tracesOf } from './erase-traces.js';

export async function writeChange(tx: ManagedTransaction, change: ChangeSet): Promise<void> {
  await checkSequence(tx, change.commit, change.at);

  // An erasure: note what the erased records use, and scrub their mentions from past events.
  let erased: ErasedTraces | undefined;
  if (change.erased && change.erased.length > 0) {
    erased = await tracesOf(tx, change.erased);
    await redactHistory(tx, change.erased);
  }

  for (const statement of changeStatements(change)) await run(tx, statement);

  if (erased) await dropUnusedNodes(tx, erased);
  await run(tx, setLastCommit(change));
}

/** Locks the Meta node, then checks that this commit follows the last one. */
async function checkSequence(tx: ManagedTransaction, commit: number, at: string): Promise<void> {
  await run(tx, lockMeta(at));
  const rows = await run(tx, readLastCommit());
  const last = Number(rows[0]?.get('last') ?? 0);
  if (commit !== last + 1) {
    throw new StoreError(
      'STORE_CONFLICT',
      `commit ${commit} does not follow ${last}: another process wrote to this Neo4j database; retry the operation`,
    );
  }
}
