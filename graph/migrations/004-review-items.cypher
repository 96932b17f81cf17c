// idgraph graph model: the review queue (pairs of records a data steward links or keeps apart).
// Idempotent like 001; applied at every open of the Neo4j store and by `idgraph graph migrate`.

// One node per pair of records: the item's ID is derived from the pair.
CREATE CONSTRAINT idgraph_review_item_id IF NOT EXISTS FOR (i:ReviewItem) REQUIRE i.id IS UNIQUE;

// A commit replaces the items naming the records it resolved again: looked up by either record.
CREATE INDEX idgraph_review_item_a IF NOT EXISTS FOR (i:ReviewItem) ON (i.a);
CREATE INDEX idgraph_review_item_b IF NOT EXISTS FOR (i:ReviewItem) ON (i.b);

// The queue is listed by status (open first of all), oldest first.
CREATE INDEX idgraph_review_item_status IF NOT EXISTS FOR (i:ReviewItem) ON (i.status, i.createdCommit);
