/**
 * A prepared record's compact form, as the stores keep it and the bulk path holds it until it
 * resolves: a JSON array without property names, without what the reference already says (source,
 * record id), and with a canonical value only where it differs from the matching key. About half
 * the bytes of the object's JSON, and one string instead of some thirty heap objects.
 *   [ts, [type, key, value?]..., [name, key, value?]..., fields]
 * as [ts, identifiers, attributes, fields].
 */
import type { PreparedAttribute, PreparedIdentifier, PreparedRecord, RecordRef } from './types.js';
import { splitRecordRef } from './types.js';

type Triple = [string, string] | [string, string, string];
type Compact = [number, Triple[], Triple[], Record<string, string>];

export function encodeRecord(record: PreparedRecord): string {
  const identifiers: Triple[] = record.identifiers.map(({ type, key, value }) =>
    value === key ? [type, key] : [type, key, value],
  );
  const attributes: Triple[] = Object.entries(record.attributes).map(([name, { key, value }]) =>
    value === key ? [name, key] : [name, key, value],
  );
  const compact: Compact = [record.ts, identifiers, attributes, record.fields as Record<string, string>];
  return JSON.stringify(compact);
}

export function decodeRecord(ref: RecordRef, text: string): PreparedRecord {
  const [ts, identifiers, attributes, fields] = JSON.parse(text) as Compact;
  const { source, recordId } = splitRecordRef(ref);
  return {
    ref,
    source,
    recordId,
    ts,
    identifiers: identifiers.map(([type, key, value]): PreparedIdentifier => ({ type, key, value: value ?? key })),
    attributes: Object.fromEntries(
      attributes.map(([name, key, value]): [string, PreparedAttribute] => [name, { key, value: value ?? key }]),
    ),
    fields,
  };
}
