/**
 * The match-rate report for one audience and one destination (design: match-rate-report.md). Every
 * count is in people unless its name says rows, values or identifiers.
 */
import type { DestinationId } from '../destinations/destination-profile.js';
import type { DestinationField, DestinationReason } from '../destinations/types.js';
import type { JunkReason } from './evaluate-person.js';

export interface MatchReport {
  readonly audience: {
    readonly id: string;
    readonly name: string;
    readonly createdAt: string;
    readonly suppress: readonly string[];
  };
  readonly destination: {
    readonly platform: DestinationId;
    readonly name: string;
    readonly normalizationProfile: string;
  };
  readonly graph: { readonly rulesVersion: string; readonly lastCommit: number; readonly resolvedAt: string };
  readonly funnel: {
    readonly audienceRows: number;
    readonly rowsRejected: number;
    /** Raw-identifier rows matching no profile: kept as people known by the row alone. */
    readonly rowsUnresolved: number;
    /** Rows naming a record or profile the graph does not hold: left out. */
    readonly rowsNotFound: number;
    readonly sourceRecords: number;
    readonly profilesAfterResolution: number;
    readonly profilesWithAnyAcceptedId: number;
    readonly profilesExcluded: { readonly suppressed: number; readonly noValidId: number };
    readonly profilesSendable: number;
    readonly rowsSent: number;
    readonly identifiersSent: number;
  };
  readonly rates: {
    /** Sendable people over people left after suppression. */
    readonly addressability: number;
    readonly expectedPeopleMatchRate: { readonly low: number; readonly mid: number; readonly high: number };
    readonly vsTargetingMin: {
      readonly min: number;
      readonly matchedEst: number;
      readonly status: 'above' | 'at_risk' | 'below';
      readonly note: string;
    };
  };
  readonly identifierCoverage: readonly IdentifierCoverage[];
  readonly resolutionLift: {
    readonly profilesBefore: number;
    readonly profilesAfter: number;
    readonly recordsMerged: number;
    readonly gainedAnyId: number;
    readonly gainedSecondIdType: number;
    readonly multiKeyProfiles: number;
    readonly coverageDeltaByType: Readonly<Partial<Record<DestinationField, number>>>;
    readonly sendableBefore: number;
    readonly estMatchedBefore: number;
    readonly estMatchedLift: number;
  };
  readonly invalid: readonly {
    readonly field: DestinationField;
    readonly reason: DestinationReason;
    readonly count: number;
    readonly share: number;
    readonly redactedSamples: readonly string[];
  }[];
  readonly junk: readonly { readonly field: DestinationField; readonly rule: JunkReason; readonly count: number }[];
  readonly duplicates: {
    readonly rowsPerProfile: number;
    /** Normalized values held by more than one person of the audience. */
    readonly sharedIdentifiers: number;
    /** Raw values that normalized to a value the same person already had. */
    readonly collapsedByNormalization: number;
  };
  readonly quality: {
    readonly workEmailShare: number;
    readonly freemailShare: number;
    readonly idAgeDays: { readonly p50: number | null; readonly p90: number | null };
    /** People whose newest record is older than Google's 540-day membership limit. */
    readonly staleShare: number;
  };
  readonly expectedMatch: {
    readonly low: number;
    readonly mid: number;
    readonly high: number;
    readonly method: string;
    readonly assumptions: readonly string[];
  };
  readonly fixes: readonly Fix[];
  readonly caveats: readonly string[];
}

export interface IdentifierCoverage {
  readonly type: DestinationField;
  readonly accepted: true;
  readonly hashed: boolean;
  readonly profilesBefore: number;
  readonly profilesAfter: number;
  readonly valuesRaw: number;
  readonly valuesValid: number;
  readonly valuesInvalid: number;
  readonly valuesJunk: number;
  readonly valuesPerProfile: { readonly mean: number; readonly p95: number };
  readonly uniqueNormalized: number;
  /** Mid prior of the key made of this field alone, when there is one. */
  readonly priorMatchRate: number | null;
  readonly estMatchedPeople: number | null;
}

export type FixCode =
  | 'ADD_COUNTRY_CODE'
  | 'ADD_PERSONAL_EMAIL'
  | 'REPAIR_EMAIL_SYNTAX'
  | 'DROP_JUNK'
  | 'REFRESH_STALE'
  | 'WIDEN_AUDIENCE';

export interface Fix {
  readonly rank: number;
  readonly code: FixCode;
  readonly title: string;
  readonly affectedProfiles: number;
  readonly estAddedMatches: number;
  readonly effort: 'low' | 'medium' | 'high';
  readonly evidence: string;
}
