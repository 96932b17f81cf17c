/**
 * The one statement of a small incremental commit (no database): the same text whatever the commit
 * holds, so Neo4j plans it once, each write step a part of it with its own parameters, the steps run
 * only when the guard finds the commit due. The statement runs against a real server in
 * ../neo4j-store.test.ts (every incremental commit there takes it).
 */
import { describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../../src/store/graph-store.js';
import { writeSteps } from '../../../src/store/neo4j/cypher/change-statements.js';
import { commitStatement } from '../../../src/store/neo4j/cypher/commit-statement.js';
import { changeSet, newProfileChange } from '../../support/change-set.js';

const statementOf = (change: ChangeSet) =>
  commitStatement(
    change,
    'writer-1',
    writeSteps(change).map((step) => step()),
  );

describe('the one statement of a small commit', () => {
  it('has one text for a commit that writes nothing and for one that writes records, profiles and events', () => {
    const empty = statementOf(changeSet({ commit: 1 }));
    const busy = statementOf(newProfileChange(8, ['crm:a', 'crm:b'], 'P1'));
    expect(busy.cypher).toBe(empty.cypher);
    expect(busy.params).toMatchObject({ writer: 'writer-1', at: '2026-01-01T00:00:00.000Z' });
    expect(busy.params.commit?.toString()).toBe('8');
  });

  it("gives each step its own parameters, named after its place, and each step's rows whole", () => {
    const change = newProfileChange(3, ['crm:a', 'crm:b'], 'P1');
    const steps = writeSteps(change).map((step) => step());
    const statement = statementOf(change);
    steps.forEach((step, k) => {
      expect(statement.params[`rows_${k}`]).toEqual(step.rows);
      for (const name of Object.keys(step.params)) expect(statement.params[`${name}_${k}`]).toEqual(step.params[name]);
    });
    const records = steps.findIndex((step) => step.name === 'upsertRecords');
    expect((statement.params[`rows_${records}`] as { ref: string }[]).map((row) => row.ref)).toEqual([
      'crm:a',
      'crm:b',
    ]);
    // No parameter of a step is left under its own name, where another step's could meet it.
    const parts = statement.cypher.slice(statement.cypher.indexOf('CALL () {'));
    const names = [...parts.matchAll(/\$([A-Za-z0-9_]+)/g)].map(([, name]) => name);
    expect(names.length).toBeGreaterThan(steps.length);
    expect(names.filter((name) => !/_\d+$/.test(name as string))).toEqual([]);
  });

  it('runs the steps, and moves lastCommit on, only inside the part the guard lets through', () => {
    const { cypher } = statementOf(changeSet({ commit: 2 }));
    const gate = cypher.indexOf('WITH * WHERE due');
    expect(gate).toBeGreaterThan(0);
    expect(cypher.indexOf('SET m.lastCommit = $commit')).toBeGreaterThan(gate);
    expect(cypher.indexOf('UNWIND $rows_0')).toBeGreaterThan(gate);
    expect(cypher.trimEnd().endsWith('RETURN last, turnTaken')).toBe(true);
  });
});
