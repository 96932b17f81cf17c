/** The resolved graph in full, record by record or profile by profile, for the shells to write out. */
import { goldenRecord } from '../core/profile/golden-record.js';
import { splitRecordRef } from '../core/resolve/types.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';

export interface RecordRow {
  readonly source: string;
  readonly recordId: string;
  /** Undefined for a record in no profile (none is, once a commit is written). */
  readonly profileId: string | undefined;
}

/** Every record with its profile, in reference order; the profiles are read in one batch. */
export async function* recordRows(store: Pick<GraphReads, 'records' | 'profileIdsOf'>): AsyncIterable<RecordRow> {
  const refs: string[] = [];
  for await (const record of store.records()) refs.push(record.ref);
  const profileOf = await store.profileIdsOf(refs);
  for (const ref of refs) yield { ...splitRecordRef(ref), profileId: profileOf.get(ref) };
}

export interface ExportedProfile {
  readonly profile_id: string;
  readonly records: readonly { readonly source: string; readonly record_id: string }[];
  /** Each identifier with how many of the profile's records hold it. */
  readonly identifiers: readonly { readonly type: string; readonly value: string; readonly records: number }[];
  /** The golden value of each attribute. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Every live profile with its golden record, in ID order. */
export async function* exportedProfiles(
  store: Pick<GraphReads, 'profiles' | 'getRecords'>,
  rules: Pick<LoadedRules, 'file'>,
): AsyncIterable<ExportedProfile> {
  for await (const profile of store.profiles()) {
    const golden = goldenRecord([...(await store.getRecords(profile.records)).values()], rules.file);
    yield {
      profile_id: profile.id,
      records: profile.records.map((ref) => {
        const { source, recordId } = splitRecordRef(ref);
        return { source, record_id: recordId };
      }),
      identifiers: golden.identifiers.map(({ type, value, records }) => ({ type, value, records: records.length })),
      attributes: Object.fromEntries(Object.entries(golden.attributes).map(([name, a]) => [name, a.value])),
    };
  }
}
