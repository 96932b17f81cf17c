/**
 * The statements a commit sends to Neo4j, pinned as text and parameters (no database): an everyday
 * commit, the bulk first load, a rules change and an erasure. The same statements run against a real
 * server in ../neo4j-store.test.ts; here a diff shows when one of them changes.
 */
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../src/codec/record-codec.js';
import type { ProfileEvent } from '../../../src/core/resolve/events.js';
import type { ChangeSet } from '../../../src/store/graph-store.js';
import { changeStatements } from '../../../src/store/neo4j/cypher/change-statements.js';
import { BATCH } from '../../../src/store/neo4j/cypher/statement.js';
import { changeSet } from '../../support/change-set.js';
import { record } from '../../support/records.js';
import { formatStatements } from './format-statements.js';

const AT = '2026-01-02T03:04:05.000Z';

const none: ChangeSet = changeSet({ commit: 1, at: AT, rulesVersion: 'r1' });

const event = (id: string, fields: Partial<ProfileEvent>): ProfileEvent => ({
  id,
  kind: 'profile_created',
  at: AT,
  actor: 'engine',
  rulesVersion: 'r1',
  before: [],
  after: [],
  records: [],
  evidence: [],
  ...fields,
});

describe('the statements of a commit', () => {
  it('are none for a change set that changes nothing (the Meta statements around them aside)', () => {
    expect([...changeStatements(none)]).toEqual([]);
  });

  it('update records, profiles, shared values, decisions and history in an everyday commit', () => {
    const change: ChangeSet = {
      ...none,
      commit: 7,
      upserts: [
        // An identifier listed twice is linked once, and a block key given twice is one block.
        { record: record('crm:c1', ['email=ann@x.co', 'email=ann@x.co', 'phone=+447911123456']), blockKeys: ['n:ann'] },
        { record: record('web:s1', ['cookie=ck-1'], {}, 1_700_000_000_000), blockKeys: ['n:ann', 'n:ann'] },
      ],
      staleBlockKeys: [
        { ref: 'crm:c1', keys: ['n:anne'] },
        { ref: 'web:s1', keys: [] },
      ],
      removals: ['crm:c9'],
      retired: [{ id: 'P3', mergedInto: 'P1' }, { id: 'P4' }],
      profiles: [
        {
          id: 'P1',
          seq: 1,
          records: ['crm:c1', 'web:s1'],
          edges: [{ a: 'crm:c1', b: 'web:s1', rule: 'email', evidence: [{ field: 'email', values: ['ann@x.co'] }] }],
        },
      ],
      shared: [{ identifier: 'phone\u0001+447911123456', shared: true }],
      decisionsRemoved: ['d0'],
      decisionsAdded: [
        { decision: { id: 'd1', kind: 'force_link', a: 'crm:c1', b: 'web:s1' }, actor: 'user:ann', at: AT },
        {
          decision: { id: 'd2', kind: 'keep_apart', sideA: ['crm:c1'], sideB: ['crm:c2', 'crm:c3'] },
          actor: 'user:ann',
          at: AT,
          note: 'two people',
        },
      ],
      events: [event('e1', { kind: 'merge', before: ['P1', 'P3'], after: ['P1'], records: ['web:s1'], rule: 'email' })],
    };
    expect(formatStatements(changeStatements(change))).toMatchInlineSnapshot(`
      "// unlinkStaleBlocks
      UNWIND $rows AS row
      MATCH (r:Record {ref: row.ref})-[x:IN_BLOCK]->(b:Block)
      WHERE b.key IN row.keys
      DELETE x
      $rows[0] = {ref: 'crm:c1', keys: ['n:anne']}

      // removeRecords
      UNWIND $rows AS ref
      MATCH (r:Record {ref: ref})
      DETACH DELETE r
      $rows = ['crm:c9']

      // upsertRecords
      UNWIND $rows AS row
      MERGE (r:Record {ref: row.ref})
      SET r.source = row.source, r.recordId = row.recordId, r.ts = row.ts, r.data = row.data
      WITH r, row
      CALL (r) {
        MATCH (r)-[x:HAS_IDENTIFIER]->()
        DELETE x
      }
      CALL (r, row) {
        UNWIND row.ids AS id
        MERGE (i:Identifier {key: id.key})
          ON CREATE SET i.type = id.type, i.matchKey = id.matchKey, i.shared = false
        CREATE (r)-[:HAS_IDENTIFIER {commit: $commit, n: row.n}]->(i)
      }
      CALL (r, row) {
        UNWIND row.blocks AS key
        MERGE (b:Block {key: key})
        MERGE (r)-[x:IN_BLOCK]->(b)
          ON CREATE SET x.commit = $commit, x.n = row.n
      }
      $commit = 7
      $rows[0] = {ref: 'crm:c1', source: 'crm', recordId: 'c1', ts: 0, data: '[0,[["email","ann@x.co"],["email","ann@x.co"],["phone","+447911123456"]],[],{}]', ids: [{key: 'email\\u0001ann@x.co', type: 'email', matchKey: 'ann@x.co'}, {key: 'phone\\u0001+447911123456', type: 'phone', matchKey: '+447911123456'}], blocks: ['n:ann'], n: 0}
      $rows[1] = {ref: 'web:s1', source: 'web', recordId: 's1', ts: 1700000000000, data: '[1700000000000,[["cookie","ck-1"]],[],{}]', ids: [{key: 'cookie\\u0001ck-1', type: 'cookie', matchKey: 'ck-1'}], blocks: ['n:ann'], n: 1}

      // retireProfiles
      UNWIND $rows AS row
      MERGE (p:Profile {id: row.id})
      SET p.retired = true, p.mergedInto = row.mergedInto, p.edges = null, p.size = 0, p.changed = $commit
      WITH p
      OPTIONAL MATCH (p)-[m:MERGED_INTO]->()
      DELETE m
      WITH DISTINCT p
      MATCH (p)-[h:HAS_RECORD]->()
      DELETE h
      $commit = 7
      $rows[0] = {id: 'P3', mergedInto: 'P1'}
      $rows[1] = {id: 'P4', mergedInto: null}

      // redirectProfiles
      UNWIND $rows AS row
      MATCH (p:Profile {id: row.id})
      MERGE (survivor:Profile {id: row.mergedInto})
      CREATE (p)-[:MERGED_INTO]->(survivor)
      $rows[0] = {id: 'P3', mergedInto: 'P1'}

      // upsertProfiles
      UNWIND $rows AS row
      MERGE (p:Profile {id: row.id})
      SET p.seq = row.seq, p.retired = false, p.mergedInto = null, p.edges = row.edges, p.size = size(row.records),
          p.changed = $commit
      WITH p, row
      CALL (p) {
        MATCH (p)-[m:MERGED_INTO]->()
        DELETE m
      }
      CALL (p, row) {
        MATCH (p)-[h:HAS_RECORD]->(r:Record)
        WHERE NOT r.ref IN row.records
        DELETE h
      }
      CALL (p, row) {
        UNWIND range(0, size(row.records) - 1) AS i
        MATCH (r:Record {ref: row.records[i]})
        CALL (p, r) {
          MATCH (r)<-[h:HAS_RECORD]-(other)
          WHERE other <> p
          DELETE h
        }
        OPTIONAL MATCH (p)-[kept:HAS_RECORD]->(r)
        FOREACH (moved IN CASE WHEN kept.i <> i THEN [kept] ELSE [] END | SET moved.i = i)
        WITH p, r, i, kept
        WHERE kept IS NULL
        CREATE (p)-[:HAS_RECORD {i: i}]->(r)
      }
      $commit = 7
      $rows[0] = {id: 'P1', seq: 1, edges: '[{"a":"crm:c1","b":"web:s1","rule":"email","evidence":[{"field":"email","values":["ann@x.co"]}]}]', records: ['crm:c1', 'web:s1']}

      // markShared
      UNWIND $rows AS row
      MERGE (i:Identifier {key: row.key})
        ON CREATE SET i.type = row.type, i.matchKey = row.matchKey
      SET i.shared = row.shared
      $rows[0] = {key: 'phone\\u0001+447911123456', type: 'phone', matchKey: '+447911123456', shared: true}

      // removeDecisions
      UNWIND $rows AS id
      MATCH (d:Decision {id: id})
      OPTIONAL MATCH (d)-[:CONCERNS]->(x:DecisionRef)
      DETACH DELETE d, x
      $rows = ['d0']

      // addDecisions
      UNWIND $rows AS row
      MERGE (d:Decision {id: row.id})
      SET d.kind = row.kind, d.actor = row.actor, d.at = row.at, d.data = row.data, d.commit = $commit,
          d.n = row.n
      FOREACH (ref IN row.refs | MERGE (d)-[:CONCERNS]->(:DecisionRef {ref: ref}))
      $commit = 7
      $rows[0] = {id: 'd1', kind: 'force_link', actor: 'user:ann', at: '2026-01-02T03:04:05.000Z', refs: ['crm:c1', 'web:s1'], data: '{"decision":{"id":"d1","kind":"force_link","a":"crm:c1","b":"web:s1"},"actor":"user:ann","at":"2026-01-02T03:04:05.000Z"}', n: 0}
      $rows[1] = {id: 'd2', kind: 'keep_apart', actor: 'user:ann', at: '2026-01-02T03:04:05.000Z', refs: ['crm:c1', 'crm:c2', 'crm:c3'], data: '{"decision":{"id":"d2","kind":"keep_apart","sideA":["crm:c1"],"sideB":["crm:c2","crm:c3"]},"actor":"user:ann","at":"2026-01-02T03:04:05.000Z","note":"two people"}', n: 1}

      // createEvents
      UNWIND $rows AS row
      CREATE (e:Event {id: row.id, commit: $commit, n: row.n, kind: row.kind, at: row.at, actor: row.actor,
                       rule: row.rule, data: row.data})
      WITH e, row
      UNWIND row.profiles AS profileId
      MATCH (p:Profile {id: profileId})
      CREATE (e)-[:CHANGED]->(p)
      $commit = 7
      $rows[0] = {id: 'e1', kind: 'merge', at: '2026-01-02T03:04:05.000Z', actor: 'engine', rule: 'email', data: '{"id":"e1","kind":"merge","at":"2026-01-02T03:04:05.000Z","actor":"engine","rulesVersion":"r1","before":["P1","P3"],"after":["P1"],"records":["web:s1"],"evidence":[],"rule":"email"}', profiles: ['P1', 'P3'], n: 0}"
    `);
  });

  it('create everything on the bulk first load, taking the encodings and JSON the bulk path made', () => {
    const c1 = record('crm:c1', ['email=ann@x.co']);
    const c2 = record('crm:c2', ['email=ann@x.co', 'phone=+447911123456']);
    const created = event('e1', { after: ['P1'], records: ['crm:c1', 'crm:c2'] });
    const change: ChangeSet = {
      ...none,
      firstLoad: true,
      upserts: [
        {
          record: c1,
          blockKeys: ['n:ann'],
          packed: { ref: c1.ref, encoded: encodeRecord(c1), identifierKeys: [], blockHashes: [] },
        },
        {
          record: c2,
          blockKeys: [],
          packed: { ref: c2.ref, encoded: encodeRecord(c2), identifierKeys: [], blockHashes: [] },
        },
      ],
      profiles: [
        {
          id: 'P1',
          seq: 1,
          records: ['crm:c1', 'crm:c2'],
          edges: [],
          json: '{"ignored":"by Neo4j"}',
          edgesJson: '[{"as":"made by the bulk path"}]',
        },
      ],
      events: [{ ...created, json: '{"id":"e1","as":"made by the bulk path"}' }],
    };
    expect(formatStatements(changeStatements(change))).toMatchInlineSnapshot(`
      "// createRecords
      UNWIND $rows AS row
      CREATE (r:Record {ref: row.ref, source: row.source, recordId: row.recordId, ts: row.ts, data: row.data})
      WITH r, row
      CALL (r, row) {
        UNWIND row.ids AS id
        MERGE (i:Identifier {key: id.key})
          ON CREATE SET i.type = id.type, i.matchKey = id.matchKey, i.shared = false
        CREATE (r)-[:HAS_IDENTIFIER {commit: $commit, n: row.n}]->(i)
      }
      CALL (r, row) {
        UNWIND row.blocks AS key
        MERGE (b:Block {key: key})
        CREATE (r)-[:IN_BLOCK {commit: $commit, n: row.n}]->(b)
      }
      $commit = 1
      $rows[0] = {ref: 'crm:c1', source: 'crm', recordId: 'c1', ts: 0, data: '[0,[["email","ann@x.co"]],[],{}]', ids: [{key: 'email\\u0001ann@x.co', type: 'email', matchKey: 'ann@x.co'}], blocks: ['n:ann'], n: 0}
      $rows[1] = {ref: 'crm:c2', source: 'crm', recordId: 'c2', ts: 0, data: '[0,[["email","ann@x.co"],["phone","+447911123456"]],[],{}]', ids: [{key: 'email\\u0001ann@x.co', type: 'email', matchKey: 'ann@x.co'}, {key: 'phone\\u0001+447911123456', type: 'phone', matchKey: '+447911123456'}], blocks: [], n: 1}

      // createProfiles
      UNWIND $rows AS row
      CREATE (:Profile {
        id: row.id, seq: row.seq, retired: false, edges: row.edges, size: size(row.records), changed: $commit
      })
      $commit = 1
      $rows[0] = {id: 'P1', seq: 1, edges: '[{"as":"made by the bulk path"}]', records: ['crm:c1', 'crm:c2']}

      // linkProfileRecords
      UNWIND $rows AS row
      MATCH (p:Profile {id: row.id})
      UNWIND range(0, size(row.records) - 1) AS i
      MATCH (r:Record {ref: row.records[i]})
      CREATE (p)-[:HAS_RECORD {i: i}]->(r)
      $rows[0] = {id: 'P1', seq: 1, edges: '[{"as":"made by the bulk path"}]', records: ['crm:c1', 'crm:c2']}

      // createEvents
      UNWIND $rows AS row
      CREATE (e:Event {id: row.id, commit: $commit, n: row.n, kind: row.kind, at: row.at, actor: row.actor,
                       rule: row.rule, data: row.data})
      WITH e, row
      UNWIND row.profiles AS profileId
      MATCH (p:Profile {id: profileId})
      CREATE (e)-[:CHANGED]->(p)
      $commit = 1
      $rows[0] = {id: 'e1', kind: 'profile_created', at: '2026-01-02T03:04:05.000Z', actor: 'engine', rule: null, data: '{"id":"e1","as":"made by the bulk path"}', profiles: ['P1'], n: 0}"
    `);
  });

  it('remove review items gone, then write the new, changed and decided ones, after the decisions', () => {
    const item = {
      id: 'r_0123456789abcdef0123',
      a: 'crm:c1',
      b: 'crm:c2',
      kind: 'score_band',
      rule: 'names',
      score: 6.5,
      threshold: 8,
      status: 'decided',
      createdCommit: 3,
      createdAt: AT,
      updatedCommit: 9,
      updatedAt: AT,
      decision: { action: 'keep_apart', actor: 'user:kim', at: AT, decisionId: 'd9' },
    } as const;
    const change: ChangeSet = {
      ...none,
      commit: 9,
      decisionsAdded: [
        { decision: { id: 'd9', kind: 'keep_apart', sideA: ['crm:c1'], sideB: ['crm:c2'] }, actor: 'user:kim', at: AT },
      ],
      review: { upserts: [item], removed: ['r_gone'] },
    };
    expect(formatStatements([...changeStatements(change)])).toMatchInlineSnapshot(`
      "// addDecisions
      UNWIND $rows AS row
      MERGE (d:Decision {id: row.id})
      SET d.kind = row.kind, d.actor = row.actor, d.at = row.at, d.data = row.data, d.commit = $commit,
          d.n = row.n
      FOREACH (ref IN row.refs | MERGE (d)-[:CONCERNS]->(:DecisionRef {ref: ref}))
      $commit = 9
      $rows[0] = {id: 'd9', kind: 'keep_apart', actor: 'user:kim', at: '2026-01-02T03:04:05.000Z', refs: ['crm:c1', 'crm:c2'], data: '{"decision":{"id":"d9","kind":"keep_apart","sideA":["crm:c1"],"sideB":["crm:c2"]},"actor":"user:kim","at":"2026-01-02T03:04:05.000Z"}', n: 0}

      // removeReviewItems
      UNWIND $rows AS id
      MATCH (i:ReviewItem {id: id})
      DELETE i
      $rows = ['r_gone']

      // upsertReviewItems
      UNWIND $rows AS row
      MERGE (i:ReviewItem {id: row.id})
      SET i.a = row.a, i.b = row.b, i.status = row.status, i.kind = row.kind, i.rule = row.rule,
          i.createdCommit = row.createdCommit, i.data = row.data
      $rows[0] = {id: 'r_0123456789abcdef0123', a: 'crm:c1', b: 'crm:c2', status: 'decided', kind: 'score_band', rule: 'names', createdCommit: 3, data: '{"id":"r_0123456789abcdef0123","a":"crm:c1","b":"crm:c2","kind":"score_band","rule":"names","score":6.5,"threshold":8,"status":"decided","createdCommit":3,"createdAt":"2026-01-02T03:04:05.000Z","updatedCommit":9,"updatedAt":"2026-01-02T03:04:05.000Z","decision":{"action":"keep_apart","actor":"user:kim","at":"2026-01-02T03:04:05.000Z","decisionId":"d9"}}'}"
    `);
  });

  it('replace every blocking key first when a commit applies new rules', () => {
    const change: ChangeSet = {
      ...none,
      commit: 3,
      rules: { version: 'r2', text: 'rules: []' },
      upserts: [{ record: record('crm:c1', ['email=ann@x.co']), blockKeys: ['n2:ann'] }],
    };
    expect(formatStatements(changeStatements(change))).toMatchInlineSnapshot(`
      "// dropAllBlocks
      MATCH (b:Block) DETACH DELETE b

      // upsertRecords
      UNWIND $rows AS row
      MERGE (r:Record {ref: row.ref})
      SET r.source = row.source, r.recordId = row.recordId, r.ts = row.ts, r.data = row.data
      WITH r, row
      CALL (r) {
        MATCH (r)-[x:HAS_IDENTIFIER]->()
        DELETE x
      }
      CALL (r, row) {
        UNWIND row.ids AS id
        MERGE (i:Identifier {key: id.key})
          ON CREATE SET i.type = id.type, i.matchKey = id.matchKey, i.shared = false
        CREATE (r)-[:HAS_IDENTIFIER {commit: $commit, n: row.n}]->(i)
      }
      CALL (r, row) {
        UNWIND row.blocks AS key
        MERGE (b:Block {key: key})
        MERGE (r)-[x:IN_BLOCK]->(b)
          ON CREATE SET x.commit = $commit, x.n = row.n
      }
      $commit = 3
      $rows[0] = {ref: 'crm:c1', source: 'crm', recordId: 'c1', ts: 0, data: '[0,[["email","ann@x.co"]],[],{}]', ids: [{key: 'email\\u0001ann@x.co', type: 'email', matchKey: 'ann@x.co'}], blocks: ['n2:ann'], n: 0}

      // touchProfilesOf
      UNWIND $rows AS ref
      MATCH (p:Profile)-[:HAS_RECORD]->(:Record {ref: ref})
      SET p.changed = $commit
      $commit = 3
      $rows = ['crm:c1']"
    `);
  });

  it('remove erased records like removed ones, leaving an erased event without their values', () => {
    const change: ChangeSet = {
      ...none,
      commit: 9,
      removals: ['crm:c1'],
      erased: ['crm:c1'],
      retired: [{ id: 'P1' }],
      events: [event('e9', { kind: 'erased', before: ['P1'], actor: 'user:dpo' })],
    };
    expect(formatStatements(changeStatements(change))).toMatchInlineSnapshot(`
      "// removeRecords
      UNWIND $rows AS ref
      MATCH (r:Record {ref: ref})
      DETACH DELETE r
      $rows = ['crm:c1']

      // retireProfiles
      UNWIND $rows AS row
      MERGE (p:Profile {id: row.id})
      SET p.retired = true, p.mergedInto = row.mergedInto, p.edges = null, p.size = 0, p.changed = $commit
      WITH p
      OPTIONAL MATCH (p)-[m:MERGED_INTO]->()
      DELETE m
      WITH DISTINCT p
      MATCH (p)-[h:HAS_RECORD]->()
      DELETE h
      $commit = 9
      $rows[0] = {id: 'P1', mergedInto: null}

      // createEvents
      UNWIND $rows AS row
      CREATE (e:Event {id: row.id, commit: $commit, n: row.n, kind: row.kind, at: row.at, actor: row.actor,
                       rule: row.rule, data: row.data})
      WITH e, row
      UNWIND row.profiles AS profileId
      MATCH (p:Profile {id: profileId})
      CREATE (e)-[:CHANGED]->(p)
      $commit = 9
      $rows[0] = {id: 'e9', kind: 'erased', at: '2026-01-02T03:04:05.000Z', actor: 'user:dpo', rule: null, data: '{"id":"e9","kind":"erased","at":"2026-01-02T03:04:05.000Z","actor":"user:dpo","rulesVersion":"r1","before":["P1"],"after":[],"records":[],"evidence":[]}', profiles: ['P1'], n: 0}"
    `);
  });

  it(`send ${BATCH} rows per statement, never one statement per row`, () => {
    const refs = Array.from({ length: 2 * BATCH + 1 }, (_, n) => `crm:c${n}`);
    const statements = [...changeStatements({ ...none, removals: refs })];
    expect(statements.map(({ name, params }) => [name, (params.rows as string[]).length])).toEqual([
      ['removeRecords', BATCH],
      ['removeRecords', BATCH],
      ['removeRecords', 1],
    ]);
    expect(statements.flatMap(({ params }) => params.rows)).toEqual(refs);
  });
});
