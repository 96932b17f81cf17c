/**
 * Union-find whose unions can be refused. Each cluster carries a small summary (record count, the
 * values of the fields that constrain merging, the sides of manual keep-apart decisions), so a merge
 * is checked in time proportional to the smaller summary.
 */
import type { CompiledRules } from './compiled-rules.js';
import { fieldKeys } from './compiled-rules.js';
import type { FieldMatch } from './field-match.js';
import { type GuardConflict, guardConflict } from './profile-guards.js';
import type { Decision, PreparedRecord, RefusalReason } from './types.js';

/** Why a merge is refused; a guard's refusal says which field and values disagreed. */
export interface RefusalDetail {
  readonly reason: RefusalReason;
  readonly conflict?: GuardConflict;
}

interface ClusterSummary {
  size: number;
  /** field -> distinct matching keys, for never-merge, distinct-people and guarded fields and limited types. */
  values: Map<string, Set<string>>;
  /** keep_apart decision id -> the side this cluster is on. */
  sides: Map<string, 'A' | 'B'>;
}

export class ConstrainedUnion {
  private readonly parent: Int32Array;
  private readonly summaries: (ClusterSummary | undefined)[];

  constructor(
    records: readonly PreparedRecord[],
    private readonly rules: CompiledRules,
    decisions: readonly Decision[],
  ) {
    this.parent = new Int32Array(records.length).map((_, index) => index);
    const indexOf = new Map(records.map((record, index) => [record.ref, index]));
    const constrained = [
      ...new Set([
        ...rules.conflictFields,
        ...rules.maxPerProfile.keys(),
        ...[...rules.peopleFields.values()].flat(),
        ...rules.guardFields,
      ]),
    ];
    this.summaries = records.map((record) => {
      const values = new Map<string, Set<string>>();
      for (const field of constrained) {
        const keys = fieldKeys(record, field);
        if (keys.length > 0) values.set(field, new Set(keys));
      }
      return { size: 1, values, sides: new Map() };
    });
    for (const decision of decisions) {
      if (decision.kind !== 'keep_apart') continue;
      for (const [side, refs] of [
        ['A', decision.sideA],
        ['B', decision.sideB],
      ] as const) {
        for (const ref of refs) {
          const index = indexOf.get(ref);
          if (index !== undefined) this.summaries[index]?.sides.set(decision.id, side);
        }
      }
    }
  }

  find(index: number): number {
    let root = index;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    let cursor = index;
    while (this.parent[cursor] !== root) {
      const next = this.parent[cursor] as number;
      this.parent[cursor] = root;
      cursor = next;
    }
    return root;
  }

  /** Why the clusters of a and b may not merge, or undefined when they may. */
  refusal(
    a: number,
    b: number,
    { manual, guards = [] }: { manual: boolean; guards?: readonly FieldMatch[] },
  ): RefusalDetail | undefined {
    const left = this.summary(a);
    const right = this.summary(b);
    const [small, large] = left.sides.size <= right.sides.size ? [left, right] : [right, left];
    for (const [decision, side] of small.sides) {
      const other = large.sides.get(decision);
      if (other !== undefined && other !== side) return { reason: 'manual_decision' };
    }
    // A user's force-link overrides the automatic protections, not another manual decision.
    if (manual) return undefined;
    if (left.size + right.size > this.rules.maxProfileRecords) return { reason: 'profile_size_cap' };
    for (const field of this.rules.conflictFields) {
      if (wouldGrow(left.values.get(field), right.values.get(field), 1)) return { reason: 'conflicting_value' };
    }
    for (const [type, limit] of this.rules.maxPerProfile) {
      if (wouldGrow(left.values.get(type), right.values.get(type), limit)) return { reason: 'identifier_limit' };
    }
    const conflict = guardConflict(
      guards,
      (field) => left.values.get(field),
      (field) => right.values.get(field),
    );
    return conflict ? { reason: 'guard_conflict', conflict } : undefined;
  }

  union(a: number, b: number): void {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return;
    if ((this.summaries[rootA]?.size ?? 0) < (this.summaries[rootB]?.size ?? 0)) [rootA, rootB] = [rootB, rootA];
    const into = this.summaries[rootA] as ClusterSummary;
    const from = this.summaries[rootB] as ClusterSummary;
    into.size += from.size;
    for (const [field, keys] of from.values) {
      const target = into.values.get(field);
      if (target) for (const key of keys) target.add(key);
      else into.values.set(field, new Set(keys));
    }
    for (const [decision, side] of from.sides) into.sides.set(decision, side);
    this.parent[rootB] = rootA;
    this.summaries[rootB] = undefined;
  }

  /** The values a cluster holds for a field (never-merge, distinct-people, guarded or limited fields only). */
  fieldValues(index: number, field: string): ReadonlySet<string> | undefined {
    return this.summary(index).values.get(field);
  }

  private summary(index: number): ClusterSummary {
    return this.summaries[this.find(index)] as ClusterSummary;
  }
}

/**
 * True when the union of two value sets holds more than `limit` values and more than either side
 * already had: a cluster that arrived over the limit by itself (one record with two passports) is not
 * made unmergeable by it, but nothing may add to the excess.
 */
function wouldGrow(left: Set<string> | undefined, right: Set<string> | undefined, limit: number): boolean {
  if (!left || !right) return false;
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let union = large.size;
  for (const key of small) if (!large.has(key)) union++;
  return union > limit && union > large.size;
}
