/**
 * Audience members as uploaded: one row names a profile (`profile_id`), a record (`source` and
 * `record_id`), or a person by raw identifiers (columns named after the rules file's identifier
 * types and attributes, e.g. email, phone, device_id, first_name, country). A row that is none of
 * these is refused with its line and a reason, and the rest of the file is still accepted.
 */
import { type RecordRef, recordRef } from '../resolve/types.js';

export type AudienceMember =
  | { readonly kind: 'profile'; readonly line: number; readonly profileId: string }
  | { readonly kind: 'record'; readonly line: number; readonly ref: RecordRef }
  | { readonly kind: 'identifiers'; readonly line: number; readonly values: Readonly<Record<string, string>> };

export type MemberRejection = 'NO_MEMBER_COLUMNS' | 'RECORD_ID_WITHOUT_SOURCE' | 'VALUE_TOO_LONG';

export type MemberParse =
  | { readonly ok: true; readonly member: AudienceMember }
  | { readonly ok: false; readonly line: number; readonly reason: MemberRejection };

const MAX_VALUE_LENGTH = 1024;

/**
 * `targets`: identifier types and attribute names of the rules file, the columns a raw row may carry.
 * `contextOnly`: those that help read the others but name nobody alone (a country).
 */
export function parseMemberRow(
  row: Record<string, unknown>,
  line: number,
  targets: ReadonlySet<string>,
  contextOnly: ReadonlySet<string> = new Set(),
): MemberParse {
  const text = (name: string): string | undefined => {
    const value = row[name];
    if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    return undefined;
  };
  const profileId = text('profile_id');
  if (profileId !== undefined) {
    if (profileId.length > MAX_VALUE_LENGTH) return { ok: false, line, reason: 'VALUE_TOO_LONG' };
    return { ok: true, member: { kind: 'profile', line, profileId } };
  }
  const recordId = text('record_id');
  if (recordId !== undefined) {
    const source = text('source');
    if (source === undefined) return { ok: false, line, reason: 'RECORD_ID_WITHOUT_SOURCE' };
    if (recordId.length > MAX_VALUE_LENGTH) return { ok: false, line, reason: 'VALUE_TOO_LONG' };
    return { ok: true, member: { kind: 'record', line, ref: recordRef(source, recordId) } };
  }
  const values: Record<string, string> = {};
  for (const name of Object.keys(row)) {
    if (!targets.has(name)) continue;
    const value = text(name);
    if (value === undefined) continue;
    if (value.length > MAX_VALUE_LENGTH) return { ok: false, line, reason: 'VALUE_TOO_LONG' };
    values[name] = value;
  }
  if (!Object.keys(values).some((name) => !contextOnly.has(name))) {
    return { ok: false, line, reason: 'NO_MEMBER_COLUMNS' };
  }
  return { ok: true, member: { kind: 'identifiers', line, values } };
}
