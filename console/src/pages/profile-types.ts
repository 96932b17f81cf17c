/** Shapes of the /v1 answers the profile page reads. */
export interface Edge {
  a: string;
  b: string;
  rule: string;
  score?: number;
  evidence: { field: string; values: string[]; comparator?: string; similarity?: number }[];
}

export interface Profile {
  profileId: string;
  mergedFrom?: string;
  asOf?: string;
  records: string[];
  identifiers: { type: string; value: string; records: string[] }[];
  attributes: Record<string, { value: string; from: string; agreeing: number; alternatives: number }>;
  evidence?: Edge[];
}

export interface ProfileEvent {
  id: string;
  kind: string;
  at: string;
  actor: string;
  before: string[];
  after: string[];
  records: string[];
  rule?: string;
  cause?: string;
  note?: string;
  evidence: Edge[];
}
