/**
 * The Bolt connection of the Neo4j store: the driver, one explicit database, and the mapping of the
 * driver's failures to StoreErrors that tell the user what to do. Writes go through write(): managed
 * transactions, which the driver retries on transient failures (leader switch, deadlock), tagged
 * with metadata so a DBA can see idgraph's transactions in `SHOW TRANSACTIONS`. The store's reads are
 * single statements and go through readStatement(), in one round trip each. Every session shares one
 * bookmark manager, so on a cluster each read sees at least what this process wrote or read before
 * it (causal consistency within the process); its bookmarks are the store's `position()`, which
 * another process's read can be made to wait for.
 */
import neo4j, {
  type BookmarkManager,
  type Driver,
  type ManagedTransaction,
  type Record as Neo4jRecord,
} from 'neo4j-driver';
import { StoreError } from '../store-error.js';
import { ping } from './cypher/schema.js';
import type { Statement } from './cypher/statement.js';
import { steadyPlan } from './cypher/steady-plan.js';

/** Tries of an auto-commit statement that meets transient failures. */
const AUTO_COMMIT_ATTEMPTS = 5;
/**
 * A schema statement raced by another process needs one more run. Statements on different labels
 * run at once (migrations.ts), and Neo4j may still end two of them as a deadlock now and then: they
 * are run again, as a transient failure asks.
 */
const SCHEMA_ATTEMPTS = 5;
const SCHEMA_RACES = new Set([
  'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
  'Neo.TransientError.Transaction.DeadlockDetected',
]);

export interface Neo4jSettings {
  readonly uri: string;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly database?: string | undefined;
  /**
   * Apply graph/migrations at open (the default). Off where a DBA manages the schema and the
   * store's user may not change it: the store then only checks that the constraints are there.
   */
  readonly migrate?: boolean | undefined;
  /**
   * How long a writer's claimed turn keeps other writers' commits out if it never commits (a crash):
   * commit-turn.ts's TURN_LEASE_MS unless set (tests shorten it).
   */
  readonly turnLeaseMs?: number | undefined;
  /**
   * Told of each read statement and write transaction once it ends, with its time: for measuring
   * where a commit's time goes (`BENCH_ONLY=commit-neo4j`). Names only, never parameters.
   */
  readonly onStatement?: ((timing: StatementTiming) => void) | undefined;
}

/** A read statement (its builder's name) or a write transaction (`transaction:` and its kind). */
export interface StatementTiming {
  readonly name: string;
  readonly ms: number;
}

export class Neo4jConnection {
  private readonly bookmarkManager: BookmarkManager = neo4j.bookmarkManager();

  private constructor(
    readonly driver: Driver,
    readonly database: string,
    private readonly where: string,
    private readonly user: string | undefined,
    private readonly onStatement: ((timing: StatementTiming) => void) | undefined,
  ) {}

  /** Connects and checks that the server answers and accepts the credentials, or throws a StoreError. */
  static async open(settings: Neo4jSettings): Promise<Neo4jConnection> {
    const where = redact(settings.uri);
    let driver: Driver;
    try {
      driver = neo4j.driver(
        settings.uri,
        settings.user ? neo4j.auth.basic(settings.user, settings.password ?? '') : undefined,
        // Plain JS numbers: commit numbers, seq and timestamps stay far below 2^53.
        { disableLosslessIntegers: true, connectionTimeout: 10_000, userAgent: 'idgraph' },
      );
    } catch (error) {
      throw new StoreError('STORE_UNREACHABLE', `invalid Neo4j URI ${where}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const connection = new Neo4jConnection(
      driver,
      settings.database ?? 'neo4j',
      where,
      settings.user,
      settings.onStatement,
    );
    try {
      await driver.verifyConnectivity({ database: connection.database });
      // verifyConnectivity does not always authenticate against the database; one query does.
      await connection.readStatement(ping());
    } catch (error) {
      await driver.close().catch(() => {});
      throw connection.translate(error);
    }
    return connection;
  }

  /**
   * One read statement as an auto-commit transaction: RUN and PULL go in one round trip, where a
   * managed transaction adds BEGIN and COMMIT (lookups are one statement, so they need no more).
   * Transient failures are retried a few times, as the driver does for managed transactions.
   */
  readStatement(statement: Statement, bookmarks: readonly string[] = []): Promise<Record<string, unknown>[]> {
    return this.autoCommit(statement, 'READ', bookmarks, { app: 'idgraph' }, statement.name);
  }

  /**
   * One write statement as an auto-commit transaction, in one round trip: the server commits when the
   * statement ends, before it answers. Run again on a transient failure, as write() is: only for a
   * statement that is safe to run twice (a commit's is, its guard refuses a commit already written).
   */
  writeStatement(statement: Statement, metadata: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const timingName = `transaction:${Object.keys(metadata).join(',')}`;
    return this.autoCommit(statement, 'WRITE', [], { app: 'idgraph', ...metadata }, timingName);
  }

  private async autoCommit(
    statement: Statement,
    mode: 'READ' | 'WRITE',
    bookmarks: readonly string[],
    metadata: Record<string, unknown>,
    timingName: string,
  ): Promise<Record<string, unknown>[]> {
    for (let attempt = 1; ; attempt++) {
      const session = this.driver.session({
        database: this.database,
        defaultAccessMode: mode,
        bookmarkManager: this.bookmarkManager,
        // Another process's bookmarks (a consistency token), on top of this process's own.
        ...(bookmarks.length > 0 ? { bookmarks: [...bookmarks] } : {}),
      });
      try {
        const started = performance.now();
        const { cypher, params } = steadyPlan(statement);
        const result = await withoutCallerStack(() => session.run(cypher, params, { metadata }));
        this.onStatement?.({ name: timingName, ms: performance.now() - started });
        return result.records.map((record) => record.toObject());
      } catch (error) {
        if (attempt < AUTO_COMMIT_ATTEMPTS && neo4j.isRetryableError(error)) {
          await new Promise((resolve) => setTimeout(resolve, attempt * 200));
          continue;
        }
        throw this.translate(error);
      } finally {
        await session.close();
      }
    }
  }

  /** The bookmarks of everything this process wrote or read so far. */
  async bookmarks(): Promise<string[]> {
    return [...(await this.bookmarkManager.getBookmarks())];
  }

  async write<T>(work: (tx: ManagedTransaction) => Promise<T>, metadata: Record<string, unknown>): Promise<T> {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: 'WRITE',
      bookmarkManager: this.bookmarkManager,
    });
    try {
      const started = performance.now();
      const result = await session.executeWrite(work, { metadata: { app: 'idgraph', ...metadata } });
      this.onStatement?.({ name: `transaction:${Object.keys(metadata).join(',')}`, ms: performance.now() - started });
      return result;
    } catch (error) {
      throw this.translate(error);
    } finally {
      await session.close();
    }
  }

  /**
   * A schema statement in its own transaction (Neo4j does not mix schema and data writes). Two
   * processes opening a fresh database run the same `IF NOT EXISTS` statement at once: the one that
   * commits second is refused with EquivalentSchemaRuleAlreadyExists, and run again, finds the rule
   * there and does nothing. A deadlock between schema statements is run again too.
   */
  async schema(statement: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.write((tx) => tx.run(statement), { migration: true });
        return;
      } catch (error) {
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        if (attempt < SCHEMA_ATTEMPTS && SCHEMA_RACES.has(code as string)) continue;
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** Refused credentials, too many attempts, or a user without the right; never quoting the password. */
  private securityError(code: string, cause: unknown): StoreError {
    if (code === 'Neo.ClientError.Security.Forbidden') {
      return new StoreError(
        'STORE_AUTH',
        `Neo4j at ${this.where} does not let user "${this.user ?? '(none)'}" do this (${code}): ` +
          'use a user with write and schema rights, or have an administrator run `idgraph graph migrate` ' +
          'and open the store with IDGRAPH_NEO4J_MIGRATE=false',
        { cause },
      );
    }
    if (code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
      return new StoreError(
        'STORE_AUTH',
        `Neo4j at ${this.where} refuses logins for a while after too many wrong passwords (${code}): ` +
          'wait, then check NEO4J_USER and NEO4J_PASSWORD',
        { cause },
      );
    }
    const advice = this.user
      ? `refused the password of user "${this.user}": check NEO4J_PASSWORD (and NEO4J_USER)`
      : 'requires authentication: set NEO4J_USER and NEO4J_PASSWORD';
    return new StoreError('STORE_AUTH', `Neo4j at ${this.where} ${advice} (${code})`, { cause });
  }

  /** Driver failures as StoreErrors; our own StoreErrors (a commit conflict) pass through. */
  private translate(error: unknown): unknown {
    if (error instanceof StoreError) return error;
    const code = String((error as { code?: unknown })?.code ?? '');
    const message = (error as Error)?.message ?? String(error);
    if (
      code === 'ServiceUnavailable' ||
      code === 'SessionExpired' ||
      /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(message)
    ) {
      return new StoreError(
        'STORE_UNREACHABLE',
        `cannot reach Neo4j at ${this.where}: start a local server with \`npm run neo4j\` or check the URI (IDGRAPH_STORE / --store)`,
        { cause: error },
      );
    }
    if (code.startsWith('Neo.ClientError.Security.')) return this.securityError(code, error);
    if (code.startsWith('Neo.ClientError.Transaction.InvalidBookmark')) {
      return new StoreError(
        'STORE_POSITION_INVALID',
        `Neo4j at ${this.where} does not know the bookmarks of that position (${code}): it comes from another database`,
        { cause: error },
      );
    }
    if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
      return new StoreError(
        'STORE_UNREACHABLE',
        `Neo4j at ${this.where} has no database "${this.database}": set NEO4J_DATABASE`,
        { cause: error },
      );
    }
    // A uniqueness violation means another process created the same node first: a lost race, retried.
    if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
      return new StoreError('STORE_CONFLICT', 'another process wrote the same nodes first; retry the operation', {
        cause: error,
      });
    }
    // Neo4j's messages quote the values involved (identifiers): only the code leaves this process.
    if (code.startsWith('Neo.')) {
      return new StoreError('STORE_FAILED', `Neo4j at ${this.where} refused a query (${code})`, { cause: error });
    }
    return error;
  }
}

/** Runs one statement inside a managed transaction and returns its records. */
export async function run(tx: ManagedTransaction, statement: Statement): Promise<Neo4jRecord[]> {
  const { cypher, params } = steadyPlan(statement);
  return (await withoutCallerStack(() => tx.run(cypher, params))).records;
}

/**
 * Starts a statement without V8 capturing the caller's stack. The driver makes an Error for every
 * statement it runs, to keep its caller's stack for a failure's message, and reads its `stack`
 * at once: formatting it cost about 8% of the main thread's busy time under the one-record ingest
 * benchmark (which runs under tsx, whose source maps make it dearer; 18 µs a statement against
 * 0.7 µs with no frames). A failure here becomes a StoreError that
 * names the store and the code (translate), never the driver's stack, so nothing is lost. The
 * Result is made synchronously inside `run`, and the limit is restored before anything else runs.
 */
function withoutCallerStack<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The URI without any user:password part, for messages. */
export function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
