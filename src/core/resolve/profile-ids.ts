/**
 * Stable profile IDs across re-resolution. When profiles merge, the oldest ID survives and the others
 * point to it; when a profile splits, the part holding most of its records keeps the ID (ties go to
 * the part with the smallest record reference) and the other parts get new IDs. A cluster whose
 * records had no profile gets a new ID.
 */
import { hash } from 'node:crypto';
import type { RecordRef } from './types.js';

export interface ExistingProfile {
  readonly id: string;
  /** Creation sequence: lower is older. */
  readonly seq: number;
}

export interface AssignedCluster {
  readonly id: string;
  readonly refs: readonly RecordRef[];
  /** Old profiles this cluster continues: its own ID's profile first, then the ones it absorbed. */
  readonly inherited: readonly string[];
  readonly isNew: boolean;
}

export function assignProfileIds(
  clusters: readonly (readonly RecordRef[])[],
  oldProfileOf: (ref: RecordRef) => ExistingProfile | undefined,
  isIdTaken: (id: string) => boolean,
): AssignedCluster[] {
  // For every old profile, how many of its records each new cluster holds.
  const spread = new Map<string, { profile: ExistingProfile; counts: Map<number, number> }>();
  clusters.forEach((refs, clusterIndex) => {
    for (const ref of refs) {
      const profile = oldProfileOf(ref);
      if (!profile) continue;
      let entry = spread.get(profile.id);
      if (!entry) {
        entry = { profile, counts: new Map() };
        spread.set(profile.id, entry);
      }
      entry.counts.set(clusterIndex, (entry.counts.get(clusterIndex) ?? 0) + 1);
    }
  });

  const inheritedBy = clusters.map(() => [] as ExistingProfile[]);
  for (const { profile, counts } of spread.values()) {
    let heir = -1;
    let best = 0;
    // Cluster indexes ascend with their smallest ref, so the first maximum is the tie-break winner.
    for (const [clusterIndex, count] of [...counts].sort((x, y) => x[0] - y[0])) {
      if (count > best) {
        best = count;
        heir = clusterIndex;
      }
    }
    inheritedBy[heir]?.push(profile);
  }

  const issued = new Set<string>();
  return clusters.map((refs, clusterIndex) => {
    const inherited = (inheritedBy[clusterIndex] ?? []).sort((x, y) => x.seq - y.seq);
    const survivor = inherited[0];
    if (survivor) return { id: survivor.id, refs, inherited: inherited.map((p) => p.id), isNew: false };
    const id = newProfileId(refs[0] as RecordRef, (candidate) => issued.has(candidate) || isIdTaken(candidate));
    issued.add(id);
    return { id, refs, inherited: [], isNew: true };
  });
}

/**
 * A new ID derived from the cluster's smallest record reference, so two stores that see the same
 * data issue the same IDs; a counter is mixed in when that ID was used before (a re-split profile).
 */
export function newProfileId(seedRef: RecordRef, isTaken: (id: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const id = candidateId(seedRef, attempt);
    if (!isTaken(id)) return id;
  }
}

/** The ID a new profile seeded by this record gets unless that ID was used before. */
export const firstProfileId = (seedRef: RecordRef): string => candidateId(seedRef, 0);

function candidateId(seedRef: RecordRef, attempt: number): string {
  // One-shot hashing: a first load issues half a million IDs, and it is a third of createHash's cost.
  return `p_${hash('sha256', `${seedRef}#${attempt}`, 'hex').slice(0, 20)}`;
}
