/**
 * The store as it will be once the pending upserts and removals are applied: what resolution must
 * see, before anything is written.
 */
import { HUB_HOLDERS } from '../../core/resolve/shared-values.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { identifierKey } from '../../core/resolve/types.js';
import type {
  IdentifierHolding,
  ReachedProfiles,
  ScopeReads,
  StagedRecord,
  StoredProfile,
} from '../../store/graph-store.js';
import { inOrder } from '../../store/in-order.js';

export class StagedView {
  private readonly touched: Set<RecordRef>;
  private readonly stagedHolders = new Map<string, RecordRef[]>();
  private readonly stagedBlocks = new Map<string, RecordRef[]>();
  private readonly cache = new Map<RecordRef, PreparedRecord>();
  /**
   * The stored profile of each record whose profile was read, whether a scope round fetched it ahead
   * or `reachRecords` asked: `reachRecords` answers from these, and a scope round fetches none again.
   */
  private readonly knownProfileOf = new Map<RecordRef, string>();
  private readonly knownProfiles = new Map<string, StoredProfile | undefined>();

  constructor(
    readonly store: ScopeReads,
    readonly upserts: ReadonlyMap<RecordRef, StagedRecord>,
    readonly removals: ReadonlySet<RecordRef>,
    /** Upserts the store does not hold (the caller read it): they have no old profile to ask for. */
    private readonly unstored: ReadonlySet<RecordRef> = new Set(),
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

  /**
   * The holders of each identifier as they will be, with the store's shared mark: a key is in the
   * answer when a record will hold it or the store marks it shared.
   */
  async identifierHolders(identifiers: readonly string[]): Promise<Map<string, IdentifierHolding>> {
    return this.holdingAsItWillBe(await this.store.identifierHolders(identifiers), identifiers);
  }

  /**
   * identifierHolders and blockMembers in one read of the store, which may fetch ahead what the
   * next round asks of the records they name: their data (served by `records`) and, for holders,
   * their profiles (served by `reachRecords`). Hubs' holders are not fetched: a scope stops there.
   */
  async scopeRound(
    identifiers: readonly string[],
    blockKeys: readonly string[],
  ): Promise<{ holding: Map<string, IdentifierHolding>; members: Map<string, RecordRef[]> }> {
    const round = await this.store.scopeRound(identifiers, blockKeys, {
      mostHolders: HUB_HOLDERS,
      haveRecords: new Set(this.cache.keys()),
      haveProfiles: new Set(this.knownProfileOf.keys()),
    });
    // Staged versions stay: the cache holds the records as they will be.
    for (const [ref, record] of round.records) if (!this.cache.has(ref)) this.cache.set(ref, record);
    this.know(round.reached);
    return {
      holding: this.holdingAsItWillBe(round.holding, identifiers),
      members: this.merge(round.members, this.stagedBlocks, blockKeys),
    };
  }

  /** The store's profiles of these records (as they were: a commit moves records between profiles). */
  async reachRecords(refs: readonly RecordRef[]): Promise<ReachedProfiles> {
    const stored = refs.filter((ref) => !this.unstored.has(ref));
    const unknown = stored.filter((ref) => !this.knownProfileOf.has(ref));
    if (unknown.length > 0) this.know(await this.store.reachRecords(unknown));
    // In the order asked, as the store answers: what a commit writes must not depend on what was fetched ahead.
    const profileOf = inOrder(stored, (ref) => this.knownProfileOf.get(ref));
    const profiles = inOrder([...new Set(profileOf.values())], (id) => this.knownProfiles.get(id));
    return { profileOf, profiles };
  }

  private know(reached: ReachedProfiles): void {
    for (const [ref, id] of reached.profileOf) {
      this.knownProfileOf.set(ref, id);
      this.knownProfiles.set(id, reached.profiles.get(id));
    }
  }

  private holdingAsItWillBe(
    stored: Map<string, IdentifierHolding>,
    identifiers: readonly string[],
  ): Map<string, IdentifierHolding> {
    const holders = this.merge(
      new Map([...stored].map(([key, { holders }]) => [key, holders])),
      this.stagedHolders,
      identifiers,
    );
    const found = new Map<string, IdentifierHolding>();
    for (const key of identifiers) {
      const refs = holders.get(key) ?? [];
      const shared = stored.get(key)?.shared ?? false;
      if (refs.length > 0 || shared) found.set(key, { holders: refs, shared });
    }
    return found;
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
