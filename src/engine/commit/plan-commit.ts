/**
 * One unit of change: collect the affected scope, resolve it, keep profile IDs stable, and describe
 * the outcome as a ChangeSet (profiles, retirements, shared-value verdicts, history events, and the
 * review items the scope's resolution found in place of those it had). Nothing is written here; the
 * caller commits the plan, or shows it as a dry run.
 */
import type { CompiledRules } from '../../core/resolve/compiled-rules.js';
import { diffResolution } from '../../core/resolve/diff.js';
import type { ProfileEvent, SplitCause } from '../../core/resolve/events.js';
import { type AssignedCluster, assignProfileIds, firstProfileId } from '../../core/resolve/profile-ids.js';
import { type Refusal, resolveRecords } from '../../core/resolve/resolve-records.js';
import type { TermFrequencies } from '../../core/resolve/term-frequencies.js';
import type { Decision, MergeEdge, PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import { reconcileReview } from '../../core/review/reconcile.js';
import type { ReviewChange } from '../../core/review/review-item.js';
import type { RetiredProfile, StoredProfile } from '../../store/graph-store.js';
import { collectScope } from './collect-scope.js';
import type { StagedView } from './staged-view.js';

export interface PlanInput {
  readonly view: StagedView;
  readonly rules: CompiledRules;
  readonly rulesVersion: string;
  readonly seeds: Iterable<RecordRef>;
  readonly extraIdentifiers?: Iterable<string>;
  /** Manual decisions in force after this commit (the store's, plus added, minus removed). */
  readonly decisions: (refs: readonly RecordRef[]) => Promise<Decision[]>;
  readonly commit: number;
  readonly at: string;
  readonly actor: string;
  readonly splitCause: SplitCause;
  /** Term counts of the store's records with this commit's in place (kept-term-counts.ts). */
  readonly frequencies: TermFrequencies;
}

export interface CommitPlan {
  /** The commit number the plan was made for (its event IDs carry it). */
  readonly commit: number;
  /** The profiles this commit writes: new, or changed in membership or evidence. */
  readonly profiles: StoredProfile[];
  /**
   * Every live profile of the scope as the commit leaves it, written or not: a profile whose records
   * changed in content but not in membership is here and not in `profiles`.
   */
  readonly scopeProfiles: StoredProfile[];
  /** The scope's records as the commit leaves them (its own versions of the records it changes). */
  readonly scopeRecords: ReadonlyMap<RecordRef, PreparedRecord>;
  readonly retired: RetiredProfile[];
  readonly shared: { identifier: string; shared: boolean }[];
  readonly events: ProfileEvent[];
  readonly refusals: Refusal[];
  /** The review items this commit writes and removes. */
  readonly review: ReviewChange;
  readonly clusters: AssignedCluster[];
  readonly oldProfileOf: ReadonlyMap<RecordRef, string>;
}

export async function planCommit(input: PlanInput): Promise<CommitPlan> {
  const { view } = input;
  const scope = await collectScope(view, input.rules, input.frequencies, input.seeds, input.extraIdentifiers);
  const refs = [...scope.records.keys()];
  // Asked side by side: no answer depends on another, and a remote store takes them at once. The
  // IDs new profiles will most likely take are asked with them rather than after resolution, one
  // round trip fewer a commit: records without a profile seed the new ones (a split-off part, the
  // rest, is asked about once resolved).
  const likelyNewIds = refs.filter((ref) => !scope.oldProfileOf.has(ref)).map(firstProfileId);
  const [decisions, existingReview, takenOfLikely] = await Promise.all([
    input.decisions(refs),
    view.store.reviewItemsOf([...refs, ...view.removals]),
    view.store.existingProfileIds(likelyNewIds),
  ]);
  const resolved = resolveRecords({
    records: [...scope.records.values()],
    rules: input.rules,
    decisions,
    isHub: (identifier) => scope.hubs.get(identifier) ?? false,
    frequencies: input.frequencies,
  });

  const oldIds = [...new Set(scope.oldProfileOf.values())];
  const oldProfiles = scope.oldProfiles;
  const oldProfileOf = (ref: RecordRef) => {
    const id = scope.oldProfileOf.get(ref);
    return id === undefined ? undefined : oldProfiles.get(id);
  };
  const clusters = await assignIdsAvoidingTaken(resolved.clusters, oldProfileOf, view, {
    asked: new Set(likelyNewIds),
    taken: takenOfLikely,
  });

  // Shared verdicts: counted ones from resolution, hubs from their holder counts.
  const verdicts = new Map(resolved.shared);
  for (const [identifier, isHub] of scope.hubs) if (isHub) verdicts.set(identifier, true);
  const storedShared = scope.storedShared;
  for (const identifier of storedShared) if (!verdicts.has(identifier)) verdicts.set(identifier, false);
  const shared = [...verdicts]
    .filter(([identifier, isShared]) => isShared !== storedShared.has(identifier))
    .map(([identifier, isShared]) => ({ identifier, shared: isShared }));
  // A value that just became shared is what splits profiles in this commit, whatever triggered it.
  const splitCause = shared.some((flip) => flip.shared) ? 'shared_value' : input.splitCause;

  let eventCounter = 0;
  const events = diffResolution({
    clusters,
    edges: resolved.edges,
    oldProfileIdOf: (ref) => scope.oldProfileOf.get(ref),
    oldEdgesOf: (id) => oldProfiles.get(id)?.edges ?? [],
    splitCause,
    context: {
      at: input.at,
      actor: input.actor,
      rulesVersion: input.rulesVersion,
      nextId: () => `e${input.commit}-${++eventCounter}`,
    },
  });

  const edgesByRef = new Map<RecordRef, MergeEdge[]>();
  for (const edge of resolved.edges) {
    const list = edgesByRef.get(edge.a);
    if (list) list.push(edge);
    else edgesByRef.set(edge.a, [edge]);
  }
  const profiles: StoredProfile[] = [];
  const scopeProfiles: StoredProfile[] = [];
  clusters.forEach((cluster, index) => {
    const edges = cluster.refs.flatMap((ref) => edgesByRef.get(ref) ?? []);
    const previous = oldProfiles.get(cluster.id);
    if (previous && sameProfile(previous, cluster.refs, edges)) {
      scopeProfiles.push(previous);
      return;
    }
    const profile = {
      id: cluster.id,
      seq: previous?.seq ?? input.commit * 1_000_000 + index,
      records: cluster.refs,
      edges,
    };
    profiles.push(profile);
    scopeProfiles.push(profile);
  });

  const liveIds = new Set(clusters.map((cluster) => cluster.id));
  const retired: RetiredProfile[] = [];
  for (const id of oldIds) {
    if (liveIds.has(id)) continue;
    const heir = clusters.find((cluster) => cluster.inherited.includes(id));
    retired.push(heir ? { id, mergedInto: heir.id } : { id });
  }

  // The items naming the scope's records are all the scope's resolution can have found (it is
  // closed over the pairs that make items), with those naming records that leave the graph.
  const review = reconcileReview({
    existing: existingReview,
    candidates: resolved.review,
    removed: view.removals,
    commit: input.commit,
    at: input.at,
  });

  return {
    commit: input.commit,
    profiles,
    scopeProfiles,
    scopeRecords: scope.records,
    retired,
    shared,
    events,
    refusals: resolved.refusals,
    review,
    clusters,
    oldProfileOf: scope.oldProfileOf,
  };
}

/** IDs whose use before is known: those asked, and of them those the store had issued. */
interface KnownIds {
  readonly asked: ReadonlySet<string>;
  readonly taken: ReadonlySet<string>;
}

/**
 * New IDs are derived from content; on the rare collision with an ID issued before, derive again.
 * The store is asked only about new IDs not known already.
 */
async function assignIdsAvoidingTaken(
  clusters: RecordRef[][],
  oldProfileOf: Parameters<typeof assignProfileIds>[1],
  view: StagedView,
  known: KnownIds,
): Promise<AssignedCluster[]> {
  const asked = new Set(known.asked);
  const taken = new Set(known.taken);
  for (;;) {
    const assigned = assignProfileIds(clusters, oldProfileOf, (id) => taken.has(id));
    const unknown = assigned.filter((cluster) => cluster.isNew && !asked.has(cluster.id)).map((cluster) => cluster.id);
    if (unknown.length === 0) return assigned;
    for (const id of unknown) asked.add(id);
    for (const id of await view.store.existingProfileIds(unknown)) taken.add(id);
  }
}

function sameProfile(previous: StoredProfile, refs: readonly RecordRef[], edges: readonly MergeEdge[]): boolean {
  if (previous.records.length !== refs.length || previous.edges.length !== edges.length) return false;
  const before = new Set(previous.records);
  if (!refs.every((ref) => before.has(ref))) return false;
  return JSON.stringify(previous.edges) === JSON.stringify(edges);
}
