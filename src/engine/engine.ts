/**
 * The resolution engine: every change to the graph goes through here as one commit at a time
 * (ingest, a manual decision, a rules change), so each commit resolves against the state the previous
 * one left. Ingest calls that arrive while a commit is written are written together as the next one
 * (group commit: commit/group-commit.ts). Works on any GraphStore.
 */
import type { PackedRecord } from '../codec/packed-record.js';
import { fuzzyRulesOf } from '../core/resolve/blocking.js';
import type { ProfileEvent, SplitCause } from '../core/resolve/events.js';
import {
  type FrequencySource,
  NO_TERM_FREQUENCIES,
  TermCounts,
  type TermFrequencies,
} from '../core/resolve/term-frequencies.js';
import type { Decision, PreparedRecord, RecordRef } from '../core/resolve/types.js';
import { decideItem, type ReviewAction, type ReviewItem } from '../core/review/review-item.js';
import type { ChangeSet, DecisionEntry, GraphReads, GraphStore, StoredProfile } from '../store/graph-store.js';
import { type BulkLoadStep, type BulkLoadSummary, bulkLoad } from './bulk-load/bulk-load.js';
import { CommitQueue } from './commit/commit-queue.js';
import { type CommitSummary, NO_COMMIT, stage, summarize } from './commit/commit-steps.js';
import { GroupCommit, type IngestResult, type PreparedRows } from './commit/group-commit.js';
import { KeptTermCounts } from './commit/kept-term-counts.js';
import { type CommitPlan, planCommit } from './commit/plan-commit.js';
import { StagedView } from './commit/staged-view.js';
import {
  type DecisionDraft,
  pairDecision,
  splitDraft,
  unmergeAnchor,
  unmergeDraft,
} from './decisions/decision-drafts.js';
import { decisionEvent } from './decisions/decision-event.js';
import { EngineError } from './engine-error.js';
import { planErasure } from './erasure/erasure-plan.js';
import { type PreparedBatch, prepareBatch, prepareEach } from './prepare/prepare-batch.js';
import { type FieldRefusal, prepareRecord } from './prepare/prepare-record.js';
import { loadValidatedRules } from './rules/load-rules.js';
import type { LoadedRules } from './rules/loaded-rules.js';

export type { CommitSummary } from './commit/commit-steps.js';
export type { IngestRejection, IngestResult } from './commit/group-commit.js';

import { PhaseTimings } from './timings.js';

/** The share of followStoredRulesEvery's interval after which a read starts the next look in the background. */
const RULES_LOOK_AHEAD = 0.75;

export interface ErasureSummary extends CommitSummary {
  /** The profiles erased (merged-away IDs asked for are followed to these). */
  readonly erasedProfiles: readonly string[];
  readonly erasedRecords: number;
}

export interface DecisionOptions {
  readonly actor: string;
  readonly note?: string;
}

/**
 * A commit as its listeners hear of it: how many records it wrote, its events, how long the write
 * took, and the profiles it resolved with their records, so that figures kept per profile can follow
 * this process's commits without reading back what they wrote.
 */
export interface CommittedChange {
  readonly commit: number;
  readonly records: number;
  readonly events: readonly ProfileEvent[];
  readonly seconds: number;
  /** The rules the commit was resolved under. */
  readonly rulesVersion: string;
  readonly scope: CommittedScope;
}

/** The profiles a commit resolved, as it left them. */
export interface CommittedScope {
  /** Every live profile the commit resolved, changed or not (CommitPlan.scopeProfiles). */
  readonly profiles: readonly StoredProfile[];
  /** The records of those profiles, as the commit left them. */
  readonly records: ReadonlyMap<RecordRef, PreparedRecord>;
  /** IDs of the profiles that ceased to exist. */
  readonly retired: readonly string[];
}

/** A commit of records or decisions, as ingest (a RecordsChange) and the manual decisions hand it to be resolved. */
interface ChangeToCommit {
  readonly commit: number;
  readonly upserts: readonly PreparedRecord[];
  /** The versions the store holds of upserts it had (their values leave the term counts). */
  readonly replaced?: readonly PreparedRecord[];
  /** Upserts the store does not hold, as read for this commit: no old profile to look up. */
  readonly unstored?: readonly RecordRef[];
  readonly staleBlockKeys?: ChangeSet['staleBlockKeys'];
  readonly seeds: readonly RecordRef[];
  readonly extraIdentifiers?: readonly string[];
  readonly actor: string;
  readonly splitCause: SplitCause;
  readonly decisionsAdded?: readonly DecisionEntry[];
  readonly decisionsRemoved?: readonly string[];
  /** A review item this commit decides: written as decided, whatever resolution found. */
  readonly decidedItem?: ReviewItem;
}

export class Engine {
  private readonly commits: CommitQueue;
  /** The store's rules version when this engine last looked (undefined before the first look). */
  private storedRulesVersion: string | undefined;
  /**
   * The commit as of which `storedRulesVersion` is known to be the store's (-1: none). Rules change
   * only in a commit, so while the store's last commit is this one they need not be read again.
   */
  private rulesKnownAt = -1;
  /** When the last look at the store's rules started (Date.now()): what it read is as of then. */
  private lastRulesCheck = 0;
  /** The look at the store's rules in flight for reads, which every read due one shares. */
  private rulesLook: Promise<unknown> | undefined;

  /** Time per phase across this engine's commits (normalize, match, write). */
  readonly timings = new PhaseTimings();

  private readonly commitListeners: ((commit: CommittedChange) => void)[] = [];

  /** Ingest calls gathered into one commit while the commit before them is written. */
  private readonly groupCommit: GroupCommit;

  /** How often each value of the fields the rules weigh by term frequency occurs in the store. */
  private terms: KeptTermCounts;

  constructor(
    /** The engine's own: code outside it is handed the parts it needs at wiring time. */
    private readonly store: GraphStore,
    private rules: LoadedRules,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.terms = new KeptTermCounts(store, rules.compiled.termFrequencyFields);
    this.commits = new CommitQueue(store);
    this.groupCommit = new GroupCommit({
      commits: this.commits,
      requireRulesInForce: (commit) => this.requireRulesInForce(commit),
      prepareRows: (source, rows) => this.prepareRows(source, rows),
      storedRecords: (refs) => this.store.getRecords(refs),
      fuzzyRules: () => fuzzyRulesOf(this.rules.compiled),
      commitChange: (change) => this.commitChange(change),
    });
  }

  /**
   * The store's reads and the rules in force now, for the read side of a process that shares this
   * engine (the API: applying rules changes them). Never the commits: those go through the engine.
   */
  readSide(): { readonly store: GraphReads; readonly rules: LoadedRules; readonly frequencies: FrequencySource } {
    return { store: this.store, rules: this.rules, frequencies: () => this.termFrequencies() };
  }

  /** The term counts of the store's records now (what explaining a score needs to score as resolution did). */
  async termFrequencies(): Promise<TermFrequencies> {
    return this.terms.asOf(await this.store.lastCommit());
  }

  /** Told of every commit this engine writes once it is durable (the API's metrics count them). */
  onCommit(listener: (commit: CommittedChange) => void): void {
    this.commitListeners.push(listener);
  }

  /**
   * Ingests rows of one source. Re-ingesting a (source, key) updates that record. On an idle engine
   * the rows are one commit at once; calls made while a commit is written wait for it and are then
   * written together as one commit (of bounded rows, one actor: commit/group-commit.ts). The promise
   * settles once the commit holding the call's records is durable.
   */
  ingest(source: string, rows: readonly unknown[], actor = 'engine'): Promise<IngestResult> {
    return this.groupCommit.ingest(source, rows, actor);
  }

  /** Normalizes rows of one source into prepared records, with rejected rows and refused values. */
  prepareRows(source: string, rows: readonly unknown[]): PreparedRows {
    const refusals: FieldRefusal[] = [];
    const prepared = new Map<RecordRef, PreparedRecord>();
    const rejected = this.timings.measure('normalize', () =>
      prepareEach(
        this.rules,
        source,
        rows,
        this.today(),
        (record) => prepared.set(record.ref, record),
        (refusal) => refusals.push(refusal),
      ),
    );
    return { prepared, rejected, refusals };
  }

  /** Rows prepared for the bulk path, each record packed (see prepare-batch.ts). */
  packRows(source: string, rows: readonly unknown[]): PreparedBatch {
    return this.timings.measure('normalize', () => prepareBatch(this.rules, source, rows, this.today()));
  }

  /**
   * First load of an empty store in large commits (see bulk-load.ts): the same partition as
   * incremental ingest, much faster for millions of records. Takes over and empties `records`.
   */
  loadBulk(
    records: PackedRecord[],
    options: { commitSize?: number; workers?: number; onProgress?: (step: BulkLoadStep) => void } = {},
  ): Promise<BulkLoadSummary> {
    return this.exclusive(() =>
      bulkLoad({
        store: this.store,
        rules: this.rules,
        records,
        at: this.clock().toISOString(),
        timings: this.timings,
        ...(options.commitSize ? { commitSize: options.commitSize } : {}),
        ...(options.workers ? { workers: options.workers } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
  }

  /**
   * Force-links two records: they end in one profile whatever the rules say, until a later decision.
   * Linking a pair that is already linked changes nothing (no commit).
   */
  link(a: RecordRef, b: RecordRef, options: DecisionOptions): Promise<CommitSummary> {
    return this.exclusive(async (commit) => {
      await this.requireRecords([a, b]);
      return this.commitPairDecision(commit, 'link', a, b, options);
    });
  }

  /** Keeps two records apart for good, whatever the rules say, until a later decision. */
  neverLink(a: RecordRef, b: RecordRef, options: DecisionOptions): Promise<CommitSummary> {
    return this.exclusive(async (commit) => {
      await this.requireRecords([a, b]);
      return this.commitPairDecision(commit, 'keep_apart', a, b, options);
    });
  }

  /**
   * Decides a review item: its two records are linked or kept apart by a manual decision (the one
   * link and never-link record, which holds through re-runs), and the item is closed as decided,
   * with the actor. The same commit re-resolves their profiles.
   */
  decideReview(
    id: string,
    action: ReviewAction,
    options: DecisionOptions,
  ): Promise<CommitSummary & { readonly item: ReviewItem }> {
    return this.exclusive(async (commit) => {
      const item = (await this.store.reviewItemsById([id])).get(id);
      if (!item) throw new EngineError('REVIEW_ITEM_NOT_FOUND', `no review item ${id}`);
      if (item.status === 'decided') {
        throw new EngineError(
          'REVIEW_ITEM_DECIDED',
          `review item ${id} was decided already (${item.decision?.action} by ${item.decision?.actor}); ` +
            'to change it, link or never-link its records',
        );
      }
      await this.requireRecords([item.a, item.b]);
      let decided: ReviewItem | undefined;
      const summary = await this.commitPairDecision(commit, action, item.a, item.b, options, (entry) => {
        const note = entry.note === undefined ? {} : { note: entry.note };
        const decision = { action, actor: entry.actor, at: entry.at, decisionId: entry.decision.id, ...note };
        decided = decideItem(item, decision, commit);
        return decided;
      });
      return { ...summary, item: decided as ReviewItem };
    });
  }

  /** A link or a never-link of two records, superseding the decisions it contradicts. */
  private async commitPairDecision(
    commit: number,
    action: ReviewAction,
    a: RecordRef,
    b: RecordRef,
    options: DecisionOptions,
    closeItem?: (entry: DecisionEntry) => ReviewItem,
  ): Promise<CommitSummary> {
    const existing = await this.store.decisionsFor([a, b]);
    const decided = pairDecision(
      existing.map(({ decision }) => decision),
      action,
      a,
      b,
      closeItem !== undefined,
    );
    if (!decided) return NO_COMMIT;
    return this.commitDecision(commit, decided.draft, decided.superseded, [a, b], options, closeItem);
  }

  /** Splits a profile: the given records go apart from the rest, and stay apart on every re-run. */
  split(profileId: string, refs: readonly RecordRef[], options: DecisionOptions): Promise<CommitSummary> {
    return this.exclusive(async (commit) => {
      const found = await this.store.findProfile(profileId);
      if (!found) throw new EngineError('PROFILE_NOT_FOUND', `no profile ${profileId}`);
      return this.commitDecision(commit, splitDraft(found.profile, refs), [], found.profile.records, options);
    });
  }

  /** Undoes a merge event: the evidence that joined the parts is cut, and the parts stay apart. */
  unmerge(eventId: string, options: DecisionOptions): Promise<CommitSummary> {
    return this.exclusive(async (commit) => {
      const event = await this.store.event(eventId);
      if (!event) throw new EngineError('EVENT_NOT_FOUND', `no event ${eventId}`);
      const anchor = unmergeAnchor(event);
      const profileId = (await this.store.profileIdsOf([anchor.a])).get(anchor.a);
      const profile = profileId ? (await this.store.getProfiles([profileId])).get(profileId) : undefined;
      const { draft, records } = unmergeDraft(event, anchor, profile);
      return this.commitDecision(commit, draft, [], records, {
        ...options,
        note: options.note ?? `unmerge of ${eventId}`,
      });
    });
  }

  /**
   * Erases people for a privacy request: the records of these profiles leave the graph with their
   * identifiers, the store removes every other trace of them (history evidence, logs), and each
   * profile's history ends with a tombstone that holds no personal data. Profiles the erased values
   * had touched (a value they shared) are re-resolved; decisions about the records are dropped.
   */
  erase(profileIds: readonly string[], options: DecisionOptions): Promise<ErasureSummary> {
    return this.exclusive(async (commit) => {
      const frequencies = await this.terms.asOf(commit - 1);
      let undo: () => void = () => undefined;
      try {
        const erasure = await planErasure({
          store: this.store,
          rules: this.rules,
          profileIds,
          commit,
          at: this.clock().toISOString(),
          actor: options.actor,
          ...(options.note ? { note: options.note } : {}),
          decisions: (scope, dropped) => this.decisionsAfter(scope, [], dropped),
          frequencies: (erased) => {
            undo = this.terms.stage(erased, []);
            return frequencies;
          },
        });
        const summary = await this.writePlan(erasure.plan, {
          upserts: [],
          staleBlockKeys: erasure.staleBlockKeys,
          removals: erasure.records,
          erased: erasure.records,
          actor: options.actor,
          decisionsRemoved: erasure.decisionsRemoved,
        });
        this.terms.committed(commit);
        return { ...summary, erasedProfiles: erasure.profiles, erasedRecords: erasure.records.length };
      } catch (error) {
        undo();
        throw error;
      }
    });
  }

  /** What applying new rules would do, without writing anything. */
  planRules(next: LoadedRules): Promise<{ plan: CommitPlan; records: number }> {
    return this.exclusive(async (commit) => {
      const { plan, upserts } = await this.planUnderRules(next, 'engine', commit);
      return { plan, records: upserts.length };
    });
  }

  /** Re-resolves the whole graph under new rules; manual decisions carry over. */
  applyRules(next: LoadedRules, actor: string): Promise<CommitSummary> {
    return this.exclusive(async (commit) => {
      const { plan, upserts, counts } = await this.planUnderRules(next, actor, commit);
      const summary = await this.writePlan(plan, { upserts, rules: next, actor });
      this.rules = next;
      this.storedRulesVersion = next.version;
      this.terms = new KeptTermCounts(this.store, next.compiled.termFrequencyFields, counts && { counts, commit });
      return summary;
    });
  }

  private async planUnderRules(
    next: LoadedRules,
    actor: string,
    commit: number,
  ): Promise<{ plan: CommitPlan; upserts: PreparedRecord[]; counts: TermCounts | undefined }> {
    const upserts: PreparedRecord[] = [];
    for await (const record of this.store.records()) {
      const source = next.file.sources[record.source];
      if (!source) {
        throw new EngineError('SOURCE_IN_USE', `the new rules drop source ${record.source}, which still has records`);
      }
      const outcome = prepareRecord(
        next.file,
        next.normalizers,
        record.source,
        { ...record.fields, [source.key]: record.recordId },
        this.today(),
      );
      if (outcome.ok) upserts.push(outcome.record);
    }
    const staged = stage(upserts, next);
    const view = new StagedView(this.store, staged, new Set());
    // Every record is prepared again under the new rules: the counts are theirs, counted here.
    const fields = next.compiled.termFrequencyFields;
    const counts = fields.length > 0 ? new TermCounts(fields) : undefined;
    for (const record of counts ? upserts : []) counts?.add(record);
    const plan = await planCommit({
      view,
      rules: next.compiled,
      rulesVersion: next.version,
      frequencies: counts ?? NO_TERM_FREQUENCIES,
      seeds: staged.keys(),
      decisions: (refs) => this.decisionsAfter(refs, [], []),
      commit,
      at: this.clock().toISOString(),
      actor,
      splitCause: 'rules_changed',
    });
    return { plan, upserts, counts };
  }

  private async commitDecision(
    commit: number,
    decision: DecisionDraft,
    superseded: readonly string[],
    seeds: readonly RecordRef[],
    options: DecisionOptions,
    /** The review item this decision closes, as it is once decided. */
    closeItem?: (entry: DecisionEntry) => ReviewItem,
  ): Promise<CommitSummary> {
    const entry: DecisionEntry = {
      decision: { ...decision, id: `d${commit}` },
      actor: options.actor,
      at: this.clock().toISOString(),
      ...(options.note ? { note: options.note } : {}),
    };
    return this.commitChange({
      commit,
      upserts: [],
      seeds,
      actor: options.actor,
      splitCause: 'manual_decision',
      decisionsAdded: [entry],
      decisionsRemoved: superseded,
      ...(closeItem ? { decidedItem: closeItem(entry) } : {}),
    });
  }

  /** Resolves and writes a change, with the term counts moved by its records (taken back if it fails). */
  private async commitChange(change: ChangeToCommit): Promise<CommitSummary> {
    const frequencies = await this.terms.asOf(change.commit - 1);
    const undo = this.terms.stage(change.replaced ?? [], change.upserts);
    try {
      const summary = await this.resolveAndWrite(change, frequencies);
      this.terms.committed(change.commit);
      return summary;
    } catch (error) {
      undo();
      throw error;
    }
  }

  private async resolveAndWrite(change: ChangeToCommit, frequencies: TermFrequencies): Promise<CommitSummary> {
    const staged = stage(change.upserts, this.rules);
    const view = new StagedView(this.store, staged, new Set(), new Set(change.unstored));
    const added = change.decisionsAdded ?? [];
    const removed = change.decisionsRemoved ?? [];
    const { commit } = change;
    const plan = await this.timings.measureAsync('match', () =>
      planCommit({
        view,
        rules: this.rules.compiled,
        rulesVersion: this.rules.version,
        seeds: change.seeds,
        extraIdentifiers: change.extraIdentifiers ?? [],
        decisions: (refs) => this.decisionsAfter(refs, added, removed),
        commit,
        at: this.clock().toISOString(),
        actor: change.actor,
        splitCause: change.splitCause,
        frequencies,
      }),
    );
    for (const entry of added) plan.events.push(decisionEvent(entry, plan, change.seeds, this.rules.version));
    const decided = change.decidedItem;
    const review = decided
      ? {
          upserts: [...plan.review.upserts.filter((item) => item.id !== decided.id), decided],
          removed: plan.review.removed.filter((id) => id !== decided.id),
        }
      : plan.review;
    // The first commit to an empty graph writes the rules it was resolved under. Once this engine has
    // seen rules in the store there is no need to ask again: a graph never loses its rules.
    const rulesStored = this.storedRulesVersion !== undefined || (await this.store.currentRules()) !== undefined;
    return this.writePlan(
      { ...plan, review },
      {
        upserts: change.upserts,
        ...(change.staleBlockKeys ? { staleBlockKeys: change.staleBlockKeys } : {}),
        actor: change.actor,
        decisionsAdded: added,
        decisionsRemoved: removed,
        ...(rulesStored ? {} : { rules: this.rules }),
      },
    );
  }

  private async writePlan(
    plan: CommitPlan,
    options: {
      upserts: readonly PreparedRecord[];
      staleBlockKeys?: ChangeSet['staleBlockKeys'];
      removals?: readonly RecordRef[];
      erased?: readonly RecordRef[];
      actor: string;
      rules?: LoadedRules;
      decisionsAdded?: readonly DecisionEntry[];
      decisionsRemoved?: readonly string[];
    },
  ): Promise<CommitSummary> {
    const { commit } = plan;
    const rules = options.rules ?? this.rules;
    const change: ChangeSet = {
      commit,
      at: this.clock().toISOString(),
      rulesVersion: rules.version,
      upserts: [...stage(options.upserts, rules).values()],
      ...(options.staleBlockKeys ? { staleBlockKeys: options.staleBlockKeys } : {}),
      removals: options.removals ?? [],
      ...(options.erased ? { erased: options.erased } : {}),
      profiles: plan.profiles,
      retired: plan.retired,
      shared: plan.shared,
      decisionsAdded: options.decisionsAdded ?? [],
      decisionsRemoved: options.decisionsRemoved ?? [],
      review: plan.review,
      events: plan.events,
      ...(options.rules ? { rules: { version: options.rules.version, text: options.rules.text } } : {}),
    };
    const started = performance.now();
    await this.timings.measureAsync('write', () => this.store.commit(change));
    // The commit followed the last one: the rules known as of that one are as of this one, or are
    // those this commit wrote.
    if (change.rules) this.storedRulesVersion = change.rules.version;
    if (change.rules || this.rulesKnownAt === commit - 1) this.rulesKnownAt = commit;
    const written: CommittedChange = {
      commit,
      records: change.upserts.length,
      events: plan.events,
      seconds: (performance.now() - started) / 1000,
      rulesVersion: rules.version,
      scope: {
        profiles: plan.scopeProfiles,
        records: plan.scopeRecords,
        retired: plan.retired.map((profile) => profile.id),
      },
    };
    for (const listener of this.commitListeners) listener(written);
    return summarize(commit, plan);
  }

  private async decisionsAfter(
    refs: readonly RecordRef[],
    added: readonly DecisionEntry[],
    removed: readonly string[],
  ): Promise<Decision[]> {
    const gone = new Set(removed);
    const stored = await this.store.decisionsFor(refs);
    return [...stored, ...added].filter(({ decision }) => !gone.has(decision.id)).map(({ decision }) => decision);
  }

  /**
   * Takes up rules another process applied to the shared graph (another API instance on one Neo4j):
   * when the store's rules changed since this engine last looked, they are the rules in force now.
   * Rules this engine was started with that were never applied are not replaced: those still need
   * `rules apply` (requireRulesInForce refuses them).
   */
  async followStoredRules(asOf?: number): Promise<{ version: string } | undefined> {
    const started = Date.now();
    const stored = await this.store.currentRules();
    this.lastRulesCheck = started;
    // Read once the store's last commit was `asOf`: the rules of that commit, unless a later one
    // came in between, which the next look at the last commit shows.
    if (asOf !== undefined) this.rulesKnownAt = asOf;
    if (!stored || stored.version === this.storedRulesVersion) return stored;
    const first = this.storedRulesVersion === undefined;
    this.storedRulesVersion = stored.version;
    if (!first && stored.version !== this.rules.version) {
      this.rules = loadValidatedRules(stored.text);
      this.terms = new KeptTermCounts(this.store, this.rules.compiled.termFrequencyFields);
    }
    return stored;
  }

  /**
   * followStoredRules for reads, which must stay one round trip: a read waits for a look only when
   * the last one started `intervalMs` ago or more. One look at a time, shared by every read due one
   * (under load, all reads that arrive while it is answered: tens a second, each a read of Meta). A
   * read that comes in the last quarter of the interval starts the next look without waiting for it,
   * so under steady traffic no read waits and the rules are still never more than one interval old.
   */
  async followStoredRulesEvery(intervalMs: number): Promise<void> {
    const age = Date.now() - this.lastRulesCheck;
    if (age < intervalMs * RULES_LOOK_AHEAD) return;
    this.rulesLook ??= this.followStoredRules().finally(() => {
      this.rulesLook = undefined;
    });
    if (age >= intervalMs) await this.rulesLook;
    // Its failure is for the next read that waits to meet (it looks again), not this one.
    else this.rulesLook.catch(() => undefined);
  }

  /**
   * Refuses to resolve `commit` under rules other than those the graph was built with (apply them
   * first). The store's rules are read again only when a commit came since this engine last knew them.
   */
  private async requireRulesInForce(commit: number): Promise<void> {
    const known = this.storedRulesVersion === undefined ? undefined : { version: this.storedRulesVersion };
    const stored = this.rulesKnownAt === commit - 1 ? known : await this.followStoredRules(commit - 1);
    if (stored && stored.version !== this.rules.version) {
      throw new EngineError(
        'RULES_MISMATCH',
        `the store was resolved under rules version ${stored.version}, these rules are ${this.rules.version}: ` +
          'review them with `idgraph rules diff` and apply them with `idgraph rules apply` first',
      );
    }
  }

  private async requireRecords(refs: readonly RecordRef[]): Promise<void> {
    const found = await this.store.getRecords(refs);
    const missing = refs.find((ref) => !found.has(ref));
    if (missing) throw new EngineError('RECORD_NOT_FOUND', `no record ${missing}`);
  }

  /** Today by the engine's clock, YYYY-MM-DD: dates of birth after it are refused. */
  today(): string {
    return this.clock().toISOString().slice(0, 10);
  }

  /**
   * Runs one commit at a time: each must resolve against what the previous one wrote. Ingest calls
   * made after this operation join no group queued before it, so they commit after it.
   */
  private exclusive<T>(work: (commit: number) => Promise<T>): Promise<T> {
    this.groupCommit.closeOpenGroups();
    return this.commits.run(work);
  }
}
