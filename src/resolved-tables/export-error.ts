/**
 * A failure of `idgraph export resolved` the user can act on: one line naming the destination
 * (never its password) and what is wrong, with a stable code. Nothing of the run is kept when one
 * is thrown: databases roll the run's transaction back, a Parquet folder keeps its files as they were.
 */
export type ExportErrorCode =
  /** --to or --prefix cannot be used (exit 2, a usage error). */
  | 'DESTINATION_URL'
  /** The server cannot be reached, or the file or folder cannot be opened. */
  | 'DESTINATION_UNREACHABLE'
  /** The server refused the credentials, or the user may not create or write the tables. */
  | 'DESTINATION_AUTH'
  /** A table of that name exists with columns the export cannot write. */
  | 'DESTINATION_SHAPE'
  /** Another export to the same tables is running. */
  | 'DESTINATION_BUSY'
  /** The rules declare an attribute whose name is one of the profiles table's own columns. */
  | 'ATTRIBUTE_COLUMN'
  /** The destination refused a statement for a reason of its own (its message, never row values). */
  | 'DESTINATION_FAILED';

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
