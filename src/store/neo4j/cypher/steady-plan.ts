/**
 * One query plan per statement text. Neo4j caches a plan by the text and its parameters' types, and
 * the type of a list parameter carries its length rounded up to a power of ten (0, 1, 10, 100 and
 * so on): `UNWIND $rows` with one row and with twelve are two entries, each planned on first use
 * and replanned apart when the graph's statistics move. A commit whose lists land in a new mix of
 * sizes waited for the planner on the Bolt thread (on this project's Neo4j, 150-250 ms for a
 * commit's statements: most of the one-record ingest benchmark's p99). A map parameter's type has no
 * size, so the lists travel inside one, `$lists`, and the text reads `$lists.rows` for `$rows`.
 * Index seeks on `$lists.ref` are planned as on `$ref` (an expression free of the pattern's
 * variables), and a list of unknown length is estimated as Neo4j estimates any other.
 */
import type { Statement } from './statement.js';

/** The map parameter that carries a statement's lists. */
const LISTS = 'lists';

/** Texts already rewritten, by the original text and the names moved: statements repeat. */
const rewritten = new Map<string, string>();

/** The statement with its list parameters moved into `$lists` (as it was when it has none). */
export function steadyPlan(statement: Statement): Statement {
  const lists: Record<string, unknown> = {};
  const others: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(statement.params)) {
    if (Array.isArray(value)) lists[name] = value;
    else others[name] = value;
  }
  const listNames = Object.keys(lists);
  if (listNames.length === 0) return statement;
  if (LISTS in others) throw new Error(`statement ${statement.name} already has a parameter named ${LISTS}`);
  return { name: statement.name, cypher: textFor(statement.cypher, listNames), params: { ...others, [LISTS]: lists } };
}

function textFor(cypher: string, listNames: readonly string[]): string {
  const key = `${listNames.join(',')}\n${cypher}`;
  let text = rewritten.get(key);
  if (text === undefined) {
    const moved = new Set(listNames);
    // A parameter is `$` and a name; statements hold no `$` in string literals (their values are
    // parameters), so every match is a parameter.
    text = cypher.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) =>
      moved.has(name) ? `$${LISTS}.${name}` : whole,
    );
    rewritten.set(key, text);
  }
  return text;
}
