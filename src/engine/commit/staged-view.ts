/**
 * The store as it will be once the pending upserts and removals are applied: what resolution must
 * see, before anything is written.
 */
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { identifierKey } from '../../core/resolve/types.js';
import type { ScopeReads, StagedRecord } from '../../store/graph-store.js';

export class StagedView {
  private readonly touched: Set<RecordRef>;
  private readonly stagedHolders = new Map<string, RecordRef[]>();
  private readonly stagedBlocks = new Map<string, RecordRef[]>();
  private readonly cache = new Map<RecordRef, PreparedRecord>();

  constructor(
    readonly store: ScopeReads,
    readonly upserts: ReadonlyMap<RecordRef, StagedRecord>,
    readonly removals: ReadonlySet<RecordRef>,
  ) {
    this.touched = new Set([...upserts.keys(), ...removals]);
    for (const { record, blockKeys } of upserts.values()) {
      this.cache.set(record.ref, record);
      for (const identifier of record.identifiers) {
        push(this.stagedHolders, identifierKey(identifier.type, identifier.key), record.ref);
      }
      for (const key of blockKeys) push(this.stagedBlocks, key, record.ref);
    }
  }

  /** Records as they will be; removed ones are absent. */
  async records(refs: Iterable<RecordRef>): Promise<Map<RecordRef, PreparedRecord>> {
    const missing = [...refs].filter((ref) => !this.cache.has(ref) && !this.removals.has(ref));
    if (missing.length > 0) {
      for (const [ref, record] of await this.store.getRecords(missing)) this.cache.set(ref, record);
    }
    const found = new Map<RecordRef, PreparedRecord>();
    for (const ref of refs) {
      const record = this.removals.has(ref) ? undefined : this.cache.get(ref);
      if (record) found.set(ref, record);
    }
    return found;
  }

  async holders(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return this.merge(await this.store.holdersOf(identifiers), this.stagedHolders, identifiers);
  }

  async blockMembers(keys: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return this.merge(await this.store.blockMembers(keys), this.stagedBlocks, keys);
  }

  private merge(
    stored: Map<string, RecordRef[]>,
    staged: Map<string, RecordRef[]>,
    keys: readonly string[],
  ): Map<string, RecordRef[]> {
    const merged = new Map<string, RecordRef[]>();
    for (const key of keys) {
      const refs = (stored.get(key) ?? []).filter((ref) => !this.touched.has(ref));
      refs.push(...(staged.get(key) ?? []));
      if (refs.length > 0) merged.set(key, refs);
    }
    return merged;
  }
}

function push(index: Map<string, RecordRef[]>, key: string, ref: RecordRef): void {
  const list = index.get(key);
  if (list) list.push(ref);
  else index.set(key, [ref]);
}
