/**
 * Ingest calls written together (group commit): calls that arrive while a commit is written wait in
 * an open group (open-groups.ts) and are then resolved and written as the next commit, each caller
 * answered with its own outcome once that commit is durable. Concurrent one-record API calls then
 * cost one commit per group rather than one each. Apart from the engine so that the engine only
 * wires it: what it needs of the engine is the few steps of GroupCommitSteps, not the engine.
 */

import { recordBlockingKeys } from '../../core/resolve/blocking.js';
import type { CompiledFuzzyRule } from '../../core/resolve/compiled-rules.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import type { ChangeSet } from '../../store/graph-store.js';
import { StoreError } from '../../store/store-error.js';
import { EngineError } from '../engine-error.js';
import type { FieldRefusal, RowRejection } from '../prepare/prepare-record.js';
import type { CommitQueue } from './commit-queue.js';
import { type CommitSummary, NO_COMMIT, removedIdentifiers, sameRecord } from './commit-steps.js';
import { type CallGroup, OpenGroups } from './open-groups.js';
import { unionCalls } from './union-calls.js';

/**
 * Rows one grouped ingest commit takes at most (the API's largest batch): calls keep joining a group
 * only while it stays this small, so one commit's resolution and write stay short.
 */
const MAX_GROUP_ROWS = 10_000;

export interface IngestRejection {
  /** Position of the row in the batch given to ingest. */
  readonly index: number;
  readonly reason: RowRejection;
  readonly field?: string;
}

/** One call's rows made ready: its records by ref, the rows that are not records, the values refused. */
export interface PreparedRows {
  readonly prepared: Map<RecordRef, PreparedRecord>;
  readonly rejected: IngestRejection[];
  readonly refusals: FieldRefusal[];
}

/**
 * One ingest call's outcome. Its counts are its own rows'; the commit summary (commit, profiles
 * created, merges, splits) is of the commit that wrote them, which calls made at the same time may
 * share. A call none of whose records changed reports no commit.
 */
export interface IngestResult extends CommitSummary {
  readonly accepted: number;
  readonly unchanged: number;
  readonly rejected: readonly IngestRejection[];
  readonly refusals: readonly FieldRefusal[];
  /**
   * Records another call of the same commit carried too: the version of the call made later is the
   * one stored, as if the calls had committed one after the other.
   */
  readonly contested: readonly RecordRef[];
}

/**
 * Changed records as one commit, each replacing the version the store holds (if any): what the
 * engine resolves and writes for a group.
 */
export interface RecordsChange {
  readonly commit: number;
  readonly upserts: readonly PreparedRecord[];
  /** The versions the store holds of upserts it had (their values leave the term counts). */
  readonly replaced: readonly PreparedRecord[];
  /** Upserts the store does not hold, as read for this commit: no old profile to look up. */
  readonly unstored: readonly RecordRef[];
  /** The blocking keys replaced versions had, which the store drops. */
  readonly staleBlockKeys: NonNullable<ChangeSet['staleBlockKeys']>;
  /** Resolution starts from every changed record. */
  readonly seeds: readonly RecordRef[];
  /** Identifiers a record no longer holds: their other holders may have to be re-decided. */
  readonly extraIdentifiers: readonly string[];
  readonly actor: string;
  readonly splitCause: 'record_changed';
}

/**
 * What group commit needs of the engine. Rules can change between commits (applied, or followed
 * from the store), so each step reads those in force when it is called.
 */
export interface GroupCommitSteps {
  /** The engine's one-commit-at-a-time queue, which its other operations share. */
  readonly commits: Pick<CommitQueue, 'run' | 'retryingConflicts'>;
  /** Refuses to resolve `commit` under rules other than the store's (every call of the group alike). */
  requireRulesInForce(commit: number): Promise<void>;
  prepareRows(source: string, rows: readonly unknown[]): PreparedRows;
  /** The store's versions of these records (those it holds). */
  storedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>>;
  /** The fuzzy rules in force: replaced versions' blocking keys are theirs. */
  fuzzyRules(): readonly CompiledFuzzyRule[];
  /** Resolves and writes the change as commit `change.commit`. */
  commitChange(change: RecordsChange): Promise<CommitSummary>;
}

/** An ingest call waiting in a group for its commit. */
interface IngestCall {
  readonly source: string;
  readonly rows: readonly unknown[];
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export class GroupCommit {
  /** Calls waiting for the commit in flight to end, by actor (each commit records one). */
  private readonly groups = new OpenGroups<IngestCall>(MAX_GROUP_ROWS);

  constructor(private readonly steps: GroupCommitSteps) {}

  /**
   * The call joins its actor's open group, or starts a group and queues it (on an idle engine its
   * turn comes at once). The promise settles once the commit holding the call's records is durable.
   */
  ingest(source: string, rows: readonly unknown[], actor: string): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      const group = this.groups.join(actor, { source, rows, resolve, reject }, rows.length);
      if (group) this.commitGroup(group);
    });
  }

  /**
   * No call joins a group queued so far: another kind of operation is queued behind them, and calls
   * made after it must commit after it.
   */
  closeOpenGroups(): void {
    this.groups.closeAll();
  }

  /** Queues a group of ingest calls, then answers each call with its own outcome. */
  private commitGroup(group: CallGroup<IngestCall>): void {
    const { calls, key: actor } = group;
    const { commits } = this.steps;
    commits
      .run(async (commit): Promise<Outcome<IngestResult>[]> => {
        // From its turn on the group takes no more calls: later ones form the next group.
        this.groups.close(group);
        try {
          const results = await this.ingestCalls(commit, calls, actor);
          return results.map((value) => ({ ok: true, value }));
        } catch (error) {
          if (calls.length === 1 || sharedByAll(error)) throw error;
          // An unexpected failure may come from one call's records: each call is tried alone, so one
          // bad call does not cost the others their commit. Ingest is idempotent by (source, key), so
          // trying again is safe even if the failure came after the write.
          const outcomes: Outcome<IngestResult>[] = [];
          for (const call of calls) {
            outcomes.push(
              await commits
                .retryingConflicts((alone) => this.ingestCalls(alone, [call], actor))
                .then(
                  ([value]) => ({ ok: true, value: value as IngestResult }),
                  (failure: unknown) => ({ ok: false, error: failure }),
                ),
            );
          }
          return outcomes;
        }
      })
      .then(
        (outcomes) =>
          calls.forEach((call, index) => {
            const outcome = outcomes[index] as Outcome<IngestResult>;
            if (outcome.ok) call.resolve(outcome.value);
            else call.reject(outcome.error);
          }),
        (error: unknown) => {
          for (const call of calls) call.reject(error);
        },
      );
  }

  /**
   * Ingest calls as one commit: each call's rows are prepared on their own (its rejections and
   * refusals stay its own), their records unioned (a later call's version of a record wins), and the
   * records that changed resolved and written together. Results are in the calls' order.
   */
  private async ingestCalls(commit: number, calls: readonly IngestCall[], actor: string): Promise<IngestResult[]> {
    await this.steps.requireRulesInForce(commit);
    const each = calls.map((call) => this.steps.prepareRows(call.source, call.rows));
    const { records, contested } = unionCalls(each.map(({ prepared }) => prepared));
    const previous = await this.steps.storedRecords([...records.keys()]);
    const changed = [...records.values()].filter((record) => !sameRecord(previous.get(record.ref), record));
    const summary = changed.length === 0 ? NO_COMMIT : await this.commitRecords(commit, changed, previous, actor);
    return each.map(({ prepared, rejected, refusals }, index) => {
      let unchanged = 0;
      for (const record of prepared.values()) if (sameRecord(previous.get(record.ref), record)) unchanged++;
      const own = { accepted: prepared.size, unchanged, rejected, refusals, contested: contested[index] ?? [] };
      return { ...own, ...(unchanged === prepared.size ? NO_COMMIT : summary) };
    });
  }

  /** Resolves and writes changed records, each replacing the version the store holds (if any). */
  private commitRecords(
    commit: number,
    changed: readonly PreparedRecord[],
    previous: ReadonlyMap<RecordRef, PreparedRecord>,
    actor: string,
  ): Promise<CommitSummary> {
    const extraIdentifiers = changed.flatMap((record) => removedIdentifiers(previous.get(record.ref), record));
    const fuzzy = this.steps.fuzzyRules();
    const staleBlockKeys = changed.flatMap((record) => {
      const before = previous.get(record.ref);
      return before ? [{ ref: record.ref, keys: recordBlockingKeys(before, fuzzy) }] : [];
    });
    return this.steps.commitChange({
      commit,
      upserts: changed,
      replaced: changed.flatMap((record) => previous.get(record.ref) ?? []),
      unstored: changed.filter((record) => !previous.has(record.ref)).map((record) => record.ref),
      staleBlockKeys,
      seeds: changed.map((record) => record.ref),
      extraIdentifiers,
      actor,
      splitCause: 'record_changed',
    });
  }
}

/**
 * A failure every call of a group would meet alike (rules not in force, the store unreachable or
 * refusing this process): each call gets it, none is tried again alone. A database refusing a
 * query (STORE_FAILED) may be about one call's values, so it is not one of them.
 */
function sharedByAll(error: unknown): boolean {
  return error instanceof EngineError || (error instanceof StoreError && error.code !== 'STORE_FAILED');
}
