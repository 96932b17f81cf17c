/**
 * Applies one ChangeSet inside one write transaction: the statements of cypher/, one UNWIND
 * statement per batch of rows (never one per row).
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
import { run } from './connection.js';
import { changeStatements } from './cypher/change-statements.js';
import { commitGuard } from './cypher/meta.js';
import { dropUnusedNodes, type ErasedTraces, redactHistory, tracesOf } from './erase-traces.js';

/** `writer` is the committing store's name in the turn (commit-turn.ts). */
export async function writeChange(tx: ManagedTransaction, change: ChangeSet, writer: string): Promise<void> {
  const guard = commitGuard(change, writer);
  if (!change.firstLoad && !(change.erased && change.erased.length > 0)) {
    // An incremental commit is a handful of small statements: sent at once with the guard, Bolt
    // carries them on one connection and the server runs them in order, so the commit costs one round
    // trip and the Meta lock is held for about that long. A commit the guard refuses has its writes
    // run too, and rolled back with it: rare (another writer committed first), and one round trip
    // sooner every other time.
    const results = await Promise.allSettled(
      [guard, ...changeStatements(change)].map((statement) => run(tx, statement)),
    );
    const [checked, ...writes] = results;
    if (checked?.status === 'rejected') throw checked.reason;
    refuseOutOfSequence(change.commit, checked?.value ?? []);
    const failed = writes.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return;
  }
  refuseOutOfSequence(change.commit, await run(tx, guard));

  // An erasure: note what the erased records use, and scrub their mentions from past events.
  let erased: ErasedTraces | undefined;
  if (change.erased && change.erased.length > 0) {
    erased = await tracesOf(tx, change.erased);
    await redactHistory(tx, change.erased);
  }
  // A first load's batches go one at a time (large rows, shaped as their turn comes).
  for (const statement of changeStatements(change)) await run(tx, statement);

  if (erased) await dropUnusedNodes(tx, erased);
}

/** Refuses a commit that does not follow the last one, or one due while another writer holds the turn. */
function refuseOutOfSequence(commit: number, rows: readonly Neo4jRecord[]): void {
  const last = Number(rows[0]?.get('last') ?? 0);
  if (rows[0]?.get('turnTaken') === true) {
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
