/**
 * The report of a rules dry run: which profiles would merge or split, how many records move and
 * how many review items open and close, computed from a commit plan before anything is written.
 */
import type { CommitPlan } from '../commit/plan-commit.js';

export interface RulesDiffReport {
  readonly records: number;
  readonly profilesBefore: number;
  readonly profilesAfter: number;
  readonly merges: { readonly before: readonly string[]; readonly after: string; readonly rule?: string }[];
  readonly splits: { readonly before: string; readonly after: readonly string[] }[];
  /** Records whose profile ID would change. */
  readonly recordsMoving: number;
  readonly newProfiles: number;
  /** Review items the new rules would open (pairs not in the queue now) and close. */
  readonly reviewOpened: number;
  readonly reviewClosed: number;
}

export function rulesDiffReport(plan: CommitPlan, records: number): RulesDiffReport {
  const profilesBefore = new Set(plan.oldProfileOf.values()).size;
  let recordsMoving = 0;
  for (const cluster of plan.clusters) {
    for (const ref of cluster.refs) if (plan.oldProfileOf.get(ref) !== cluster.id) recordsMoving++;
  }
  return {
    records,
    profilesBefore,
    profilesAfter: plan.clusters.length,
    merges: plan.events
      .filter((event) => event.kind === 'merge')
      .map((event) => ({
        before: event.before,
        after: event.after[0] as string,
        ...(event.rule ? { rule: event.rule } : {}),
      })),
    splits: plan.events
      .filter((event) => event.kind === 'split')
      .map((event) => ({ before: event.before[0] as string, after: event.after })),
    recordsMoving,
    newProfiles: plan.clusters.filter((cluster) => cluster.isNew).length,
    reviewOpened: plan.review.upserts.filter((item) => item.createdCommit === plan.commit).length,
    reviewClosed: plan.review.removed.length,
  };
}
