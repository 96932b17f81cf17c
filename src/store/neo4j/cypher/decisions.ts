/**
 * (:Decision {id, kind, actor, at, refs, data, commit, n}): manual force-link and keep-apart decisions,
 * `refs` being the records a decision concerns and `data` the whole entry as JSON.
 */
import type { Integer } from 'neo4j-driver';
import type { ChangeSet } from '../../graph-store.js';
import { batched, cypher, int, type Statement } from './statement.js';

const REMOVE_DECISIONS = cypher`
  UNWIND $rows AS id
  MATCH (d:Decision {id: id})
  DETACH DELETE d`;

/** Decisions withdrawn by ID. */
export const removeDecisions = (ids: readonly string[]): Iterable<Statement> =>
  batched('removeDecisions', REMOVE_DECISIONS, ids);

const ADD_DECISIONS = cypher`
  UNWIND $rows AS row
  MERGE (d:Decision {id: row.id})
  SET d.kind = row.kind, d.actor = row.actor, d.at = row.at, d.refs = row.refs, d.data = row.data,
      d.commit = $commit, d.n = row.n`;

/** Decisions taken, in the commit's order (commit, n). */
export const addDecisions = (added: ChangeSet['decisionsAdded'], commit: Integer): Iterable<Statement> =>
  batched(
    'addDecisions',
    ADD_DECISIONS,
    added.map((entry, n) => {
      const { decision } = entry;
      const refs = decision.kind === 'force_link' ? [decision.a, decision.b] : [...decision.sideA, ...decision.sideB];
      return {
        id: decision.id,
        kind: decision.kind,
        actor: entry.actor,
        at: entry.at,
        refs,
        data: JSON.stringify(entry),
        n: int(n),
      };
    }),
    { commit },
  );

const DECISIONS_FOR = cypher`
  MATCH (d:Decision) WHERE any(ref IN d.refs WHERE ref IN $refs)
  RETURN d.data AS data ORDER BY d.commit, d.n`;

/**
 * The decisions that concern any of these records, oldest first (column `data`). Manual decisions
 * are few: a scan with a list filter is cheaper than keeping edges to records.
 */
export const decisionsFor = (refs: readonly string[]): Statement => ({
  name: 'decisionsFor',
  cypher: DECISIONS_FOR,
  params: { refs: [...new Set(refs)] },
});
