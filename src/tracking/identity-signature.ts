/**
 * What a record says about who someone is: its identifiers and attributes, as matching keys. Two
 * records of one source with the same signature add nothing to each other's evidence; tracking
 * keeps one of them, its time the newest (record-events.ts).
 */
import { identifierKey, type PreparedRecord } from '../core/resolve/types.js';

export function identitySignature(record: Pick<PreparedRecord, 'identifiers' | 'attributes'>): string {
  const identifiers = record.identifiers.map(({ type, key }) => identifierKey(type, key)).sort();
  const attributes = Object.entries(record.attributes)
    .map(([name, { key }]) => identifierKey(name, key))
    .sort();
  return JSON.stringify([identifiers, attributes]);
}

/** The identifier keys a record holds, the index the store looks holders up by. */
export function identifierKeys(record: Pick<PreparedRecord, 'identifiers'>): string[] {
  return record.identifiers.map(({ type, key }) => identifierKey(type, key));
}
