/** A store failure with a stable code, which the CLI and the API turn into a message or an HTTP status. */
export type StoreErrorCode =
  | 'STORE_LOCKED'
  | 'STORE_CONFLICT'
  | 'STORE_UNREACHABLE'
  /** The database refused the credentials, or the user may not do what was asked. */
  | 'STORE_AUTH'
  /** The database lacks constraints the store relies on. */
  | 'STORE_SCHEMA'
  | 'STORE_CORRUPT'
  /** A reader was pointed at a folder that holds no store. */
  | 'STORE_NOT_FOUND'
  /** The store's folder cannot be used: a file, no permission, a place folders cannot be made. */
  | 'STORE_PATH_UNUSABLE'
  /** A write on a store opened to read (while another process holds it to write). */
  | 'STORE_READ_ONLY'
  /** A store position (in a consistency token) this store never gave out, or from another database. */
  | 'STORE_POSITION_INVALID'
  /** Import files for Neo4j's offline importer take a first load only, and are not read. */
  | 'STORE_IMPORT_ONLY'
  /** The database refused a query for a reason of its own (named by its code, never its message). */
  | 'STORE_FAILED';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
