// idgraph graph model: uniqueness constraints (each backs a range index) and lookup indexes.
// Applied at every open of the Neo4j store and by `idgraph graph migrate`; every statement is
// idempotent (IF NOT EXISTS). Statements are separated by ';'. Lines starting with // are comments.

// One node per record reference `source:key`.
CREATE CONSTRAINT idgraph_record_ref IF NOT EXISTS FOR (r:Record) REQUIRE r.ref IS UNIQUE;

// One node per identifier value: key is `type` U+0001 `matching key` (holdersOf looks it up).
CREATE CONSTRAINT idgraph_identifier_key IF NOT EXISTS FOR (i:Identifier) REQUIRE i.key IS UNIQUE;

// One node per fuzzy-rule blocking key (blockMembers looks it up).
CREATE CONSTRAINT idgraph_block_key IF NOT EXISTS FOR (b:Block) REQUIRE b.key IS UNIQUE;

// Profile IDs are never reused: retired profiles stay, with mergedInto.
CREATE CONSTRAINT idgraph_profile_id IF NOT EXISTS FOR (p:Profile) REQUIRE p.id IS UNIQUE;

CREATE CONSTRAINT idgraph_event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE;

CREATE CONSTRAINT idgraph_decision_id IF NOT EXISTS FOR (d:Decision) REQUIRE d.id IS UNIQUE;

// The singleton (:Meta {id: 'meta'}): lastCommit, rulesVersion, rulesText. The constraint also
// makes two first commits that race each other create one node, not two.
CREATE CONSTRAINT idgraph_meta_id IF NOT EXISTS FOR (m:Meta) REQUIRE m.id IS UNIQUE;

// sharedCount() counts shared identifiers; Cypher users look identifiers up by type and matching key.
CREATE INDEX idgraph_identifier_shared IF NOT EXISTS FOR (i:Identifier) ON (i.shared);
CREATE INDEX idgraph_identifier_type_match IF NOT EXISTS FOR (i:Identifier) ON (i.type, i.matchKey);

// profiles() pages over live profiles only.
CREATE INDEX idgraph_profile_retired IF NOT EXISTS FOR (p:Profile) ON (p.retired);
