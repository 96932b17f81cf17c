/** A request the engine refuses, with a stable code the CLI prints and the API maps to a status. */
export type EngineErrorCode =
  | 'RULES_MISMATCH'
  | 'RECORD_NOT_FOUND'
  | 'PROFILE_NOT_FOUND'
  | 'EVENT_NOT_FOUND'
  | 'NOT_A_MERGE'
  | 'NOTHING_TO_SPLIT'
  | 'SOURCE_IN_USE'
  | 'STORE_NOT_EMPTY'
  | 'AMBIGUOUS_IDENTIFIER'
  | 'REVIEW_ITEM_NOT_FOUND'
  /** A review item is decided once; a later change of mind is a link or never-link of its records. */
  | 'REVIEW_ITEM_DECIDED';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
