/**
 * Guards (`must_not_differ`) judged between the two profiles a merge would join, not only the two
 * records that matched, so a record without a name cannot chain two people: a nameless receipt
 * sharing a household landline with Ann and with Bob joins Ann's profile, which then holds "ann",
 * and Bob's profile cannot follow.
 *
 * The rule, per guarded field: when both profiles hold values, every value of each profile must agree
 * (under the guard's comparator) with at least one value of the other. One value that agrees with
 * none of the other side's is a conflict. A profile without a value never blocks. Requiring every
 * value to find a partner, rather than any one pair to agree, keeps a profile that already holds
 * "ann" and "bob" (joined by a shared mailbox, say) from absorbing a third person through either name.
 */
import type { FieldMatch } from './field-match.js';
import { valuesAgree } from './field-match.js';

/** A guard's refusal, kept so an explanation can name the field and the values that disagreed. */
export interface GuardConflict {
  readonly field: string;
  readonly comparator: FieldMatch['comparator'];
  /** The value (matching key) that agrees with none of the other profile's. */
  readonly value: string;
  /** Which record's profile holds it: the refusal's `a` or `b`. */
  readonly side: 'a' | 'b';
  /** The other profile's values for the field. */
  readonly others: readonly string[];
}

export type ValuesOf = (field: string) => ReadonlySet<string> | undefined;

export function guardConflict(
  guards: readonly FieldMatch[],
  left: ValuesOf,
  right: ValuesOf,
): GuardConflict | undefined {
  for (const guard of guards) {
    const a = left(guard.field);
    const b = right(guard.field);
    if (!a || !b || a.size === 0 || b.size === 0) continue;
    const fromA = unmatched(guard, a, b);
    if (fromA !== undefined) return conflict(guard, fromA, 'a', b);
    const fromB = unmatched(guard, b, a);
    if (fromB !== undefined) return conflict(guard, fromB, 'b', a);
  }
  return undefined;
}

/** The first value of `values` (in sorted order, so the answer does not depend on insertion) with no partner. */
function unmatched(guard: FieldMatch, values: ReadonlySet<string>, others: ReadonlySet<string>): string | undefined {
  const lonely: string[] = [];
  for (const value of values) {
    if (others.has(value)) continue;
    let partnered = false;
    for (const other of others) {
      if (valuesAgree(guard, value, other)) {
        partnered = true;
        break;
      }
    }
    if (!partnered) lonely.push(value);
  }
  return lonely.length === 0 ? undefined : lonely.sort()[0];
}

function conflict(guard: FieldMatch, value: string, side: 'a' | 'b', others: ReadonlySet<string>): GuardConflict {
  return { field: guard.field, comparator: guard.comparator, value, side, others: [...others].sort() };
}
