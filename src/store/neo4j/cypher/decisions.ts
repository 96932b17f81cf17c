/**
 * (:Decision {id, kind, actor, at, data, commit, n})-[:CONCERNS]->(:DecisionRef {ref}): manual
 * force-link and keep-apart decisions, `data` being the whole entry as JSON, linked to one DecisionRef
 * of their own per record they concern (indexed by `ref`: a commit finds the decisions on its records
 * without reading the others). Decisions written before DecisionRef nodes existed have a `refs` list
 * instead, and no DecisionRef (migrations/007-decision-refs.cypher).
 */
import type { Integer } from 'neo4j-driver';
import type { ChangeSet } from '../../graph-store.js';
import { type Batches, batched, cypher, int, type Statement } from './statement.js';

const REMOVE_DECISIONS = cypher`
  UNWIND $rows AS id
  MATCH (d:Decision {id: id})
  OPTIONAL MATCH (d)-[:CONCERNS]->(x:DecisionRef)
  DETACH DELETE d, x`;

/** Decisions withdrawn by ID. */
export const removeDecisions = (ids: readonly string[]): Batches => batched('removeDecisions', REMOVE_DECISIONS, ids);

const ADD_DECISIONS = cypher`
  UNWIND $rows AS row
  MERGE (d:Decision {id: row.id})
  SET d.kind = row.kind, d.actor = row.actor, d.at = row.at, d.data = row.data, d.commit = $commit,
      d.n = row.n
  FOREACH (ref IN row.refs | MERGE (d)-[:CONCERNS]->(:DecisionRef {ref: ref}))`;

/** Decisions taken, in the commit's order (commit, n). */
export const addDecisions = (added: ChangeSet['decisionsAdded'], commit: Integer): Batches =>
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
  CALL () {
    UNWIND $refs AS ref
    MATCH (:DecisionRef {ref: ref})<-[:CONCERNS]-(d:Decision)
    RETURN d
    UNION
    MATCH (d:Decision) WHERE d.refs IS NOT NULL AND any(ref IN d.refs WHERE ref IN $refs)
    RETURN d
  }
  RETURN d.data AS data ORDER BY d.commit, d.n`;

/**
 * The decisions that concern any of these records, oldest first (column `data`): through an index
 * seek a record, and among decisions written before DecisionRef nodes, through the index of those.
 */
export const decisionsFor = (refs: readonly string[]): Statement => ({
  name: 'decisionsFor',
  cypher: DECISIONS_FOR,
  params: { refs: [...new Set(refs)] },
});
