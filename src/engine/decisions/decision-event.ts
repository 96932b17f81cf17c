/** A manual decision as an event in the history of the profiles it touched. */
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { RecordRef } from '../../core/resolve/types.js';
import type { DecisionEntry } from '../../store/graph-store.js';
import type { CommitPlan } from '../commit/plan-commit.js';

/** The decision itself, in the history of every profile it touched, with the user's note. */
export function decisionEvent(
  entry: DecisionEntry,
  plan: CommitPlan,
  seeds: readonly RecordRef[],
  rulesVersion: string,
): ProfileEvent {
  const before = new Set<string>();
  const after = new Set<string>();
  const wanted = new Set(seeds);
  for (const ref of seeds) {
    const old = plan.oldProfileOf.get(ref);
    if (old) before.add(old);
  }
  for (const cluster of plan.clusters) if (cluster.refs.some((ref) => wanted.has(ref))) after.add(cluster.id);
  return {
    id: `e${entry.decision.id.slice(1)}-${plan.events.length + 1}`,
    kind: 'decision_recorded',
    at: entry.at,
    actor: entry.actor,
    rulesVersion,
    before: [...before].sort(),
    after: [...after].sort(),
    records: [...seeds].sort(),
    rule: entry.decision.kind,
    evidence: [],
    decisionId: entry.decision.id,
    ...(entry.note ? { note: entry.note } : {}),
  };
}
