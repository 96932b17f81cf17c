/**
 * The Neo4j store's read batching: calls made while the statement slots are taken go together in the
 * next statement, each caller gets its own keys in its own order, a call never rides on a statement
 * sent before it was made, a failure reaches the callers of that statement only, and big calls go
 * as they are. The read here is an in-memory table with a version that writes move, standing for
 * the graph (the store's own tests run the batcher against Neo4j).
 */
import { describe, expect, it } from 'vitest';
import { ReadBatcher } from '../../../src/store/neo4j/read-batcher.js';

interface Sent {
  readonly keys: string[];
  readonly version: number;
  finish(): void;
  fail(error: Error): void;
}

/** A table whose reads are held until the test lets them finish, answering at the version they were sent. */
function heldTable() {
  const rows = new Map<string, string>([
    ['a', 'A'],
    ['b', 'B'],
    ['c', 'C'],
    ['d', 'D'],
  ]);
  let version = 1;
  const sent: Sent[] = [];
  const read = (keys: string[]) =>
    new Promise<Map<string, string>>((resolve, reject) => {
      const at = version;
      sent.push({
        keys,
        version: at,
        finish: () => resolve(new Map(keys.flatMap((key) => (rows.has(key) ? [[key, `${rows.get(key)}${at}`]] : [])))),
        fail: reject,
      });
    });
  return { read, sent, write: () => version++ };
}

/** Lets setImmediate callbacks (the batcher's sends) run. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadBatcher', () => {
  it('sends calls made while the slots are taken together, each answered with its keys in its order', async () => {
    const table = heldTable();
    const batcher = new ReadBatcher(table.read, { maxInFlight: 1 });
    const first = batcher.get(['a']);
    await turn();
    expect(table.sent.map((s) => s.keys)).toEqual([['a']]);

    const second = batcher.get(['c', 'b']);
    const third = batcher.get(['x', 'a']);
    const fourth = batcher.get(['d']);
    await turn();
    expect(table.sent).toHaveLength(1);

    table.sent[0]?.finish();
    expect([...(await first).entries()]).toEqual([['a', 'A1']]);
    await turn();
    expect(table.sent).toHaveLength(2);
    expect(new Set(table.sent[1]?.keys)).toEqual(new Set(['c', 'b', 'x', 'a', 'd']));
    table.sent[1]?.finish();
    expect([...(await second).entries()]).toEqual([
      ['c', 'C1'],
      ['b', 'B1'],
    ]);
    expect([...(await third).entries()]).toEqual([['a', 'A1']]);
    expect([...(await fourth).entries()]).toEqual([['d', 'D1']]);
  });

  it('never answers a call from a statement sent before the call was made', async () => {
    const table = heldTable();
    const batcher = new ReadBatcher(table.read, { maxInFlight: 1 });
    const before = batcher.get(['a']);
    await turn();
    table.write();
    const after = batcher.get(['a']);
    await turn();
    table.sent[0]?.finish();
    expect((await before).get('a')).toBe('A1');
    await turn();
    expect(table.sent[1]?.version).toBe(2);
    table.sent[1]?.finish();
    expect((await after).get('a')).toBe('A2');
  });

  it('fails the callers of a failed statement only, and frees its slot', async () => {
    const table = heldTable();
    const batcher = new ReadBatcher(table.read, { maxInFlight: 1 });
    const failing = batcher.get(['a']);
    await turn();
    const later = batcher.get(['b']);
    table.sent[0]?.fail(new Error('server gone'));
    await expect(failing).rejects.toThrow('server gone');
    await turn();
    table.sent[1]?.finish();
    expect((await later).get('b')).toBe('B1');
  });

  it('sends up to maxInFlight statements at once and no more', async () => {
    const table = heldTable();
    const batcher = new ReadBatcher(table.read, { maxInFlight: 2 });
    const calls = [batcher.get(['a'])];
    await turn();
    calls.push(batcher.get(['b']));
    await turn();
    calls.push(batcher.get(['c']), batcher.get(['d']));
    await turn();
    expect(table.sent.map((s) => s.keys)).toEqual([['a'], ['b']]);
    table.sent[1]?.finish();
    await turn();
    expect(table.sent.map((s) => s.keys)).toEqual([['a'], ['b'], ['c', 'd']]);
    table.sent[0]?.finish();
    table.sent[2]?.finish();
    expect((await Promise.all(calls)).map((found) => [...found.values()])).toEqual([['A1'], ['B1'], ['C1'], ['D1']]);
  });

  it('sends a call naming many keys as it is, and splits a crowd of small calls at maxBatch keys', async () => {
    const table = heldTable();
    const batcher = new ReadBatcher(table.read, { maxInFlight: 1, directAbove: 3, maxBatch: 2 });
    const big = batcher.get(['a', 'b', 'c', 'd']);
    expect(table.sent.map((s) => s.keys)).toEqual([['a', 'b', 'c', 'd']]);
    table.sent[0]?.finish();
    expect((await big).size).toBe(4);

    const small = [batcher.get(['a']), batcher.get(['b']), batcher.get(['c'])];
    await turn();
    table.sent[1]?.finish();
    await turn();
    table.sent[2]?.finish();
    expect(table.sent.slice(1).map((s) => s.keys)).toEqual([['a', 'b'], ['c']]);
    expect((await Promise.all(small)).map((found) => [...found.values()])).toEqual([['A1'], ['B1'], ['C1']]);
  });
});
