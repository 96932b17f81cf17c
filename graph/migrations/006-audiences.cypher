// idgraph graph model: audiences and saved segments, shared by every API instance on the graph.
// Idempotent like 001; applied at every open of the Neo4j store and by `idgraph graph migrate`.

// One (:Audience {id}) per audience: its definition, and which version of its members is in force.
// The constraint also makes two instances creating the same audience at once lock one node.
CREATE CONSTRAINT idgraph_audience_id IF NOT EXISTS FOR (a:Audience) REQUIRE a.id IS UNIQUE;

// Members in (:AudienceChunk) nodes of a few thousand each, read in order by audience, version, n.
CREATE INDEX idgraph_audience_chunk IF NOT EXISTS FOR (c:AudienceChunk) ON (c.audience, c.version, c.n);

// One (:Segment {id}) per saved segment (conditions and audit trail); its members are the audience of the same id.
CREATE CONSTRAINT idgraph_segment_id IF NOT EXISTS FOR (s:Segment) REQUIRE s.id IS UNIQUE;
