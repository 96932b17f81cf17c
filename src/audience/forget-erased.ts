/**
 * Audiences keep their members as uploaded, raw identifiers included, so an erasure must reach
 * them too. Which rows name the erased people is worked out before the erasure commits (afterwards
 * the graph no longer knows them), and the rows are dropped once it has: a row naming an erased
 * profile (directly or through a merged-away ID), one of its records, or an identifier only the
 * erased records held. A row with a value others hold too (a household phone) names nobody for
 * sure and stays.
 */
import { rowValues } from '../core/audience/record-values.js';
import { identifierKey, type RecordRef } from '../core/resolve/types.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';
import type { AudienceStore } from './audience-store.js';
import { type AudienceReads, identifierKeys } from './resolve-audience.js';

/** Audience id -> lines of member rows to drop. */
export type RowsToForget = Map<string, Set<number>>;

/** Profile IDs named by audience members, looked up per store round. */
const PROFILE_LOOKUP_BATCH = 5_000;

export async function rowsNamingErased(
  store: AudienceReads & Pick<GraphReads, 'getProfiles' | 'getRecords'>,
  rules: LoadedRules,
  audiences: AudienceStore,
  profileIds: readonly string[],
): Promise<RowsToForget> {
  const profiles = new Set((await store.currentProfileIds(profileIds)).values());
  const refs = new Set<RecordRef>();
  for (const profile of (await store.getProfiles([...profiles])).values()) {
    for (const ref of profile.records) refs.add(ref);
  }
  const keys = new Set<string>();
  for (const record of (await store.getRecords([...refs])).values()) {
    for (const identifier of record.identifiers) keys.add(identifierKey(identifier.type, identifier.key));
  }
  const holders = await store.holdersOf([...keys]);
  const onlyTheirs = new Set([...keys].filter((key) => (holders.get(key) ?? []).every((ref) => refs.has(ref))));

  const context = { store, rules: rules.file, normalizers: rules.normalizers };
  const rows: RowsToForget = new Map();
  for (const audience of await audiences.list()) {
    const lines = new Set<number>();
    // Members naming a profile ID are looked up a batch at a time (one round trip on Neo4j).
    let named: { line: number; profileId: string }[] = [];
    const lookUpNamed = async () => {
      const current = await store.currentProfileIds(named.map(({ profileId }) => profileId));
      for (const { line, profileId } of named) if (profiles.has(current.get(profileId) ?? '')) lines.add(line);
      named = [];
    };
    for await (const member of audiences.members(audience.id)) {
      if (member.kind === 'profile') {
        named.push({ line: member.line, profileId: member.profileId });
        if (named.length >= PROFILE_LOOKUP_BATCH) await lookUpNamed();
        continue;
      }
      const names =
        member.kind === 'record'
          ? refs.has(member.ref)
          : identifierKeys(context, rowValues(member.values, rules.normalizers)).some((key) => onlyTheirs.has(key));
      if (names) lines.add(member.line);
    }
    await lookUpNamed();
    if (lines.size > 0) rows.set(audience.id, lines);
  }
  return rows;
}

export async function forgetRows(audiences: AudienceStore, rows: RowsToForget): Promise<number> {
  let dropped = 0;
  for (const [id, lines] of rows) dropped += await audiences.dropRows(id, lines);
  return dropped;
}
