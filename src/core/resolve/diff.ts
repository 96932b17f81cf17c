/**
 * Turns the re-resolution of a scope into history events by comparing who was with whom before and
 * after: clusters that absorb several old profiles are merges, old profiles spread over several
 * clusters are splits, records that had no profile are creations or additions.
 */
import type { EventContext, ProfileEvent, SplitCause } from './events.js';
import type { AssignedCluster } from './profile-ids.js';
import type { MergeEdge, RecordRef } from './types.js';

export interface DiffInput {
  readonly clusters: readonly AssignedCluster[];
  readonly edges: readonly MergeEdge[];
  readonly oldProfileIdOf: (ref: RecordRef) => string | undefined;
  /** The previous spanning-forest edges of an old profile, to say which evidence a split lost. */
  readonly oldEdgesOf: (profileId: string) => readonly MergeEdge[];
  readonly splitCause: SplitCause;
  readonly context: EventContext;
}

export function diffResolution(input: DiffInput): ProfileEvent[] {
  const { context } = input;
  const base = { at: context.at, actor: context.actor, rulesVersion: context.rulesVersion };
  const clusterIdOf = new Map<RecordRef, string>();
  for (const cluster of input.clusters) for (const ref of cluster.refs) clusterIdOf.set(ref, cluster.id);

  const events: ProfileEvent[] = [];
  // Splits first: a split-off part must exist in history before anything merges into it.
  const destinations = new Map<string, Set<string>>();
  /** Old profile -> receiving cluster -> the records it took. */
  const moved = new Map<string, Map<string, RecordRef[]>>();
  for (const cluster of input.clusters) {
    for (const ref of cluster.refs) {
      const old = input.oldProfileIdOf(ref);
      if (!old) continue;
      let set = destinations.get(old);
      if (!set) {
        set = new Set();
        destinations.set(old, set);
      }
      set.add(cluster.id);
      if (cluster.id !== old && !cluster.inherited.includes(old)) {
        let parts = moved.get(old);
        if (!parts) {
          parts = new Map();
          moved.set(old, parts);
        }
        const list = parts.get(cluster.id);
        if (list) list.push(ref);
        else parts.set(cluster.id, [ref]);
      }
    }
  }
  const stillEdges = new Set(input.edges.map(edgeId));
  for (const [old, after] of [...destinations].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (after.size < 2) continue;
    const lost = input.oldEdgesOf(old).filter((edge) => !stillEdges.has(edgeId(edge)));
    const parts = [...(moved.get(old) ?? [])].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    events.push({
      ...base,
      id: context.nextId(),
      kind: 'split',
      before: [old],
      after: [...after].sort(),
      records: parts.flatMap(([, refs]) => refs).sort(),
      parts: Object.fromEntries(parts.map(([id, refs]) => [id, refs.sort()])),
      evidence: lost,
      cause: input.splitCause,
    });
  }

  const edgesByCluster = new Map<string, MergeEdge[]>();
  for (const edge of input.edges) {
    const id = clusterIdOf.get(edge.a) as string;
    const list = edgesByCluster.get(id);
    if (list) list.push(edge);
    else edgesByCluster.set(id, [edge]);
  }
  for (const cluster of input.clusters) {
    const within = edgesByCluster.get(cluster.id) ?? [];
    const fresh = cluster.refs.filter((ref) => !input.oldProfileIdOf(ref));
    if (cluster.inherited.length >= 2) {
      const parts = new Set(cluster.inherited);
      const crossing = within.filter((edge) => {
        const left = input.oldProfileIdOf(edge.a);
        const right = input.oldProfileIdOf(edge.b);
        return left !== undefined && right !== undefined && left !== right && parts.has(left) && parts.has(right);
      });
      // Old profiles can also be joined through a new record that links both: that edge pair is the evidence.
      const evidence = crossing.length > 0 ? crossing : within.filter((edge) => touches(edge, fresh));
      events.push({
        ...base,
        id: context.nextId(),
        kind: 'merge',
        before: [...cluster.inherited],
        after: [cluster.id],
        records: [],
        ...(evidence[0] ? { rule: evidence[0].rule } : {}),
        evidence,
      });
    }
    if (fresh.length === 0) continue;
    const isCreation = cluster.isNew && fresh.length === cluster.refs.length;
    const evidence = within.filter((edge) => touches(edge, fresh));
    events.push({
      ...base,
      id: context.nextId(),
      kind: isCreation ? 'profile_created' : 'records_added',
      before: isCreation ? [] : [cluster.id],
      after: [cluster.id],
      records: fresh,
      ...(evidence[0] ? { rule: evidence[0].rule } : {}),
      evidence,
    });
  }
  return events;
}

const edgeId = (edge: MergeEdge): string => (edge.a < edge.b ? `${edge.a}|${edge.b}` : `${edge.b}|${edge.a}`);

function touches(edge: MergeEdge, refs: readonly RecordRef[]): boolean {
  // Clusters are small; a Set would cost more than it saves below a few dozen records.
  return refs.includes(edge.a) || refs.includes(edge.b);
}
