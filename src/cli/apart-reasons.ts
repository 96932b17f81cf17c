/** What kept two records apart, one line per reason, for `idgraph explain` (see core/profile/why-apart.ts). */
import type { ApartReason } from '../core/profile/why-apart.js';

/** `ends` names the two things asked about, so a side reads as "on crm:c1's side". */
export function formatApartReason(reason: ApartReason, ends: readonly [string, string]): string {
  const sideOf = (side: 'a' | 'b') => (side === 'a' ? ends[0] : ends[1]);
  switch (reason.reason) {
    case 'no_shared_evidence':
      return 'no rule finds anything in common between their profiles';
    case 'would_join_now':
      return 'resolving them again would join them: the graph was resolved under other rules (see `idgraph rules diff`)';
    case 'rule_field_missing':
      return `rule ${reason.rule}: ${reason.field} is missing on ${sideOf(reason.side)}'s side`;
    case 'field_differs':
      return `rule ${reason.rule}: ${reason.field} differs`;
    case 'shared_value':
      return `rule ${reason.rule}: ${reason.field} agrees only on a value several people use (${reason.value})`;
    case 'score_below_threshold':
      return `rule ${reason.rule}: best score ${reason.score} is below its threshold ${reason.threshold}`;
    case 'guard_conflict':
      return (
        `rule ${reason.rule} proposed the merge; its guard on ${reason.field} (${reason.comparator}) refused it: ` +
        `${reason.value} on ${sideOf(reason.side)}'s side agrees with none of ${reason.others.join(', ')}`
      );
    case 'manual_decision':
      return `rule ${reason.rule} proposed the merge; a manual decision keeps them apart`;
    case 'conflicting_value':
      return `rule ${reason.rule} proposed the merge; a never_merge_on_conflict field disagrees`;
    case 'identifier_limit':
      return `rule ${reason.rule} proposed the merge; an identifier type would exceed its max_per_profile`;
    case 'profile_size_cap':
      return `rule ${reason.rule} proposed the merge; the profile would exceed max_profile_records`;
  }
}
