/**
 * What a manual decision will be, worked out from what the store holds and before anything is
 * written: the decision a link, never-link, split or unmerge asks for, the earlier decisions it
 * supersedes, or the reason it is refused. Pure: the engine reads, these decide, the engine commits.
 */
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { Decision, MergeEdge, RecordRef } from '../../core/resolve/types.js';
import type { ReviewAction } from '../../core/review/review-item.js';
import { EngineError } from '../engine-error.js';

/** A decision before the commit gives it its ID. */
export type DecisionDraft = Decision extends infer D ? (D extends Decision ? Omit<D, 'id'> : never) : never;

/** A draft with the IDs of the standing decisions it replaces. */
export interface PairDecision {
  readonly draft: DecisionDraft;
  readonly superseded: readonly string[];
}

/**
 * A link or never-link of two records, given the decisions that name either: it supersedes those
 * it contradicts. Undefined when there is nothing to write: linking a pair already force-linked,
 * with nothing keeping it apart, adds no second decision (a retried request, a replayed alias),
 * unless it closes a review item, whose decision is always recorded.
 */
export function pairDecision(
  existing: readonly Decision[],
  action: ReviewAction,
  a: RecordRef,
  b: RecordRef,
  closesReviewItem: boolean,
): PairDecision | undefined {
  const contradicts =
    action === 'link'
      ? (decision: Decision) => separates(decision, a, b)
      : (decision: Decision) => decision.kind === 'force_link' && samePair(decision, a, b);
  const superseded = existing.filter(contradicts).map((decision) => decision.id);
  const standing = existing.some((decision) => decision.kind === 'force_link' && samePair(decision, a, b));
  if (action === 'link' && !closesReviewItem && standing && superseded.length === 0) return undefined;
  const draft: DecisionDraft =
    action === 'link' ? { kind: 'force_link', a, b } : { kind: 'keep_apart', sideA: [a], sideB: [b] };
  return { draft, superseded };
}

/** Splitting `refs` off a profile: they and the rest are kept apart for good. */
export function splitDraft(
  profile: { readonly id: string; readonly records: readonly RecordRef[] },
  refs: readonly RecordRef[],
): DecisionDraft {
  const members = new Set(profile.records);
  const outside = refs.find((ref) => !members.has(ref));
  if (outside !== undefined) throw new EngineError('RECORD_NOT_FOUND', `${outside} is not in profile ${profile.id}`);
  const moving = new Set(refs);
  const staying = profile.records.filter((ref) => !moving.has(ref));
  if (moving.size === 0 || staying.length === 0) {
    throw new EngineError('NOTHING_TO_SPLIT', 'a split needs records on both sides');
  }
  return { kind: 'keep_apart', sideA: [...moving].sort(), sideB: staying };
}

/** The evidence edge an unmerge starts from (its records name the profile to split), or why the event cannot be undone. */
export function unmergeAnchor(event: ProfileEvent): MergeEdge {
  if (event.kind !== 'merge' && event.kind !== 'records_added') {
    throw new EngineError('NOT_A_MERGE', `event ${event.id} is a ${event.kind}, not a merge`);
  }
  const anchor = event.evidence[0];
  if (!anchor) throw new EngineError('NOT_A_MERGE', `event ${event.id} records no evidence to undo`);
  return anchor;
}

/**
 * Undoing a merge event (its anchor as unmergeAnchor gave it) on the profile that now holds the
 * anchor's records: the event's evidence is cut, and
 * the two sides it leaves are kept apart; all the profile's records are resolved again. Refused
 * when the records are no longer together or other evidence still joins them.
 */
export function unmergeDraft(
  event: ProfileEvent,
  anchor: MergeEdge,
  profile: { readonly records: readonly RecordRef[]; readonly edges: readonly MergeEdge[] } | undefined,
): { readonly draft: DecisionDraft; readonly records: readonly RecordRef[] } {
  if (!profile) throw new EngineError('NOTHING_TO_SPLIT', `the records of event ${event.id} are no longer together`);
  const sides = componentsWithout(profile.records, profile.edges, event.evidence);
  const sideOf = (ref: RecordRef) => sides.find((side) => side.includes(ref));
  const left = sideOf(anchor.a);
  const right = sideOf(anchor.b);
  if (!left || !right || left === right) {
    throw new EngineError('NOTHING_TO_SPLIT', `the records of event ${event.id} are held together by other evidence`);
  }
  return { draft: { kind: 'keep_apart', sideA: left, sideB: right }, records: profile.records };
}

function samePair(decision: Extract<Decision, { kind: 'force_link' }>, a: RecordRef, b: RecordRef): boolean {
  return (decision.a === a && decision.b === b) || (decision.a === b && decision.b === a);
}

function separates(decision: Decision, a: RecordRef, b: RecordRef): boolean {
  if (decision.kind !== 'keep_apart') return false;
  const inA = (ref: RecordRef) => decision.sideA.includes(ref);
  const inB = (ref: RecordRef) => decision.sideB.includes(ref);
  return (inA(a) && inB(b)) || (inA(b) && inB(a));
}

/** Connected components of a profile's records once some of its evidence edges are cut. */
function componentsWithout(
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
