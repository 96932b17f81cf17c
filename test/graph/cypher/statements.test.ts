/**
 * The store's other statements, pinned as text and parameters (no database): the commit's Meta
 * statements around changeStatements, an erasure's reads and clean-up, the reads, and the schema
 * checks. Their behaviour on a real server is ../neo4j-store.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { identifierKey } from '../../../src/core/resolve/types.js';
import {
  audience,
  audienceChunks,
  audienceChunksPage,
  audiences,
  audienceVersion,
  countAudienceChunks,
  deleteAudienceChunks,
  lockAudience,
  lockExistingAudience,
  putSegment,
  removeAudience,
  rewriteAudienceChunks,
  segment,
  segments,
  sweepAudienceChunks,
  switchAudience,
  writeAudienceChunks,
} from '../../../src/store/neo4j/cypher/audiences.js';
import { blockMembers } from '../../../src/store/neo4j/cypher/blocks.js';
import { decisionsFor } from '../../../src/store/neo4j/cypher/decisions.js';
import {
  dropUnusedBlocks,
  dropUnusedIdentifiers,
  eventsMentioning,
  mergedIntoAny,
  profilesOfRecords,
  rewriteEvents,
  tracesOf,
} from '../../../src/store/neo4j/cypher/erasure.js';
import { event, eventsOf, eventsPage } from '../../../src/store/neo4j/cypher/events.js';
import { holdersOf, identifierHolders, sharedAmong, sharedCount } from '../../../src/store/neo4j/cypher/identifiers.js';
import {
  claimTurn,
  commitGuard,
  currentRules,
  lastCommit,
  lockMeta,
  releaseTurn,
} from '../../../src/store/neo4j/cypher/meta.js';
import {
  currentProfileIds,
  findProfile,
  issuedProfileIds,
  liveProfiles,
  profileIdsOf,
  profileIdsPage,
  profileRecordLists,
  profilesChangedSince,
  profilesHolding,
  profilesPage,
  reachRecords,
} from '../../../src/store/neo4j/cypher/profile-reads.js';
import { recordData, recordsPage } from '../../../src/store/neo4j/cypher/records.js';
import { reviewCount, reviewItemsById, reviewItemsOf, reviewPage } from '../../../src/store/neo4j/cypher/review.js';
import { ping, uniqueProperties } from '../../../src/store/neo4j/cypher/schema.js';
import { scopeRound } from '../../../src/store/neo4j/cypher/scope-round.js';
import { rememberSourceState, sourceState } from '../../../src/store/neo4j/cypher/source-states.js';
import { cypher, int } from '../../../src/store/neo4j/cypher/statement.js';
import { formatStatement, formatStatements } from './format-statements.js';

const ANN = identifierKey('email', 'ann@x.co');

describe('the statements around a commit', () => {
  it("lock Meta, read lastCommit and the turn, and move them on in a commit's first statement (with the rules of a rules change)", () => {
    const at = '2026-01-02T03:04:05.000Z';
    expect(
      formatStatements([
        commitGuard({ commit: 4, at, rules: undefined }, 'writer-a'),
        commitGuard({ commit: 5, at, rules: { version: 'r2', text: "rules: [] # it's new" } }, 'writer-a'),
      ]),
    ).toMatchInlineSnapshot(`
      "// commitGuard
      MERGE (m:Meta {id: 'meta'}) ON CREATE SET m.lastCommit = 0
      SET m.lockedAt = $at
      WITH m
      WITH m, m.lastCommit AS last, m.turnHolder = $writer AS ownTurn,
           coalesce(m.turnHolder <> $writer AND m.turnUntil > timestamp(), false) AS turnTaken
      SET m.lastCommit = $commit,
          m.rulesVersion = coalesce($rulesVersion, m.rulesVersion),
          m.rulesText = coalesce($rulesText, m.rulesText),
          m.turnHolder = CASE WHEN ownTurn THEN null ELSE m.turnHolder END,
          m.turnUntil = CASE WHEN ownTurn THEN null ELSE m.turnUntil END
      RETURN last, turnTaken
      $at = '2026-01-02T03:04:05.000Z'
      $writer = 'writer-a'
      $commit = 4
      $rulesVersion = null
      $rulesText = null

      // commitGuard
      MERGE (m:Meta {id: 'meta'}) ON CREATE SET m.lastCommit = 0
      SET m.lockedAt = $at
      WITH m
      WITH m, m.lastCommit AS last, m.turnHolder = $writer AS ownTurn,
           coalesce(m.turnHolder <> $writer AND m.turnUntil > timestamp(), false) AS turnTaken
      SET m.lastCommit = $commit,
          m.rulesVersion = coalesce($rulesVersion, m.rulesVersion),
          m.rulesText = coalesce($rulesText, m.rulesText),
          m.turnHolder = CASE WHEN ownTurn THEN null ELSE m.turnHolder END,
          m.turnUntil = CASE WHEN ownTurn THEN null ELSE m.turnUntil END
      RETURN last, turnTaken
      $at = '2026-01-02T03:04:05.000Z'
      $writer = 'writer-a'
      $commit = 5
      $rulesVersion = 'r2'
      $rulesText = 'rules: [] # it\\'s new'"
    `);
  });

  it("claim the turn for a writer by the server's clock (after lockMeta), and give it up", () => {
    expect(
      formatStatements([lockMeta('2026-01-02T03:04:05.000Z'), claimTurn('writer-b', 5_000), releaseTurn('writer-b')]),
    ).toMatchInlineSnapshot(`
      "// lockMeta
      MERGE (m:Meta {id: 'meta'}) ON CREATE SET m.lastCommit = 0 SET m.lockedAt = $at
      $at = '2026-01-02T03:04:05.000Z'

      // claimTurn
      MATCH (m:Meta {id: 'meta'})
      WITH m, timestamp() AS now
      WITH m, now, coalesce(m.turnHolder = $writer OR m.turnUntil <= now, true) AS free
      SET m.turnHolder = CASE WHEN free THEN $writer ELSE m.turnHolder END,
          m.turnUntil = CASE WHEN free THEN now + $leaseMs ELSE m.turnUntil END
      RETURN free AS claimed, CASE WHEN free THEN 0 ELSE m.turnUntil - now END AS waitMs
      $writer = 'writer-b'
      $leaseMs = 5000

      // releaseTurn
      MATCH (m:Meta {id: 'meta'}) WHERE m.turnHolder = $writer
      SET m.turnHolder = null, m.turnUntil = null
      $writer = 'writer-b'"
    `);
  });

  it('read what erased records used and the events naming them, then rewrite and clean up', () => {
    const refs = ['crm:c1', 'web:s1'];
    expect(
      formatStatements([
        tracesOf(refs),
        profilesOfRecords(refs),
        eventsMentioning(['p1', 'p0'], refs),
        mergedIntoAny(['p1', 'p0']),
        rewriteEvents([{ id: 'e1', data: '{"id":"e1","records":[]}' }]),
        dropUnusedIdentifiers([ANN]),
        dropUnusedBlocks(['n:ann']),
      ]),
    ).toMatchInlineSnapshot(`
      "// tracesOf
      UNWIND $refs AS ref
      MATCH (r:Record {ref: ref})
      OPTIONAL MATCH (r)-[:HAS_IDENTIFIER]->(i:Identifier)
      OPTIONAL MATCH (r)-[:IN_BLOCK]->(b:Block)
      RETURN collect(DISTINCT i.key) AS identifiers, collect(DISTINCT b.key) AS blocks
      $refs = ['crm:c1', 'web:s1']

      // profilesOfRecords
      UNWIND $refs AS ref
      MATCH (:Record {ref: ref})<-[:HAS_RECORD]-(p:Profile)
      RETURN collect(DISTINCT p.id) AS ids
      $refs = ['crm:c1', 'web:s1']

      // eventsMentioning
      UNWIND $ids AS id
      MATCH (e:Event)-[:CHANGED]->(:Profile {id: id})
      WHERE any(ref IN $quoted WHERE e.data CONTAINS ref)
      WITH DISTINCT e
      MATCH (e)-[:CHANGED]->(p:Profile)
      RETURN e.id AS id, e.data AS data, collect(p.id) AS profiles
      $ids = ['p1', 'p0']
      $quoted = ['"crm:c1"', '"web:s1"']

      // mergedIntoAny
      UNWIND $ids AS id
      MATCH (m:Profile)-[:MERGED_INTO]->(:Profile {id: id})
      RETURN collect(DISTINCT m.id) AS ids
      $ids = ['p1', 'p0']

      // rewriteEvents
      UNWIND $rows AS row MATCH (e:Event {id: row.id}) SET e.data = row.data
      $rows[0] = {id: 'e1', data: '{"id":"e1","records":[]}'}

      // dropUnusedIdentifiers
      UNWIND $keys AS key
      MATCH (i:Identifier {key: key})
      WHERE NOT (i)<-[:HAS_IDENTIFIER]-() AND NOT coalesce(i.shared, false)
      DELETE i
      $keys = ['email\\u0001ann@x.co']

      // dropUnusedBlocks
      UNWIND $keys AS key
      MATCH (b:Block {key: key})
      WHERE NOT (b)<-[:IN_BLOCK]-()
      DELETE b
      $keys = ['n:ann']"
    `);
  });
});

describe('the reads', () => {
  it('of records, identifiers and blocks send each key once', () => {
    expect(
      formatStatements([
        recordData(['crm:c1', 'crm:c2', 'crm:c1']),
        recordsPage('crm:c2', 5_000),
        holdersOf([ANN, ANN]),
        sharedAmong([ANN]),
        sharedCount(),
        blockMembers(['n:ann', 'n:ann']),
      ]),
    ).toMatchInlineSnapshot(`
      "// recordData
      UNWIND $refs AS ref MATCH (r:Record {ref: ref}) RETURN r.ref AS ref, r.data AS data
      $refs = ['crm:c1', 'crm:c2']

      // recordsPage
      MATCH (r:Record) WHERE r.ref > $after RETURN r.ref AS ref, r.data AS data ORDER BY r.ref LIMIT $limit
      $after = 'crm:c2'
      $limit = 5000

      // holdersOf
      UNWIND $keys AS key
      MATCH (:Identifier {key: key})<-[x:HAS_IDENTIFIER]-(r:Record)
      WITH key, x, r ORDER BY x.commit, x.n
      RETURN key, collect(r.ref) AS refs
      $keys = ['email\\u0001ann@x.co']

      // sharedAmong
      UNWIND $keys AS key MATCH (i:Identifier {key: key}) WHERE i.shared = true RETURN key
      $keys = ['email\\u0001ann@x.co']

      // sharedCount
      MATCH (i:Identifier) WHERE i.shared = true RETURN count(i) AS n

      // blockMembers
      UNWIND $keys AS key
      MATCH (:Block {key: key})<-[x:IN_BLOCK]-(r:Record)
      WITH key, x, r ORDER BY x.commit, x.n
      WITH key, collect(r.ref) AS refs
      RETURN key, refs
      $keys = ['n:ann']"
    `);
  });

  it('of the commit path read holders with shared marks, and records with their profiles, one statement each', () => {
    expect(
      formatStatements([
        identifierHolders([ANN, ANN]),
        reachRecords(['crm:c1', 'crm:c2', 'crm:c1']),
        scopeRound([ANN, ANN], ['n:ann', 'n:ann'], {
          mostHolders: 50,
          haveRecords: new Set(['crm:c1']),
          haveProfiles: new Set(['crm:c2']),
        }),
      ]),
    ).toMatchInlineSnapshot(`
      "// identifierHolders
      UNWIND $keys AS key
      MATCH (i:Identifier {key: key})
      CALL (i) {
        OPTIONAL MATCH (i)<-[x:HAS_IDENTIFIER]-(r:Record)
        WITH x, r ORDER BY x.commit, x.n
        RETURN collect(r.ref) AS refs
      }
      RETURN key, refs, coalesce(i.shared, false) AS shared
      $keys = ['email\\u0001ann@x.co']

      // reachRecords
      UNWIND $refs AS ref
      MATCH (:Record {ref: ref})<-[:HAS_RECORD]-(p:Profile)
      WITH p, collect(ref) AS refs
      CALL (p) {
        OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
        WITH h, r ORDER BY h.i
        RETURN collect(r.ref) AS records
      }
      RETURN refs, p.retired = false AS live, p.id AS id, p.seq AS seq, p.edges AS edges, records
      $refs = ['crm:c1', 'crm:c2']

      // scopeRound
      CALL () {
        UNWIND $keys AS key
        MATCH (i:Identifier {key: key})
        CALL (i) {
          OPTIONAL MATCH (i)<-[x:HAS_IDENTIFIER]-(r:Record)
          WITH x, r ORDER BY x.commit, x.n
          RETURN collect(r.ref) AS refs
        }
        RETURN collect({key: key, refs: refs, shared: coalesce(i.shared, false)}) AS holding
      }
      CALL () {
        UNWIND $blocks AS key
        MATCH (:Block {key: key})<-[x:IN_BLOCK]-(r:Record)
        WITH key, x, r ORDER BY x.commit, x.n
        WITH key, collect(r.ref) AS refs
        RETURN collect({key: key, refs: refs}) AS members
      }
      CALL (holding) {
        UNWIND [held IN holding WHERE size(held.refs) <= $mostHolders] AS held
        UNWIND held.refs AS ref
        WITH DISTINCT ref
        WHERE NOT ref IN $haveProfiles
        MATCH (:Record {ref: ref})<-[:HAS_RECORD]-(p:Profile)
        WITH DISTINCT p
        CALL (p) {
          OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
          WITH h, r ORDER BY h.i
          RETURN collect(r.ref) AS records, collect(CASE WHEN r.ref IN $haveRecords THEN null ELSE r.data END) AS data
        }
        RETURN collect({id: p.id, live: p.retired = false, seq: p.seq, edges: p.edges, records: records, data: data})
          AS profiles
      }
      CALL (members) {
        UNWIND members AS block
        UNWIND block.refs AS ref
        WITH DISTINCT ref
        WHERE NOT ref IN $haveRecords
        MATCH (r:Record {ref: ref})
        RETURN collect([r.ref, r.data]) AS memberData
      }
      RETURN holding, members, profiles, memberData
      $keys = ['email\\u0001ann@x.co']
      $blocks = ['n:ann']
      $mostHolders = 50
      $haveRecords = ['crm:c1']
      $haveProfiles = ['crm:c2']"
    `);
  });

  it('of profiles return the same columns, and follow MERGED_INTO to the live survivor', () => {
    expect(
      formatStatements([
        liveProfiles(['P1', 'P2', 'P1']),
        profileRecordLists(['P1']),
        issuedProfileIds(['P1', 'P9']),
        profileIdsOf(['crm:c1']),
        findProfile('P3'),
        currentProfileIds(['P3', 'P4']),
        profilesHolding([ANN, ANN]),
        profilesPage('P1', 5_000),
        profileIdsPage('P1', 5_000),
        profilesChangedSince(12),
      ]),
    ).toMatchInlineSnapshot(`
      "// liveProfiles
      UNWIND $ids AS id MATCH (p:Profile {id: id}) WHERE p.retired = false
      OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
      WITH p, h, r ORDER BY h.i
      WITH p, [ref IN collect(r.ref) WHERE ref IS NOT NULL] AS records
      RETURN p.id AS id, p.seq AS seq, p.edges AS edges, records
      $ids = ['P1', 'P2']

      // profileRecordLists
      UNWIND $ids AS id MATCH (p:Profile {id: id}) WHERE p.retired = false
      OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
      WITH p, h, r ORDER BY h.i
      WITH p, [ref IN collect(r.ref) WHERE ref IS NOT NULL] AS records
      RETURN p.id AS id, records
      $ids = ['P1']

      // issuedProfileIds
      UNWIND $ids AS id MATCH (p:Profile {id: id}) RETURN id
      $ids = ['P1', 'P9']

      // profileIdsOf
      UNWIND $refs AS ref MATCH (p:Profile)-[:HAS_RECORD]->(:Record {ref: ref}) RETURN ref, p.id AS id
      $refs = ['crm:c1']

      // findProfile
      MATCH (start:Profile {id: $id})
      CALL (start) {
        MATCH path = (start)-[:MERGED_INTO*0..1000]->(p:Profile)
        WHERE p.retired = false OR p.mergedInto IS NULL
        RETURN p ORDER BY length(path) LIMIT 1
      }
      WITH p WHERE p.retired = false
      OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
      WITH p, h, r ORDER BY h.i
      WITH p, [ref IN collect(r.ref) WHERE ref IS NOT NULL] AS records
      RETURN p.id AS id, p.seq AS seq, p.edges AS edges, records
      $id = 'P3'

      // currentProfileIds
      UNWIND $ids AS id
      MATCH (start:Profile {id: id})
      CALL (start) {
        MATCH path = (start)-[:MERGED_INTO*0..1000]->(p:Profile)
        WHERE p.retired = false OR p.mergedInto IS NULL
        RETURN p ORDER BY length(path) LIMIT 1
      }
      WITH id, p WHERE p.retired = false
      RETURN id, p.id AS current
      $ids = ['P3', 'P4']

      // profilesHolding
      UNWIND $keys AS key
      MATCH (:Identifier {key: key})<-[x:HAS_IDENTIFIER]-(:Record)<-[:HAS_RECORD]-(p:Profile)
      WITH key, x, p ORDER BY x.commit, x.n
      RETURN key, collect(p.id) AS ids
      $keys = ['email\\u0001ann@x.co']

      // profilesPage
      MATCH (p:Profile) WHERE p.id > $after AND p.retired = false
      WITH p ORDER BY p.id LIMIT $limit
      OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
      WITH p, h, r ORDER BY h.i
      WITH p, [ref IN collect(r.ref) WHERE ref IS NOT NULL] AS records
      RETURN p.id AS id, p.seq AS seq, p.edges AS edges, records
      ORDER BY id
      $after = 'P1'
      $limit = 5000

      // profileIdsPage
      MATCH (p:Profile) WHERE p.id > $after
      RETURN p.id AS id ORDER BY id LIMIT $limit
      $after = 'P1'
      $limit = 5000

      // profilesChangedSince
      MATCH (p:Profile) WHERE p.changed > $commit
      RETURN p.id AS id
      $commit = 12"
    `);
  });

  it('of history, decisions, Meta and the schema', () => {
    expect(
      formatStatements([
        eventsOf('P1'),
        eventsPage({ commit: 3, n: 7 }, 5_000),
        event('e1'),
        decisionsFor(['crm:c1', 'crm:c1']),
        lastCommit(),
        currentRules(),
        ping(),
        uniqueProperties(),
      ]),
    ).toMatchInlineSnapshot(`
      "// eventsOf
      MATCH (e:Event)-[:CHANGED]->(:Profile {id: $id})
      RETURN e.data AS data ORDER BY e.commit, e.n
      $id = 'P1'

      // eventsPage
      MATCH (e:Event) WHERE e.commit > $commit OR (e.commit = $commit AND e.n > $n)
      WITH e ORDER BY e.commit, e.n LIMIT $limit
      RETURN e.commit AS commit, e.n AS n, e.data AS data
      $commit = 3
      $n = 7
      $limit = 5000

      // event
      MATCH (e:Event {id: $id}) RETURN e.data AS data
      $id = 'e1'

      // decisionsFor
      CALL () {
        UNWIND $refs AS ref
        MATCH (:DecisionRef {ref: ref})<-[:CONCERNS]-(d:Decision)
        RETURN d
        UNION
        MATCH (d:Decision) WHERE d.refs IS NOT NULL AND any(ref IN d.refs WHERE ref IN $refs)
        RETURN d
      }
      RETURN d.data AS data ORDER BY d.commit, d.n
      $refs = ['crm:c1']

      // lastCommit
      OPTIONAL MATCH (m:Meta {id: 'meta'}) RETURN coalesce(m.lastCommit, 0) AS last

      // currentRules
      MATCH (m:Meta {id: 'meta'}) WHERE m.rulesText IS NOT NULL
      RETURN m.rulesVersion AS version, m.rulesText AS text

      // ping
      RETURN 1

      // uniqueProperties
      SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties
      WHERE type IN ['UNIQUENESS', 'NODE_KEY', 'NODE_PROPERTY_UNIQUENESS']
        AND size(labelsOrTypes) = 1 AND size(properties) = 1
      RETURN labelsOrTypes[0] + '.' + properties[0] AS enforced"
    `);
  });
});

describe('the review queue reads', () => {
  it('look items up by either record with an index seek each, and filter and page the queue in queue order', () => {
    expect(
      formatStatements([
        reviewItemsOf(['crm:c1', 'crm:c2', 'crm:c1']),
        reviewItemsById(['r_1', 'r_1']),
        reviewPage({ status: 'open', kind: 'score_band', offset: 50, limit: 25 }),
        reviewCount({ rule: 'names' }),
      ]),
    ).toMatchInlineSnapshot(`
      "// reviewItemsOf
      UNWIND $refs AS ref
      MATCH (i:ReviewItem {a: ref})
      RETURN i.id AS id, i.data AS data
      UNION
      UNWIND $refs AS ref
      MATCH (i:ReviewItem {b: ref})
      RETURN i.id AS id, i.data AS data
      $refs = ['crm:c1', 'crm:c2']

      // reviewItemsById
      UNWIND $ids AS id
      MATCH (i:ReviewItem {id: id})
      RETURN i.id AS id, i.data AS data
      $ids = ['r_1']

      // reviewPage
      MATCH (i:ReviewItem)
      WHERE ($status IS NULL OR i.status = $status) AND ($rule IS NULL OR i.rule = $rule)
        AND ($kind IS NULL OR i.kind = $kind)
      RETURN i.data AS data ORDER BY i.createdCommit, i.id SKIP $offset LIMIT $limit
      $status = 'open'
      $rule = null
      $kind = 'score_band'
      $offset = 50
      $limit = 25

      // reviewCount
      MATCH (i:ReviewItem)
      WHERE ($status IS NULL OR i.status = $status) AND ($rule IS NULL OR i.rule = $rule)
        AND ($kind IS NULL OR i.kind = $kind)
      RETURN count(i) AS total
      $status = null
      $rule = 'names'
      $kind = null"
    `);
  });
});

describe('the watermarks of incremental sources', () => {
  it('are read and replaced by source, one node each', () => {
    expect(
      formatStatements([
        sourceState('crm'),
        rememberSourceState({
          source: 'crm',
          origin: 'postgresql://db:5432/shop#table:customers',
          column: 'updated_at',
          watermark: '2024-03-04 09:00:00+00',
          at: '2026-01-02T03:04:05.000Z',
        }),
      ]),
    ).toMatchInlineSnapshot(`
      "// sourceState
      MATCH (s:SourceState {source: $source})
      RETURN s.origin AS origin, s.column AS column, s.watermark AS watermark, s.at AS at
      $source = 'crm'

      // rememberSourceState
      MERGE (s:SourceState {source: $source})
      SET s.origin = $origin, s.column = $column, s.watermark = $watermark, s.at = $at
      $source = 'crm'
      $origin = 'postgresql://db:5432/shop#table:customers'
      $column = 'updated_at'
      $watermark = '2024-03-04 09:00:00+00'
      $at = '2026-01-02T03:04:05.000Z'"
    `);
  });
});

describe('the audiences', () => {
  const spring = {
    id: 'spring',
    name: 'Spring sale',
    createdAt: '2026-03-01T10:00:00.000Z',
    suppress: ['buyers'],
    rows: 3,
    rowsRejected: 1,
    rejectedByReason: { NO_MEMBER_COLUMNS: 1 },
  };
  const chunk = { n: 0, members: ['{"kind":"profile","line":1,"profileId":"p_1"}'] };

  it("write a version's chunks, then switch to it under the audience's lock once all are there", () => {
    expect(
      formatStatements([
        writeAudienceChunks('spring', 'v2', [chunk], 1_700_000_000_000),
        lockAudience('spring', 1_700_000_000_001),
        countAudienceChunks('spring', 'v2'),
        switchAudience(spring, 'v2', 1),
        deleteAudienceChunks('spring', 'v1', 50),
        sweepAudienceChunks(1_699_999_100_000, 50),
      ]),
    ).toMatchInlineSnapshot(`
      "// writeAudienceChunks
      UNWIND $chunks AS chunk
      CREATE (:AudienceChunk {audience: $id, version: $version, n: chunk.n, members: chunk.members, at: $at})
      $id = 'spring'
      $version = 'v2'
      $at = 1700000000000
      $chunks[0] = {n: 0, members: ['{"kind":"profile","line":1,"profileId":"p_1"}']}

      // lockAudience
      MERGE (a:Audience {id: $id}) ON CREATE SET a.version = '', a.chunks = 0
      SET a.lockedAt = $at
      RETURN a.version AS version, a.data AS data
      $id = 'spring'
      $at = 1700000000001

      // countAudienceChunks
      MATCH (c:AudienceChunk {audience: $id, version: $version}) RETURN count(c) AS chunks
      $id = 'spring'
      $version = 'v2'

      // switchAudience
      MATCH (a:Audience {id: $id})
      SET a.version = $version, a.chunks = $chunks, a.data = $data,
          a.name = $name, a.createdAt = $createdAt, a.rows = $rows
      $id = 'spring'
      $version = 'v2'
      $chunks = 1
      $data = '{"id":"spring","name":"Spring sale","createdAt":"2026-03-01T10:00:00.000Z","suppress":["buyers"],"rows":3,"rowsRejected":1,"rejectedByReason":{"NO_MEMBER_COLUMNS":1}}'
      $name = 'Spring sale'
      $createdAt = '2026-03-01T10:00:00.000Z'
      $rows = 3

      // deleteAudienceChunks
      MATCH (c:AudienceChunk {audience: $id, version: $version})
      WITH c LIMIT $limit
      DELETE c
      RETURN count(*) AS deleted
      $id = 'spring'
      $version = 'v1'
      $limit = 50

      // sweepAudienceChunks
      MATCH (c:AudienceChunk) WHERE c.at < $before
      OPTIONAL MATCH (a:Audience {id: c.audience})
      WITH c, a WHERE a IS NULL OR a.version <> c.version
      WITH c LIMIT $limit
      DELETE c
      RETURN count(*) AS deleted
      $before = 1699999100000
      $limit = 50"
    `);
  });

  it("read definitions, then a version's chunks a page at a time in order", () => {
    expect(
      formatStatements([
        audience('spring'),
        audiences(),
        audienceVersion('spring'),
        audienceChunksPage('spring', 'v2', 10, 10),
      ]),
    ).toMatchInlineSnapshot(`
      "// audience
      MATCH (a:Audience {id: $id}) RETURN a.data AS data
      $id = 'spring'

      // audiences
      MATCH (a:Audience) RETURN a.data AS data ORDER BY a.id

      // audienceVersion
      MATCH (a:Audience {id: $id}) RETURN a.version AS version, a.chunks AS chunks
      $id = 'spring'

      // audienceChunksPage
      MATCH (c:AudienceChunk {audience: $id, version: $version}) WHERE c.n >= $from
      RETURN c.n AS n, c.members AS members ORDER BY c.n LIMIT $limit
      $id = 'spring'
      $version = 'v2'
      $from = 10
      $limit = 10"
    `);
  });

  it('rewrite the chunks holding erased rows, remove an audience with its segment, and keep segments', () => {
    const saved = {
      id: 'gb',
      name: 'GB',
      conditions: [{ kind: 'has' as const, type: 'phone' }],
      audit: [{ at: '2026-03-01T00:00:00.000Z', actor: 'user:ann', action: 'created' as const }],
      resolvedCommit: 7,
      resolvedAt: '2026-03-01T00:00:00.000Z',
    };
    expect(
      formatStatements([
        lockExistingAudience('spring', 1_700_000_000_002),
        audienceChunks('spring', 'v2', [0, 3]),
        rewriteAudienceChunks({ ...spring, rows: 2 }, [{ n: 0, members: [] }]),
        removeAudience('spring'),
        segment('gb'),
        segments(),
        putSegment(saved),
      ]),
    ).toMatchInlineSnapshot(`
      "// lockExistingAudience
      MATCH (a:Audience {id: $id})
      SET a.lockedAt = $at
      RETURN a.version AS version, a.data AS data
      $id = 'spring'
      $at = 1700000000002

      // audienceChunks
      MATCH (c:AudienceChunk {audience: $id, version: $version}) WHERE c.n IN $ns
      RETURN c.n AS n, c.members AS members ORDER BY c.n
      $id = 'spring'
      $version = 'v2'
      $ns = [0, 3]

      // rewriteAudienceChunks
      MATCH (a:Audience {id: $id})
      SET a.data = $data, a.rows = $rows
      WITH a
      UNWIND $chunks AS chunk
      MATCH (c:AudienceChunk {audience: $id, version: a.version, n: chunk.n})
      SET c.members = chunk.members
      $id = 'spring'
      $data = '{"id":"spring","name":"Spring sale","createdAt":"2026-03-01T10:00:00.000Z","suppress":["buyers"],"rows":2,"rowsRejected":1,"rejectedByReason":{"NO_MEMBER_COLUMNS":1}}'
      $rows = 2
      $chunks[0] = {n: 0, members: []}

      // removeAudience
      MATCH (a:Audience {id: $id})
      OPTIONAL MATCH (s:Segment {id: $id})
      WITH a, s, a.version AS version
      DELETE a, s
      RETURN version
      $id = 'spring'

      // segment
      MATCH (s:Segment {id: $id}) RETURN s.data AS data
      $id = 'gb'

      // segments
      MATCH (s:Segment) RETURN s.data AS data ORDER BY s.id

      // putSegment
      MERGE (s:Segment {id: $id})
      SET s.data = $data, s.name = $name, s.resolvedCommit = $resolvedCommit
      $id = 'gb'
      $data = '{"id":"gb","name":"GB","conditions":[{"kind":"has","type":"phone"}],"audit":[{"at":"2026-03-01T00:00:00.000Z","actor":"user:ann","action":"created"}],"resolvedCommit":7,"resolvedAt":"2026-03-01T00:00:00.000Z"}'
      $name = 'GB'
      $resolvedCommit = 7"
    `);
  });
});

describe('statement text and the snapshot format', () => {
  it('drops the source indentation and puts shared fragments in as they are', () => {
    const fragment = cypher`
      WITH p
      RETURN p`;
    expect(cypher`
      MATCH (p)
        WHERE p.id = $id
      ${fragment}
    `).toBe('MATCH (p)\n  WHERE p.id = $id\nWITH p\nRETURN p');
  });

  it('tells a Cypher integer from the float a JS number is sent as', () => {
    expect(formatStatement({ name: 'x', cypher: 'RETURN $a, $b', params: { a: int(7), b: 7, c: "it's\u0001" } })).toBe(
      "// x\nRETURN $a, $b\n$a = 7\n$b = 7.0\n$c = 'it\\'s\\u0001'",
    );
  });
});
