/**
 * A Cypher statement as data: its text, its parameters, and a name that says which step of the
 * store it is (the name of the builder that made it). Builders in this folder are pure, so a test
 * can pin what the store sends without a database; only write-change.ts, erase-traces.ts,
 * neo4j-store.ts and migrations.ts run them.
 */
import neo4j, { type Integer } from 'neo4j-driver';

export interface Statement {
  readonly name: string;
  readonly cypher: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Rows per statement: large enough to amortize a round trip, small enough to keep each plan's memory low. */
export const BATCH = 2_000;

/**
 * A write step: its statement text and all its rows. Iterated, one statement per batch of rows,
 * each given its slice as `$rows` beside `params` (none for no rows): writes are UNWIND statements
 * over such batches, never one statement per row. A small incremental commit runs its steps whole
 * as the parts of one statement instead (commit-statement.ts).
 */
export interface Batches extends Iterable<Statement> {
  readonly name: string;
  readonly cypher: string;
  readonly rows: readonly unknown[];
  readonly params: Readonly<Record<string, unknown>>;
}

export function batched(
  name: string,
  cypher: string,
  rows: readonly unknown[],
  params: Readonly<Record<string, unknown>> = {},
): Batches {
  return {
    name,
    cypher,
    rows,
    params,
    *[Symbol.iterator]() {
      for (let start = 0; start < rows.length; start += BATCH) {
        yield { name, cypher, params: { ...params, rows: rows.slice(start, start + BATCH) } };
      }
    },
  };
}

/** A Cypher integer: a JS number would be sent as a float (1.0), which no integer property equals. */
export const int = (value: number): Integer => neo4j.int(value);

/** Where a fragment goes while the text around it is dedented: a private-use character no statement holds. */
const MARK = '\uE000';
const FRAGMENT = /\uE000(\d+)\uE000/g;

/**
 * Statement text written indented in the source, sent without the indentation and the blank first
 * and last lines. Interpolated fragments (shared clauses) go in after the dedent, indented as the
 * line they start on.
 */
export function cypher(strings: TemplateStringsArray, ...fragments: readonly string[]): string {
  const marked = strings.reduce((text, part, n) => `${text}${MARK}${n - 1}${MARK}${part}`);
  const lines = marked.split('\n');
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return lines
    .map((line) => line.slice(indent).trimEnd())
    .join('\n')
    .replace(FRAGMENT, (_, n: string, at: number, text: string) => {
      // A fragment of several lines keeps its shape where it goes: its later lines take the indent
      // of the line it starts on.
      const indent = /^ */.exec(text.slice(text.lastIndexOf('\n', at) + 1))?.[0] ?? '';
      return (fragments[Number(n)] as string).replaceAll('\n', `\n${indent}`);
    });
}
