/** Immutable history events: every change of a profile says what happened, why, by whom, and when. */
import type { MergeEdge, RecordRef } from './types.js';

export type EventKind = 'profile_created' | 'records_added' | 'merge' | 'split' | 'decision_recorded' | 'erased';

export type SplitCause = 'shared_value' | 'manual_decision' | 'rules_changed' | 'record_changed';

export interface ProfileEvent {
  readonly id: string;
  readonly kind: EventKind;
  /** ISO 8601. */
  readonly at: string;
  /** `engine` or `user:<name>`. */
  readonly actor: string;
  /** Hash of the rule set in force. */
  readonly rulesVersion: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly records: readonly RecordRef[];
  /**
   * Splits: which of the moved `records` each receiving profile took, so the history alone can
   * say who held what at any time (see membership-at.ts).
   */
  readonly parts?: Readonly<Record<string, readonly RecordRef[]>>;
  /** The rule of the deciding evidence, or `manual_link` / `manual_decision`. */
  readonly rule?: string;
  readonly evidence: readonly MergeEdge[];
  readonly cause?: SplitCause;
  /** Free text from a user's decision (never identifiers). */
  readonly note?: string;
  readonly decisionId?: string;
}

/** Event fields the engine fills in once per commit. */
export interface EventContext {
  readonly at: string;
  readonly actor: string;
  readonly rulesVersion: string;
  readonly nextId: () => string;
}
