/**
 * What is kept of an audience besides its members: its definition (made from a file or by the
 * segment builder), and for a saved segment its conditions and audit trail. Plain data, kept by the
 * store (store/graph-store.ts, AudienceStorage) as it is.
 */
import type { SegmentCondition } from './segment.js';

export interface AudienceDefinition {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** Audiences whose people are removed from this one (e.g. recent purchasers). */
  readonly suppress: readonly string[];
  readonly rows: number;
  readonly rowsRejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
}

/** Audience (and segment) ids: also folder names on an embedded store, so no dots or slashes. */
export const AUDIENCE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: 'created' | 'changed';
}

export interface SavedSegment {
  readonly id: string;
  readonly name: string;
  readonly conditions: readonly SegmentCondition[];
  readonly audit: readonly AuditEntry[];
  /** The commit of the graph the members were last resolved against, and when. */
  readonly resolvedCommit: number;
  readonly resolvedAt: string;
}
