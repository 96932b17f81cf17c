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
      const fields = this.rules.peopleFields.get(type) ?? [];
      const people = this.peopleSignatures(holders, fields, other?.recount.has(key) ? other.union : undefined);
      this.decided.set(key, countPeople(people, this.rules.personNameFields, threshold) >= threshold);
    }
  }

  /** One signature per group of holders known to be one person, in priority order of their first holder. */
  private peopleSignatures(
    holders: readonly number[],
    fields: readonly string[],
    other: ConstrainedUnion | undefined,
  ): PersonSignature[] {
    // Holders join a group when they share a current profile or, when given, an other-evidence one.
    const groupOf = new Map<string, number>();
    const parent: number[] = [];
    const find = (group: number): number => {
      while (parent[group] !== group) group = parent[group] as number;
      return group;
    };
    const groupOfHolder = holders.map((holder) => {
      const keys = [`c${this.union.find(holder)}`];
      if (other) keys.push(`o${other.find(holder)}`);
      let group: number | undefined;
      for (const key of keys) {
        const known = groupOf.get(key);
        if (known === undefined) continue;
        const root = find(known);
        if (group === undefined) group = root;
        else if (root !== group) parent[Math.max(root, group)] = Math.min(root, group);
        group = find(group);
      }
      if (group === undefined) {
        group = parent.length;
        parent.push(group);
      }
      for (const key of keys) if (!groupOf.has(key)) groupOf.set(key, group);
      return group;
    });
    const signatures = new Map<number, Map<string, Set<string>>>();
    holders.forEach((holder, position) => {
      const group = find(groupOfHolder[position] as number);
      let signature = signatures.get(group);
      if (!signature) {
        signature = new Map();
        signatures.set(group, signature);
      }
      for (const field of fields) {
        for (const source of other ? [this.union, other] : [this.union]) {
          const values = source.fieldValues(holder, field);
          if (!values || values.size === 0) continue;
          const known = signature.get(field);
          if (known) for (const value of values) known.add(value);
          else signature.set(field, new Set(values));
        }
      }
    });
    // Map order is insertion order, and each group is inserted at its first holder.
    return [...signatures.values()];
  }
}
