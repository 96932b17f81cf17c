// idgraph graph model: the records of each manual decision, found through an index. Idempotent like
// 001; applied at every open of the Neo4j store and by `idgraph graph migrate`.

// Each decision links to one (:DecisionRef {ref}) per record it concerns (CONCERNS): a commit asks
// for the decisions on its scope's records with an index seek each. Reading every decision instead
// took 37 ms a call with 10,000 decisions and 122 ms with 100,000 (timed once with a throwaway
// script, see docs/scale.md), and every reviewed pair is a decision.
CREATE INDEX idgraph_decision_ref IF NOT EXISTS FOR (x:DecisionRef) ON (x.ref);

// Decisions written before DecisionRef nodes keep their records in a `refs` list instead: indexed
// so that a commit reads only those, never the decisions written since, which have no `refs`.
CREATE INDEX idgraph_decision_legacy_refs IF NOT EXISTS FOR (d:Decision) ON (d.refs);
