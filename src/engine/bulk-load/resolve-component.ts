/**
 * Resolving one component of a first load (bulk-load.ts) with the same pure function as incremental
 * ingest, with the values it found shared. Runs in the main thread or in worker threads
 * (component-worker.ts); both give the same answer.
 */

import { decodeRecord } from '../../codec/record-codec.js';
import type { CompiledRules } from '../../core/resolve/compiled-rules.js';
import { newProfileId } from '../../core/resolve/profile-ids.js';
import { resolveRecords } from '../../core/resolve/resolve-records.js';
import type { ReviewCandidate } from '../../core/resolve/review-candidates.js';
import type { TermFrequencies } from '../../core/resolve/term-frequencies.js';
import type { MergeEdge, PreparedRecord, RecordRef } from '../../core/resolve/types.js';

export interface ResolvedComponent {
  readonly clusters: RecordRef[][];
  /**
   * Each cluster's edges as JSON (engine/bulk-load/packed-profile.ts), in the order of its records, each edge
   * under the record it starts from: sent as text, they are neither rebuilt as objects nor encoded
   * on the writing thread.
   */
  readonly edgesJson: string[];
  /** The rule of each cluster's first edge (undefined for a cluster without edges). */
  readonly firstRules: (string | undefined)[];
  /** Values resolution found shared (held by too many people to be evidence). */
  readonly shared: string[];
  /**
   * Each cluster's ID unless another profile took it already (newProfileId's first choice); the
   * writer, which knows every ID issued, checks. Hashing it here spares the writing thread.
   */
  readonly proposedIds: string[];
  /** Pairs for a data steward to review (core/resolve/review-candidates.ts). */
  readonly review: ReviewCandidate[];
}

export function resolveComponent(
  members: readonly PreparedRecord[],
  rules: CompiledRules,
  hubs: ReadonlySet<string>,
  frequencies: TermFrequencies,
): ResolvedComponent {
  const resolved = resolveRecords({
    records: members,
    rules,
    decisions: [],
    isHub: (key) => hubs.has(key),
    frequencies,
  });
  const shared: string[] = [];
  for (const [identifier, isShared] of resolved.shared) if (isShared) shared.push(identifier);
  const proposedIds = resolved.clusters.map((refs) => newProfileId(refs[0] as RecordRef, () => false));
  const edgesOf = edgeLookup(resolved.edges);
  const clusterEdges = resolved.clusters.map(edgesOf);
  return {
    clusters: resolved.clusters,
    edgesJson: clusterEdges.map((edges) => JSON.stringify(edges)),
    firstRules: clusterEdges.map((edges) => edges[0]?.rule),
    shared,
    proposedIds,
    review: resolved.review,
  };
}

/** A cluster's edges in the order of its records (each edge listed under the record it starts from). */
function edgeLookup(edges: readonly MergeEdge[]): (refs: readonly RecordRef[]) => MergeEdge[] {
  const byRef = new Map<RecordRef, MergeEdge[]>();
  for (const edge of edges) {
    const list = byRef.get(edge.a);
    if (list) list.push(edge);
    else byRef.set(edge.a, [edge]);
  }
  return (refs) => refs.flatMap((ref) => byRef.get(ref) ?? []);
}

/**
 * Consecutive components: their records in order, as two lists (cloned for a worker much faster
 * than an object per record), and how many records each component has.
 */
export interface ComponentRun {
  readonly refs: readonly RecordRef[];
  /** Each record's encoding (record-codec.ts), or '' in a component of one, which needs none. */
  readonly encoded: readonly string[];
  readonly sizes: readonly number[];
}

export function resolveComponentRun(
  run: ComponentRun,
  rules: CompiledRules,
  hubs: ReadonlySet<string>,
  frequencies: TermFrequencies,
): ResolvedComponent[] {
  const resolved: ResolvedComponent[] = [];
  let start = 0;
  for (const size of run.sizes) {
    if (size === 1) resolved.push(resolveAlone(run.refs[start] as RecordRef));
    else {
      const members: PreparedRecord[] = [];
      for (let at = start; at < start + size; at++) {
        members.push(decodeRecord(run.refs[at] as RecordRef, run.encoded[at] as string));
      }
      resolved.push(resolveComponent(members, rules, hubs, frequencies));
    }
    start += size;
  }
  return resolved;
}

/**
 * A component of one record is a profile of its own, as resolveRecords decides for a lone record,
 * here without decoding it: a fifth of the records of the synthetic load are alone.
 */
function resolveAlone(ref: RecordRef): ResolvedComponent {
  return {
    clusters: [[ref]],
    edgesJson: ['[]'],
    firstRules: [undefined],
    shared: [],
    proposedIds: [newProfileId(ref, () => false)],
    review: [],
  };
}
