/**
 * Why two records are in one profile: the chain of accepted evidence between them in the profile's
 * spanning forest (each step one rule, with the values or scores that matched).
 */
import type { MergeEdge, RecordRef } from '../resolve/types.js';

export function evidencePath(edges: readonly MergeEdge[], from: RecordRef, to: RecordRef): MergeEdge[] | undefined {
  if (from === to) return [];
  const adjacent = new Map<RecordRef, MergeEdge[]>();
  for (const edge of edges) {
    for (const end of [edge.a, edge.b]) {
      const list = adjacent.get(end);
      if (list) list.push(edge);
      else adjacent.set(end, [edge]);
    }
  }
  const via = new Map<RecordRef, MergeEdge>();
  const queue: RecordRef[] = [from];
  const seen = new Set<RecordRef>([from]);
  while (queue.length > 0) {
    const ref = queue.shift() as RecordRef;
    for (const edge of adjacent.get(ref) ?? []) {
      const next = edge.a === ref ? edge.b : edge.a;
      if (seen.has(next)) continue;
      seen.add(next);
      via.set(next, edge);
      if (next === to) return walkBack(via, from, to);
      queue.push(next);
    }
  }
  return undefined;
}

function walkBack(via: Map<RecordRef, MergeEdge>, from: RecordRef, to: RecordRef): MergeEdge[] {
  const path: MergeEdge[] = [];
  let cursor = to;
  while (cursor !== from) {
    const edge = via.get(cursor) as MergeEdge;
    path.push(edge);
    cursor = edge.a === cursor ? edge.b : edge.a;
  }
  return path.reverse();
}
