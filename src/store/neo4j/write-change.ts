/**
 * Applies one ChangeSet in one write transaction: a small incremental commit (the everyday API
 * write) as one auto-commit statement (cypher/commit-statement.ts), any other in a managed
 * transaction, the statements of cypher/ one UNWIND statement per batch of rows (never one per row).
 *
 * Concurrent writers: the engine resolves a batch against what it read, then commits `lastCommit + 1`.
 * The first statement takes the write lock of the Meta node, then reads lastCommit, so a
 * second process that resolved against the same state waits, sees the new lastCommit and is
 * refused with STORE_CONFLICT instead of overwriting the first one's merges. It is refused the same
 * way while another writer holds the turn (commit-turn.ts): a writer that kept losing the race
 * claimed the next commit. The commit gives up the turn of its own writer.
 */
import type { ManagedTransaction, Record as Neo4jRecord } from 'neo4j-driver';
import type { ChangeSet } from '../graph-store.js';
import { StoreError } from '../store-error.js';
import { type Neo4jConnection, run } from './connection.js';
import { changeStatements, writeSteps } from './cypher/change-statements.js';
import { commitStatement } from './cypher/commit-statement.js';
import { commitGuard } from './cypher/meta.js';
import { BATCH, type Statement } from './cypher/statement.js';
import { dropUnusedNodes, type ErasedTraces, redactHistory, tracesOf } from './erase-traces.js';

/** `writer` is the committing store's name in the turn (commit-turn.ts). */
export async function writeChange(db: Neo4jConnection, change: ChangeSet, writer: string): Promise<void> {
  if (!change.firstLoad && !change.rules && !erases(change)) {
    const steps = writeSteps(change).map((step) => step());
    if (steps.every((step) => step.rows.length <= BATCH)) {
      const [row] = await db.writeStatement(commitStatement(change, writer, steps), { commit: change.commit });
      refuseOutOfSequence(change.commit, row?.last, row?.turnTaken);
      return;
    }
    // Too large for one statement: the same steps, one statement per batch (rows already shaped).
    const statements = steps.flatMap((step) => [...step]);
    await db.write((tx) => writeInTransaction(tx, change, writer, statements), { commit: change.commit });
    return;
  }
  await db.write((tx) => writeInTransaction(tx, change, writer, changeStatements(change)), { commit: change.commit });
}

/** A change in a managed transaction: the guard, then its statements; an erasure's reads around them. */
async function writeInTransaction(
  tx: ManagedTransaction,
  change: ChangeSet,
  writer: string,
  statements: Iterable<Statement>,
): Promise<void> {
  const guard = commitGuard(change, writer);
  if (!change.firstLoad && !erases(change)) {
    // An incremental commit too large for one statement is a handful of statements: sent at once
    // with the guard, Bolt carries them on one connection and the server runs them in order, so the
    // commit costs one round trip and the Meta lock is held for about that long. A commit the guard
    // refuses has its writes run too, and rolled back with it: rare (another writer committed
    // first), and one round trip sooner every other time.
    const results = await Promise.allSettled([guard, ...statements].map((statement) => run(tx, statement)));
    const [checked, ...writes] = results;
    if (checked?.status === 'rejected') throw checked.reason;
    refuseOutOfSequenceIn(change.commit, checked?.value ?? []);
    const failed = writes.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return;
  }
  refuseOutOfSequenceIn(change.commit, await run(tx, guard));

  // An erasure: note what the erased records use, and scrub their mentions from past events.
  let erased: ErasedTraces | undefined;
  if (change.erased && change.erased.length > 0) {
    erased = await tracesOf(tx, change.erased);
    await redactHistory(tx, change.erased);
  }
  // A first load's batches go one at a time (large rows, shaped as their turn comes).
  for (const statement of statements) await run(tx, statement);

  if (erased) await dropUnusedNodes(tx, erased);
}

/** Whether the change erases records (its transaction then reads and rewrites their traces). */
function erases(change: ChangeSet): boolean {
  return (change.erased?.length ?? 0) > 0;
}

/** refuseOutOfSequence on the guard's row in a managed transaction. */
function refuseOutOfSequenceIn(commit: number, rows: readonly Neo4jRecord[]): void {
  refuseOutOfSequence(commit, rows[0]?.get('last'), rows[0]?.get('turnTaken'));
}

/** Refuses a commit that does not follow the last one, or one due while another writer holds the turn. */
function refuseOutOfSequence(commit: number, lastColumn: unknown, turnTaken: unknown): void {
  const last = Number(lastColumn ?? 0);
  if (turnTaken === true) {
    throw new StoreError(
      'STORE_CONFLICT',
      `commit ${commit} waits: another process holds the turn to commit next on this Neo4j database; retry the operation`,
    );
  }
  if (commit !== last + 1) {
    throw new StoreError(
      'STORE_CONFLICT',
      `commit ${commit} does not follow ${last}: another process wrote to this Neo4j database; retry the operation`,
    );
  }
}
