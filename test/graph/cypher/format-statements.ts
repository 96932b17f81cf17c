/**
 * Statements as text for snapshots, so a diff shows a changed query or parameter: each statement
 * as its name, its Cypher, then its parameters as Cypher literals, one line each (one line per row
 * for a list of maps). A Cypher integer prints as 7 and a JS number as 7.0, because the driver sends
 * a JS number as a float, which no integer property equals.
 */
import neo4j from 'neo4j-driver';
import type { Statement } from '../../../src/store/neo4j/cypher/statement.js';

export function formatStatements(statements: Iterable<Statement>): string {
  return [...statements].map(formatStatement).join('\n\n');
}

export function formatStatement({ name, cypher, params }: Statement): string {
  const lines = Object.entries(params).flatMap(([key, value]) =>
    Array.isArray(value) && value.some(isMap)
      ? value.map((item, n) => `$${key}[${n}] = ${literal(item)}`)
      : [`$${key} = ${literal(value)}`],
  );
  return [`// ${name}`, cypher, ...lines].join('\n');
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !neo4j.isInt(value);

function literal(value: unknown): string {
  if (neo4j.isInt(value)) return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? `${value}.0` : String(value);
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (isMap(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}: ${literal(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** A Cypher string literal; control characters (the identifier key's separator U+0001) escaped. */
function quote(text: string): string {
  const escaped = [...text].map((c) => {
    if (c === '\\' || c === "'") return `\\${c}`;
    const code = c.charCodeAt(0);
    return code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  });
  return `'${escaped.join('')}'`;
}
