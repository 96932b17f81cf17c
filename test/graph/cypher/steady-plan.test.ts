/**
 * List parameters moved into one map parameter, so Neo4j plans each statement text once whatever
 * its lists' lengths (steady-plan.ts). The statements' behaviour with the moved lists on a real
 * server is every Neo4j test's: all of them run through it.
 */
import { describe, expect, it } from 'vitest';
import { batched } from '../../../src/store/neo4j/cypher/statement.js';
import { steadyPlan } from '../../../src/store/neo4j/cypher/steady-plan.js';

describe('steadyPlan', () => {
  it('moves each list into $lists and reads it from there, leaving the other parameters and names alone', () => {
    const moved = steadyPlan({
      name: 'sample',
      cypher: 'UNWIND $rows AS row MATCH (r:Record {ref: row.ref}) WHERE r.ref IN $refs AND r.commit > $rowsAfter',
      params: { rows: [{ ref: 'crm:1' }], refs: ['crm:1', 'crm:2'], rowsAfter: 7 },
    });
    expect(moved).toEqual({
      name: 'sample',
      cypher:
        'UNWIND $lists.rows AS row MATCH (r:Record {ref: row.ref}) WHERE r.ref IN $lists.refs AND r.commit > $rowsAfter',
      params: { rowsAfter: 7, lists: { rows: [{ ref: 'crm:1' }], refs: ['crm:1', 'crm:2'] } },
    });
  });

  it('sends the same text for a batch of one row and of many, the lengths only in the values', () => {
    const text = 'UNWIND $rows AS row MERGE (i:Identifier {key: row.key})';
    const one = [...batched('identifiers', text, [{ key: 'a' }])].map(steadyPlan);
    const many = [
      ...batched(
        'identifiers',
        text,
        Array.from({ length: 64 }, (_, n) => ({ key: `k${n}` })),
      ),
    ].map(steadyPlan);
    expect(one[0]?.cypher).toBe(many[0]?.cypher);
    expect(Object.keys(one[0]?.params ?? {})).toEqual(['lists']);
    expect((many[0]?.params.lists as { rows: unknown[] } | undefined)?.rows).toHaveLength(64);
  });

  it('leaves a statement without lists as it is', () => {
    const statement = { name: 'one', cypher: 'MATCH (m:Meta {id: $id}) RETURN m.lastCommit', params: { id: 'meta' } };
    expect(steadyPlan(statement)).toBe(statement);
  });

  it('refuses a statement that already has a parameter named lists rather than overwrite it', () => {
    expect(() => steadyPlan({ name: 'clash', cypher: 'RETURN $lists, $ids', params: { lists: 1, ids: [] } })).toThrow(
      /already has a parameter named lists/,
    );
  });
});
