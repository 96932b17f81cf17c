/**
 * A small incremental commit as one statement, run as an auto-commit transaction: the server gets
 * one RUN and commits when the statement ends, where a managed transaction takes BEGIN, the guard,
 * one statement per write step, then COMMIT in a second round trip once the results are in. Under
 * the one-record ingest load the round trip saved waits its turn on a busy event loop: the write took
 * 1 to 2 ms less, measured in turn (docs/benchmarks.md); the server's CPU a commit did not move.
 *
 * The guard is commitGuard's (meta.ts) with the refusal made on the server: the steps run only when
 * the commit follows the last one and no other writer holds the turn; otherwise the transaction
 * writes nothing but Meta's lock stamp, and the columns tell the client why it was refused.
 *
 * Every incremental commit has the same steps (change-statements.ts), each a part here whatever its
 * rows, so the text is one and Neo4j plans it once. Larger commits (a step over BATCH rows), first
 * loads, rules changes and erasures take the managed transaction (write-change.ts).
 */
import type { ChangeSet } from '../../graph-store.js';
import { LOCK_AND_READ } from './meta.js';
import { type Batches, cypher, int, type Statement } from './statement.js';

const GUARD_HEAD = cypher`
  ${LOCK_AND_READ}
  WITH m, last, ownTurn, turnTaken, last = $commit - 1 AND NOT turnTaken AS due`;

const MOVE_META_ON = cypher`
  SET m.lastCommit = $commit,
      m.turnHolder = CASE WHEN ownTurn THEN null ELSE m.turnHolder END,
      m.turnUntil = CASE WHEN ownTurn THEN null ELSE m.turnUntil END
  WITH *`;

/** Texts made so far, by their steps' names: every incremental commit has the same. */
const texts = new Map<string, string>();

/**
 * The commit as one statement (columns `last` and `turnTaken`, as commitGuard's). Step k's
 * parameters are renamed `$<name>_k`, so that two steps' `$rows` stay apart.
 */
export function commitStatement(
  change: Pick<ChangeSet, 'commit' | 'at'>,
  writer: string,
  steps: readonly Batches[],
): Statement {
  const key = steps.map((step) => step.name).join(',');
  let text = texts.get(key);
  if (text === undefined) {
    const parts = steps.map((step, k) => `CALL () {\n  ${renamed(step.cypher, k).replaceAll('\n', '\n  ')}\n}`);
    text = [
      GUARD_HEAD,
      'CALL (m, ownTurn, due) {',
      '  WITH * WHERE due',
      `  ${MOVE_META_ON.replaceAll('\n', '\n  ')}`,
      ...parts.map((part) => `  ${part.replaceAll('\n', '\n  ')}`),
      '}',
      'RETURN last, turnTaken',
    ].join('\n');
    texts.set(key, text);
  }
  const params: Record<string, unknown> = { at: change.at, writer, commit: int(change.commit) };
  steps.forEach((step, k) => {
    for (const [name, value] of Object.entries({ ...step.params, rows: step.rows })) params[`${name}_${k}`] = value;
  });
  return { name: 'commitStatement', cypher: text, params };
}

/** A step's text with each parameter `$name` as `$name_k` (statements hold no `$` but parameters). */
function renamed(text: string, k: number): string {
  return text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => `$${name}_${k}`);
}
