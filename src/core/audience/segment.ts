/**
 * Audiences built from conditions on profiles rather than uploaded rows: "country is GB, has a
 * phone, seen in the last 90 days, in audience X, not in audience Y". A profile belongs when every
 * condition holds. Pure: the caller gathers each profile's facts and the other audiences' members.
 */

export type SegmentCondition =
  | { readonly kind: 'attribute'; readonly name: string; readonly op: 'is' | 'is_not'; readonly value: string }
  | { readonly kind: 'has'; readonly type: string }
  | { readonly kind: 'seen_within_days'; readonly days: number }
  | { readonly kind: 'in_audience'; readonly audience: string }
  | { readonly kind: 'not_in_audience'; readonly audience: string };

/** What the conditions look at, for one profile. */
export interface SegmentFacts {
  readonly profileId: string;
  /** Golden-record values by attribute name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Identifier types the profile holds (email, phone...). */
  readonly identifierTypes: ReadonlySet<string>;
  /** Epoch ms of the profile's most recent record; 0 when its sources carry no time. */
  readonly lastSeenMs: number;
}

/** Profile IDs of the audiences that conditions name. */
export type AudienceMembers = ReadonlyMap<string, ReadonlySet<string>>;

const DAY_MS = 86_400_000;

/** Values compare as people type them: case and surrounding spaces do not matter. */
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function conditionHolds(
  condition: SegmentCondition,
  facts: SegmentFacts,
  members: AudienceMembers,
  nowMs: number,
): boolean {
  switch (condition.kind) {
    case 'attribute': {
      const value = facts.attributes[condition.name];
      const equal = value !== undefined && same(value, condition.value);
      return condition.op === 'is' ? equal : !equal;
    }
    case 'has':
      return facts.identifierTypes.has(condition.type) || facts.attributes[condition.type] !== undefined;
    case 'seen_within_days':
      return facts.lastSeenMs > 0 && nowMs - facts.lastSeenMs <= condition.days * DAY_MS;
    case 'in_audience':
      return members.get(condition.audience)?.has(facts.profileId) ?? false;
    case 'not_in_audience':
      return !(members.get(condition.audience)?.has(facts.profileId) ?? false);
  }
}

/** Counts while profiles pass: in all, matching every condition, and matching each one alone. */
export class SegmentTally {
  profiles = 0;
  readonly matched: string[] = [];
  readonly perCondition: number[];

  constructor(
    private readonly conditions: readonly SegmentCondition[],
    private readonly members: AudienceMembers,
    private readonly nowMs: number,
  ) {
    this.perCondition = conditions.map(() => 0);
  }

  add(facts: SegmentFacts): void {
    this.profiles++;
    let all = true;
    for (let index = 0; index < this.conditions.length; index++) {
      if (conditionHolds(this.conditions[index] as SegmentCondition, facts, this.members, this.nowMs)) {
        this.perCondition[index] = (this.perCondition[index] ?? 0) + 1;
      } else all = false;
    }
    if (all) this.matched.push(facts.profileId);
  }
}

/** Audiences the conditions name, each once. */
export function audiencesNamed(conditions: readonly SegmentCondition[]): string[] {
  const named = new Set<string>();
  for (const condition of conditions) {
    if (condition.kind === 'in_audience' || condition.kind === 'not_in_audience') named.add(condition.audience);
  }
  return [...named];
}
