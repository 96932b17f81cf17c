/**
 * Which migration statements run at an open, and which may run at once: a name already present
 * is not asked for again, statements on one label keep their order in one lane, and a statement of
 * another form waits for every lane.
 */
import { describe, expect, it } from 'vitest';
import { readMigrations, schemaLanes } from '../../../src/store/neo4j/migrations.js';

const RECORD_REF = 'CREATE CONSTRAINT idgraph_record_ref IF NOT EXISTS FOR (r:Record) REQUIRE r.ref IS UNIQUE';
const RECORD_TS = 'CREATE INDEX idgraph_record_ts IF NOT EXISTS\n  FOR (r:Record) ON (r.ts)';
const PROFILE_ID = 'CREATE CONSTRAINT idgraph_profile_id IF NOT EXISTS FOR (p:Profile) REQUIRE p.id IS UNIQUE';
const BACKFILL = 'MATCH (r:Record) WHERE r.ts IS NULL SET r.ts = 0';

describe('schemaLanes', () => {
  it('puts each label in a lane of its own, in file order, and any other statement after them', () => {
    expect(schemaLanes([RECORD_REF, PROFILE_ID, BACKFILL, RECORD_TS], new Set())).toEqual({
      lanes: [[RECORD_REF, RECORD_TS], [PROFILE_ID]],
      after: [BACKFILL],
    });
  });

  it('leaves out what is present by name, and never a statement it cannot name', () => {
    const present = new Set(['idgraph_record_ref', 'idgraph_profile_id', 'idgraph_other']);
    expect(schemaLanes([RECORD_REF, PROFILE_ID, BACKFILL, RECORD_TS], present)).toEqual({
      lanes: [[RECORD_TS]],
      after: [BACKFILL],
    });
  });

  it('names and places every statement of the project migrations', async () => {
    const statements = (await readMigrations()).flatMap((migration) => migration.statements);
    const { lanes, after } = schemaLanes(statements, new Set());
    expect(after).toEqual([]);
    expect(lanes.flat().sort()).toEqual([...statements].sort());
    expect(lanes.length).toBeGreaterThan(5);
    expect(schemaLanes(statements, new Set(statements.map((s) => /(idgraph_\w+)/.exec(s)?.[1] ?? '')))).toEqual({
      lanes: [],
      after: [],
    });
  });
});
