/** The parts of GET /v1/audiences/{id}/report the console draws (see the OpenAPI document for all of it). */
export interface MatchReport {
  destination: { platform: string; name: string };
  graph: { rulesVersion: string; lastCommit: number; resolvedAt: string };
  funnel: {
    audienceRows: number;
    rowsRejected: number;
    rowsUnresolved: number;
    rowsNotFound: number;
    profilesAfterResolution: number;
    profilesExcluded: { suppressed: number; noValidId: number };
    profilesSendable: number;
  };
  rates: {
    addressability: number;
    expectedPeopleMatchRate: { low: number; mid: number; high: number };
    vsTargetingMin: { min: number; matchedEst: number; status: string; note: string };
  };
  identifierCoverage: { type: string; profilesBefore: number; profilesAfter: number }[];
  invalid: { field: string; reason: string; count: number }[];
  junk: { field: string; rule: string; count: number }[];
  expectedMatch: { low: number; mid: number; high: number; method: string; assumptions: string[] };
  fixes: {
    rank: number;
    code: string;
    title: string;
    affectedProfiles: number;
    estAddedMatches: number;
    effort: string;
    evidence: string;
  }[];
  caveats: string[];
}
