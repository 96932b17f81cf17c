/**
 * A log entry without what it held of erased records: their content (values, identifier keys,
 * blocking keys), their place in profiles and evidence, and the review items naming them. Replaying the scrubbed log still ends
 * in the same state, because the erasing commit removes those records anyway: an erased record
 * replays as an empty one, in no profile, and then is removed.
 */

import { encodeRecord } from '../../codec/record-codec.js';
import { redactProfile } from '../../core/resolve/erasure.js';
import { splitRecordRef } from '../../core/resolve/types.js';
import type { StoredProfile } from '../graph-store.js';
import type { LogEntry } from './log-entry.js';

export function redactLogEntry(entry: LogEntry, erased: ReadonlySet<string>): LogEntry | undefined {
  let changed = false;
  const upserts = entry.upserts.map((record) => {
    if (!erased.has(record.ref)) return record;
    changed = true;
    const { source, recordId } = splitRecordRef(record.ref);
    const empty = encodeRecord({
      ref: record.ref,
      source,
      recordId,
      ts: 0,
      identifiers: [],
      attributes: {},
      fields: {},
    });
    return { ref: record.ref, ids: [], blocks: [], json: empty };
  });
  const staleBlocks = entry.staleBlocks.map((stale) => {
    if (!erased.has(stale.ref) || stale.keys.length === 0) return stale;
    changed = true;
    return { ref: stale.ref, keys: [] };
  });
  const profiles = entry.profiles.map((profile) => {
    if (!profile.records.some((ref) => erased.has(ref))) return profile;
    const redacted = redactProfile(JSON.parse(profile.json) as StoredProfile, erased);
    if (!redacted) return profile;
    changed = true;
    return { id: profile.id, records: redacted.records, json: JSON.stringify(redacted) };
  });
  // A review item names its two records (and no values): one naming an erased record goes.
  const review = entry.review && {
    upserts: entry.review.upserts.filter((item) => !erased.has(item.a) && !erased.has(item.b)),
    removed: entry.review.removed,
  };
  if (review && review.upserts.length !== entry.review?.upserts.length) changed = true;
  return changed ? { ...entry, upserts, staleBlocks, profiles, ...(review ? { review } : {}) } : undefined;
}
