/**
 * The singleton (:Meta {id: 'meta'}): the commit sequence and the rules the graph is resolved under.
 * Every commit starts by locking it and ends by moving lastCommit on (see write-change.ts).
 */
import type { ChangeSet } from '../../graph-store.js';
import { cypher, int, type Statement } from './statement.js';

/** Creates the Meta node on the first commit; the SET takes its write lock, held to the end of the transaction. */
const LOCK_META = cypher`
  MERGE (m:Meta {id: 'meta'}) ON CREATE SET m.lastCommit = 0 SET m.lockedAt = $at`;

export const lockMeta = (at: string): Statement => ({ name: 'lockMeta', cypher: LOCK_META, params: { at } });

/** Read under the lock, so a second writer sees the first one's commit (column `last`). */
const READ_LAST_COMMIT = cypher`
  MATCH (m:Meta {id: 'meta'}) RETURN m.lastCommit AS last`;

export const readLastCommit = (): Statement => ({ name: 'readLastCommit', cypher: READ_LAST_COMMIT, params: {} });

/** The commit's last statement: lastCommit moves on, and a rules change records the new rules. */
const SET_LAST_COMMIT = cypher`
  MATCH (m:Meta {id: 'meta'})
  SET m.lastCommit = $commit,
      m.rulesVersion = coalesce($rulesVersion, m.rulesVersion),
      m.rulesText = coalesce($rulesText, m.rulesText)`;

export function setLastCommit(change: Pick<ChangeSet, 'commit' | 'rules'>): Statement {
  return {
    name: 'setLastCommit',
    cypher: SET_LAST_COMMIT,
    params: {
      commit: int(change.commit),
      rulesVersion: change.rules?.version ?? null,
      rulesText: change.rules?.text ?? null,
    },
  };
}

/** lastCommit outside a commit; 0 before the first one (column `last`). */
const LAST_COMMIT = cypher`
  OPTIONAL MATCH (m:Meta {id: 'meta'}) RETURN coalesce(m.lastCommit, 0) AS last`;

export const lastCommit = (): Statement => ({ name: 'lastCommit', cypher: LAST_COMMIT, params: {} });

/** The rules in force (columns `version`, `text`); no row before the first rules were applied. */
const CURRENT_RULES = cypher`
  MATCH (m:Meta {id: 'meta'}) WHERE m.rulesText IS NOT NULL
  RETURN m.rulesVersion AS version, m.rulesText AS text`;

export const currentRules = (): Statement => ({ name: 'currentRules', cypher: CURRENT_RULES, params: {} });
