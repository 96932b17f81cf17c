/**
 * Why a query has no answer. Each shell maps the code in one place: the CLI to an exit code
 * (cli/program.ts), the API to a status (http/app.ts).
 */
export type QueryErrorCode =
  /** No profile, record or holder of what was asked. */
  | 'NOT_FOUND'
  /** An identifier type the rules do not declare. */
  | 'UNKNOWN_TYPE'
  /** An identifier value its normalizer refuses (the reason code says why). */
  | 'UNUSABLE_VALUE';

export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: QueryErrorCode,
    message: string,
    /** The input at fault, for UNKNOWN_TYPE and UNUSABLE_VALUE: which field, and what is wrong with it. */
    readonly issue?: { readonly field: 'type' | 'value'; readonly message: string },
  ) {
    super(message);
  }
}
