/**
 * The singleton (:Meta {id: 'meta'}): the commit sequence, the rules the graph is resolved under, and
 * the turn (`turnHolder`, `turnUntil`): which writer the next commit is kept for, and until when by
 * the server's clock (ms since the epoch). Every commit starts by locking it, is refused while another
 * writer holds an unexpired turn, and moves lastCommit on and gives up its writer's turn in that same
 * statement (see write-change.ts and ../commit-turn.ts).
 */
import type { ChangeSet } from '../../graph-store.js';
import { cypher, int, type Statement } from './statement.js';

/** Creates the Meta node on the first commit; the SET takes its write lock, held to the end of the transaction. */
const LOCK_META = cypher`
  MERGE (m:Meta {id: 'meta'}) ON CREATE SET m.lastCommit = 0 SET m.lockedAt = $at`;

export const lockMeta = (at: string): Statement => ({ name: 'lockMeta', cypher: LOCK_META, params: { at } });

/**
 * The start of a commit's guard (here and in commit-statement.ts): locks Meta, creating it on the
 * first commit, then reads under the lock `last`, `ownTurn` (`$writer` holds the turn) and
 * `turnTaken` (another writer holds it, unexpired by the server's clock).
 */
export const LOCK_AND_READ = cypher`
  MERGE (m:Meta {id: 'meta'}) ON CREATE SET m.lastCommit = 0
  SET m.lockedAt = $at
  WITH m
  WITH m, m.lastCommit AS last, m.turnHolder = $writer AS ownTurn,
       coalesce(m.turnHolder <> $writer AND m.turnUntil > timestamp(), false) AS turnTaken`;

/**
 * A commit's first statement, and its only one on Meta: locks Meta as lockMeta does, then reads,
 * under the lock, lastCommit (column `last`) and whether a writer other than `$writer` holds the turn,
 * unexpired by the server's clock (column `turnTaken`), and moves Meta on as the commit leaves it:
 * lastCommit to `$commit`, the rules when the commit applies new ones, and the turn given up when
 * `$writer` held it (the turn is for one commit). The client refuses a commit out of sequence or in
 * another writer's turn from the columns, and the transaction rolls back with what this set. The SET
 * takes the lock before anything is read, so a second writer, which waited for the lock, sees the
 * first one's commit (Neo4j's way of avoiding lost updates: take the write lock, then read, in one
 * query). Moving Meta on here rather than in a statement of its own at the end saves the server a
 * statement a commit.
 */
const COMMIT_GUARD = cypher`
  ${LOCK_AND_READ}
  SET m.lastCommit = $commit,
      m.rulesVersion = coalesce($rulesVersion, m.rulesVersion),
      m.rulesText = coalesce($rulesText, m.rulesText),
      m.turnHolder = CASE WHEN ownTurn THEN null ELSE m.turnHolder END,
      m.turnUntil = CASE WHEN ownTurn THEN null ELSE m.turnUntil END
  RETURN last, turnTaken`;

export function commitGuard(change: Pick<ChangeSet, 'commit' | 'at' | 'rules'>, writer: string): Statement {
  return {
    name: 'commitGuard',
    cypher: COMMIT_GUARD,
    params: {
      at: change.at,
      writer,
      commit: int(change.commit),
      rulesVersion: change.rules?.version ?? null,
      rulesText: change.rules?.text ?? null,
    },
  };
}

/**
 * Claims the turn for `$writer`, run after lockMeta in the same transaction: taken when no writer
 * holds it, `$writer` does (renewed), or the holder's lease ran out, for `$leaseMs` by the server's
 * clock. Columns: `claimed`, and `waitMs`, how long the standing claim has left when it was not.
 */
const CLAIM_TURN = cypher`
  MATCH (m:Meta {id: 'meta'})
  WITH m, timestamp() AS now
  WITH m, now, coalesce(m.turnHolder = $writer OR m.turnUntil <= now, true) AS free
  SET m.turnHolder = CASE WHEN free THEN $writer ELSE m.turnHolder END,
      m.turnUntil = CASE WHEN free THEN now + $leaseMs ELSE m.turnUntil END
  RETURN free AS claimed, CASE WHEN free THEN 0 ELSE m.turnUntil - now END AS waitMs`;

export const claimTurn = (writer: string, leaseMs: number): Statement => ({
  name: 'claimTurn',
  cypher: CLAIM_TURN,
  params: { writer, leaseMs: int(leaseMs) },
});

/** Gives up `$writer`'s turn, if it still holds it (an operation that ended without its commit). */
const RELEASE_TURN = cypher`
  MATCH (m:Meta {id: 'meta'}) WHERE m.turnHolder = $writer
  SET m.turnHolder = null, m.turnUntil = null`;

export const releaseTurn = (writer: string): Statement => ({
  name: 'releaseTurn',
  cypher: RELEASE_TURN,
  params: { writer },
});

/** lastCommit outside a commit; 0 before the first one (column `last`). */
const LAST_COMMIT = cypher`
  OPTIONAL MATCH (m:Meta {id: 'meta'}) RETURN coalesce(m.lastCommit, 0) AS last`;

export const lastCommit = (): Statement => ({ name: 'lastCommit', cypher: LAST_COMMIT, params: {} });

/** The rules in force (columns `version`, `text`); no row before the first rules were applied. */
const CURRENT_RULES = cypher`
  MATCH (m:Meta {id: 'meta'}) WHERE m.rulesText IS NOT NULL
  RETURN m.rulesVersion AS version, m.rulesText AS text`;

export const currentRules = (): Statement => ({ name: 'currentRules', cypher: CURRENT_RULES, params: {} });
