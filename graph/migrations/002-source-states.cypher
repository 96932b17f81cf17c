// Watermarks of incremental sources (`idgraph ingest --from`): one (:SourceState {source}) node
// per source, with the origin (table or query, no credentials), the column and its newest value read.
// The constraint makes two runs that remember the same source at once update one node, not create two.
CREATE CONSTRAINT idgraph_source_state IF NOT EXISTS FOR (s:SourceState) REQUIRE s.source IS UNIQUE;
