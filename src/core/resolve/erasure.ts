/**
 * What is left of history once records are erased for a privacy request: events keep their shape
 * and place (who merged into whom, when, under which rule), but every mention of an erased record
 * and every piece of evidence that touched one (evidence carries identifier values) is gone.
 */
import type { ProfileEvent } from './events.js';
import type { MergeEdge, RecordRef } from './types.js';

/** The event without the erased records, or undefined when it never mentioned one. */
export function redactEvent(event: ProfileEvent, erased: ReadonlySet<RecordRef>): ProfileEvent | undefined {
  const mentions =
    event.records.some((ref) => erased.has(ref)) ||
    event.evidence.some((edge) => touches(edge, erased)) ||
    Object.values(event.parts ?? {}).some((refs) => refs.some((ref) => erased.has(ref)));
  if (!mentions) return undefined;
  const { parts, ...rest } = event;
  const keptParts = parts
    ? Object.fromEntries(
        Object.entries(parts)
          .map(([id, refs]) => [id, refs.filter((ref) => !erased.has(ref))] as const)
          .filter(([, refs]) => refs.length > 0),
      )
    : undefined;
  return {
    ...rest,
    records: event.records.filter((ref) => !erased.has(ref)),
    ...(keptParts ? { parts: keptParts } : {}),
    evidence: redactEdges(event.evidence, erased),
  };
}

/** A stored profile without the erased records and the evidence that touched them. */
export function redactProfile<Profile extends { records: readonly RecordRef[]; edges: readonly MergeEdge[] }>(
  profile: Profile,
  erased: ReadonlySet<RecordRef>,
): Profile | undefined {
  if (!profile.records.some((ref) => erased.has(ref))) return undefined;
  return {
    ...profile,
    records: profile.records.filter((ref) => !erased.has(ref)),
    edges: redactEdges(profile.edges, erased),
  };
}

export function redactEdges(edges: readonly MergeEdge[], erased: ReadonlySet<RecordRef>): MergeEdge[] {
  return edges.filter((edge) => !touches(edge, erased));
}

/** The tombstone: that a profile was erased, when, by whom; nothing about the person. */
export function erasureEvent(input: {
  id: string;
  profileId: string;
  at: string;
  actor: string;
  rulesVersion: string;
  note?: string;
}): ProfileEvent {
  return {
    id: input.id,
    kind: 'erased',
    at: input.at,
    actor: input.actor,
    rulesVersion: input.rulesVersion,
    before: [input.profileId],
    after: [],
    records: [],
    evidence: [],
    ...(input.note ? { note: input.note } : {}),
  };
}

function touches(edge: MergeEdge, erased: ReadonlySet<RecordRef>): boolean {
  return erased.has(edge.a) || erased.has(edge.b);
}
