/** Helpers of manual decisions: which decisions a new one supersedes, the sides of an unmerge, its event. */
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { Decision, RecordRef } from '../../core/resolve/types.js';
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

export function samePair(decision: Extract<Decision, { kind: 'force_link' }>, a: RecordRef, b: RecordRef): boolean {
  return (decision.a === a && decision.b === b) || (decision.a === b && decision.b === a);
}

export function separates(decision: Decision, a: RecordRef, b: RecordRef): boolean {
  if (decision.kind !== 'keep_apart') return false;
  const inA = (ref: RecordRef) => decision.sideA.includes(ref);
  const inB = (ref: RecordRef) => decision.sideB.includes(ref);
  return (inA(a) && inB(b)) || (inA(b) && inB(a));
}

/** Connected components of a profile's records once some of its evidence edges are cut. */
export function componentsWithout(
  refs: readonly RecordRef[],
  edges: readonly { a: RecordRef; b: RecordRef }[],
  cut: readonly { a: RecordRef; b: RecordRef }[],
): RecordRef[][] {
  const cutIds = new Set(cut.map((edge) => pairId(edge.a, edge.b)));
  const neighbours = new Map<RecordRef, RecordRef[]>(refs.map((ref) => [ref, []]));
  for (const edge of edges) {
    if (cutIds.has(pairId(edge.a, edge.b))) continue;
    neighbours.get(edge.a)?.push(edge.b);
    neighbours.get(edge.b)?.push(edge.a);
  }
  const seen = new Set<RecordRef>();
  const components: RecordRef[][] = [];
  for (const start of refs) {
    if (seen.has(start)) continue;
    const component: RecordRef[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const ref = stack.pop() as RecordRef;
      component.push(ref);
      for (const next of neighbours.get(ref) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    components.push(component.sort());
  }
  return components;
}

const pairId = (a: RecordRef, b: RecordRef): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
