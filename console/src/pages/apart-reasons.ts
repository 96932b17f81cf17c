/** The reasons `POST /v1/explain` gives for two records kept apart, in words for the profile page. */

export interface ApartReason {
  readonly reason: string;
  readonly rule?: string;
  readonly field?: string;
  readonly side?: 'a' | 'b';
  readonly value?: string;
  readonly others?: readonly string[];
  readonly comparator?: string;
  readonly score?: number;
  readonly threshold?: number;
}

export function describeApart(reason: ApartReason, ends: readonly [string, string]): string {
  const rule = `Rule “${reason.rule ?? ''}”`;
  const side = reason.side === 'b' ? ends[1] : ends[0];
  switch (reason.reason) {
    case 'no_shared_evidence':
      return 'No rule finds anything the two profiles have in common.';
    case 'would_join_now':
      return 'Resolving them again would join them: the graph was resolved under other rules.';
    case 'rule_field_missing':
      return `${rule}: ${reason.field} is missing on ${side}’s side.`;
    case 'field_differs':
      return `${rule}: ${reason.field} differs.`;
    case 'shared_value':
      return `${rule}: ${reason.field} agrees only on a value several people use (${reason.value}).`;
    case 'score_below_threshold':
      return `${rule}: the best score, ${reason.score}, is below its threshold of ${reason.threshold}.`;
    case 'guard_conflict':
      return `${rule} proposed the merge; its guard on ${reason.field} refused it: ${reason.value} on ${side}’s side agrees with none of ${(reason.others ?? []).join(', ')}.`;
    case 'manual_decision':
      return `${rule} proposed the merge; a manual decision keeps them apart.`;
    case 'conflicting_value':
      return `${rule} proposed the merge; a field that must never conflict disagrees.`;
    case 'identifier_limit':
      return `${rule} proposed the merge; the profile would hold too many identifiers of one type.`;
    case 'profile_size_cap':
      return `${rule} proposed the merge; the profile would exceed the size cap.`;
    default:
      return reason.reason;
  }
}
