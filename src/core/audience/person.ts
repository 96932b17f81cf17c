/**
 * An audience member after resolution: one person. Members that resolve into the same profile are
 * one person; a raw-identifier row that matches nothing in the graph is a person of its own (rows
 * whose identifiers normalize to the same value are collapsed into one, see resolve-audience).
 */
import type { RecordRef } from '../resolve/types.js';

/** One raw value a person carries, with the rules target it was mapped to and its record's country. */
export interface PersonValue {
  /** Identifier type or attribute name of the rules file. */
  readonly target: string;
  readonly raw: string;
  /** ISO-2 country of the record the value came from, when known. */
  readonly country?: string;
  /**
   * Set when the graph shows the rules accepted this value at ingest (so it is neither junk nor
   * blocked), which spares a report normalizing it again just to ask.
   */
  readonly accepted?: true;
  /** The rules' canonical form of the value (an E.164 phone, say), when the graph holds it. */
  readonly canonical?: string;
}

export interface AudiencePerson {
  /** The resolved profile; absent when the member matched nothing in the graph. */
  readonly profileId?: string;
  /** Audience rows that resolved to this person. */
  readonly rows: number;
  /** Records of the person's profile (for a raw row that matched nothing: none). */
  readonly records: readonly RecordRef[];
  /** What the audience's own rows carried, or the records they named: the view without resolution. */
  readonly before: readonly PersonValue[];
  /** Everything the person's profile holds: the view with resolution. */
  readonly after: readonly PersonValue[];
  /** Epoch ms of the newest record, 0 when unknown (raw rows). */
  readonly newestTs: number;
}
