/**
 * Shared verdicts during one resolution, decided per value the first time a rule could use it (see
 * shared-values.ts for how people are counted). Each holder brings what is known of its person: the
 * profile the rules before have formed, and, when given, the profile it is in when every value found
 * shared is set aside (`otherEvidence`): evidence of later rules, a phone and name tying a work and a
 * personal mailbox to one person, counts too.
 */
import type { CompiledRules } from './compiled-rules.js';
import type { ConstrainedUnion } from './constrained-union.js';
import { countPeople, type PersonSignature } from './shared-values.js';
import type { PreparedRecord } from './types.js';
import { identifierKey, splitIdentifierKey } from './types.js';

export interface SharedVerdictOptions {
  /** Whether an identifier value (identifierKey) has so many holders that it is shared uncounted. */
  readonly isHub: (identifier: string) => boolean;
  /** Values treated as shared without counting (the pass that finds the other evidence). */
  readonly withheld?: ReadonlySet<string>;
  /**
   * Profiles formed without the values found shared; holders of a `recount` value in one of them are
   * one person. Other values are counted as before, so a group of records with no value found shared
   * is resolved the same whether or not another group in the same resolution had one (resolving a
   * set of unconnected groups together or one by one must agree: bulk and incremental loads do each).
   */
  readonly otherEvidence?: { readonly union: ConstrainedUnion; readonly recount: ReadonlySet<string> };
}

export class SharedVerdicts {
  readonly decided = new Map<string, boolean>();
  private readonly holders = new Map<string, number[]>();

  constructor(
    records: readonly PreparedRecord[],
    private readonly rules: CompiledRules,
    private readonly union: ConstrainedUnion,
    private readonly options: SharedVerdictOptions,
  ) {
    records.forEach((record, index) => {
      for (const identifier of record.identifiers) {
        const key = identifierKey(identifier.type, identifier.key);
        const list = this.holders.get(key);
        if (list) list.push(index);
        else this.holders.set(key, [index]);
      }
    });
  }

  /** Whether an identifier value may link records (not a hub, not withheld, not found shared). */
  isEvidence(key: string): boolean {
    return !this.options.isHub(key) && this.options.withheld?.has(key) !== true && this.decided.get(key) !== true;
  }

  /**
   * Whether a value was counted and found shared in this resolution: held by several people, as
   * opposed to a hub (a placeholder on too many records to count) or a value not shared at all.
   */
  foundShared(key: string): boolean {
    return this.decided.get(key) === true && !this.options.isHub(key);
  }

  /** Decides every undecided value of these fields' types with shared_after. */
  decideFor(fields: readonly string[]): void {
    const types = new Set(fields.filter((field) => this.rules.sharedAfter.has(field)));
    if (types.size === 0) return;
    for (const [key, holders] of this.holders) {
      if (this.decided.has(key)) continue;
      const { type } = splitIdentifierKey(key);
      if (!types.has(type)) continue;
      const threshold = this.rules.sharedAfter.get(type) as number;
      if (holders.length < threshold) continue;
      const other = this.options.otherEvidence;
      this.decided.set(key, this.countsAsShared(key, other?.recount.has(key) ? other.union : undefined));
    }
  }

  /** Whether a value's holders make shared_after people, with another resolution's profiles when given. */
  countsAsShared(key: string, other: ConstrainedUnion | undefined): boolean {
    const type = splitIdentifierKey(key).type;
    const threshold = this.rules.sharedAfter.get(type) as number;
    const fields = this.rules.peopleFields.get(type) ?? [];
    const people = this.peopleSignatures(this.holders.get(key) ?? [], fields, other);
    return countPeople(people, this.rules.personNameFields, threshold, this.rules.identifierTypes) >= threshold;
  }

  /** One signature per group of holders known to be one person, in priority order of their first holder. */
  private peopleSignatures(
    holders: readonly number[],
    fields: readonly string[],
    other: ConstrainedUnion | undefined,
  ): PersonSignature[] {
    const groups = other ? this.groupsWithOther(holders, other) : this.groupsByProfile(holders);
    return groups.map((members) => {
      const signature = new Map<string, Set<string>>();
      for (const holder of members) {
        for (const union of other ? [this.union, other] : [this.union]) {
          for (const field of fields) {
            const values = union.fieldValues(holder, field);
            if (!values || values.size === 0) continue;
            const known = signature.get(field);
            if (known) for (const value of values) known.add(value);
            else signature.set(field, new Set(values));
          }
        }
      }
      return signature;
    });
  }

  /** One holder per current profile (its values are the profile's), in priority order. */
  private groupsByProfile(holders: readonly number[]): number[][] {
    const seen = new Set<number>();
    const groups: number[][] = [];
    for (const holder of holders) {
      const root = this.union.find(holder);
      if (seen.has(root)) continue;
      seen.add(root);
      groups.push([holder]);
    }
    return groups;
  }

  /** Holders joined when they share a current profile or one of the other resolution's. */
  private groupsWithOther(holders: readonly number[], other: ConstrainedUnion): number[][] {
    const parent = holders.map((_, position) => position);
    const find = (position: number): number => {
      let root = position;
      while (parent[root] !== root) root = parent[root] as number;
      return root;
    };
    const firstAt = [new Map<number, number>(), new Map<number, number>()] as const;
    holders.forEach((holder, position) => {
      [this.union.find(holder), other.find(holder)].forEach((root, kind) => {
        const first = firstAt[kind as 0 | 1].get(root);
        if (first === undefined) firstAt[kind as 0 | 1].set(root, position);
        else {
          const [a, b] = [find(first), find(position)];
          if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        }
      });
    });
    // Roots are each group's first position, so groups come in priority order of their first holder.
    const groups = new Map<number, number[]>();
    holders.forEach((holder, position) => {
      const root = find(position);
      const group = groups.get(root);
      if (group) group.push(holder);
      else groups.set(root, [holder]);
    });
    return [...groups.values()];
  }
}
