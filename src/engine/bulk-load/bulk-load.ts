/**
 * The bulk path for a first load into an empty store. Instead of re-deciding a scope per batch, it
 * takes every record prepared and packed (ingest/first-load.ts), finds the connected components once
 * (identifiers that are not hubs, and fuzzy pairs that score a match or fall in a review band),
 * resolves each component with the same pure function as the incremental path (in worker threads,
 * when it has them, while this thread writes), and writes the result in large commits. The partition and the review items are
 * the ones incremental ingest gives (resolution of a component depends only on its records); the
 * history differs only in telling each profile's creation as one event.
 */

import type { PackedRecord } from '../../codec/packed-record.js';
import { fuzzyRulesOf } from '../../core/resolve/blocking.js';
import type { CompiledFuzzyRule, CompiledRules } from '../../core/resolve/compiled-rules.js';
import { newProfileId } from '../../core/resolve/profile-ids.js';
import type { ReviewCandidate } from '../../core/resolve/review-candidates.js';
import { NO_TERM_FREQUENCIES, TermCounts } from '../../core/resolve/term-frequencies.js';
import type { RecordRef } from '../../core/resolve/types.js';
import { newReviewItems } from '../../core/review/reconcile.js';
import { WorkerPool } from '../../runtime/worker-pool.js';
import type { BulkLoadTarget, StagedRecord } from '../../store/graph-store.js';
import { EngineError } from '../engine-error.js';
import type { LoadedRules } from '../rules/loaded-rules.js';
import type { PhaseTimings } from '../timings.js';
import type { ComponentTask, ComponentWorkerData } from './component-worker.js';
import { type Components, dedupe, findComponents } from './find-components.js';
import { PackedProfile, ProfileCreatedEvent } from './packed-profile.js';
import { type ComponentRun, type ResolvedComponent, resolveComponentRun } from './resolve-component.js';
import { StagedPackedRecord } from './staged-packed-record.js';

export interface BulkLoadOptions {
  readonly store: BulkLoadTarget;
  readonly rules: LoadedRules;
  /** Taken over and emptied: each record is released once it is written. */
  readonly records: PackedRecord[];
  readonly at: string;
  readonly timings: PhaseTimings;
  /** Records per commit. */
  readonly commitSize?: number;
  /** Worker threads that resolve components while the main thread writes (default 0: resolve in line). */
  readonly workers?: number;
  /** Told as the load goes: when it starts finding components, then records written of all. */
  readonly onProgress?: (step: BulkLoadStep) => void;
}

export type BulkLoadStep =
  | { readonly phase: 'components'; readonly records: number }
  | { readonly phase: 'write'; readonly written: number; readonly total: number };

export interface BulkLoadSummary {
  readonly profilesCreated: number;
  /** Records joined into a profile with others: records - profiles. */
  readonly merges: number;
  readonly commits: number;
}

/**
 * Records per commit. Smaller commits keep the main thread's writing in step with the workers'
 * resolving and let a commit's objects die young: loading the benchmark's 1M records, 10,000 took
 * 37 s against 42 s for 50,000; 5,000 was a little faster again but raised peak RSS past 2 GB.
 */
const DEFAULT_COMMIT_SIZE = 10_000;

export async function bulkLoad(options: BulkLoadOptions): Promise<BulkLoadSummary> {
  const { store, rules } = options;
  if ((await store.lastCommit()) !== 0) {
    throw new EngineError('STORE_NOT_EMPTY', 'the bulk path loads an empty store only; use incremental ingest');
  }
  const workers = options.workers ?? 0;
  // The workers start before the components are found, so they are ready when the first run is;
  // they learn the hubs (found with the components) before any run.
  const pool =
    workers > 0
      ? WorkerPool.start<ComponentTask, ResolvedComponent[] | null>(
          import.meta.url,
          'component-worker',
          { rulesText: rules.text } satisfies ComponentWorkerData,
          workers,
        )
      : undefined;
  try {
    return await loadWith(options, pool, workers);
  } finally {
    await pool?.close();
  }
}

async function loadWith(
  options: BulkLoadOptions,
  pool: WorkerPool<ComponentTask, ResolvedComponent[] | null> | undefined,
  workers: number,
): Promise<BulkLoadSummary> {
  const { rules } = options;
  const records: (PackedRecord | undefined)[] = dedupe(options.records);
  options.records.length = 0;
  options.onProgress?.({ phase: 'components', records: records.length });
  // Frequencies are of every record loaded, counted before any pair is scored.
  const counts = options.timings.measure('match', () => countTerms(records as PackedRecord[], rules.compiled));
  const frequencies = counts ?? NO_TERM_FREQUENCIES;
  const { components, hubs } = options.timings.measure('match', () =>
    findComponents(records as PackedRecord[], rules, frequencies),
  );
  await pool?.broadcast({ hubs: [...hubs], terms: counts ? [...counts.entries()] : [] });
  const writer = new BulkWriter(options, records.length);
  // Runs out for resolving, oldest first: written in component order, so profiles are numbered
  // the same however many workers there are.
  const out: { members: PackedRecord[]; sizes: number[]; resolved: Promise<ResolvedComponent[]> }[] = [];
  const takeOldest = async () => {
    const { members, sizes, resolved } = out.shift() as (typeof out)[number];
    const results = await options.timings.measureAsync('match', () => resolved);
    let at = 0;
    for (const [index, result] of results.entries()) {
      const size = sizes[index] as number;
      await writer.add(members.slice(at, at + size), result);
      at += size;
    }
  };
  for (const run of componentRuns(components, records)) {
    const task = taskOf(run);
    const resolved = pool
      ? (pool.run(task) as Promise<ResolvedComponent[]>)
      : Promise.resolve(
          options.timings.measure('match', () => resolveComponentRun(task, rules.compiled, hubs, frequencies)),
        );
    // Met when its turn comes; until then a rejection must not count as unhandled.
    resolved.catch(() => undefined);
    out.push({ members: run.members, sizes: run.sizes, resolved });
    while (out.length > 2 * Math.max(1, workers)) await takeOldest();
  }
  while (out.length > 0) await takeOldest();
  return writer.finish(hubs);
}

/** The values of the fields weighed by term frequency, counted over the records; none when the rules weigh none. */
function countTerms(records: readonly PackedRecord[], rules: CompiledRules): TermCounts | undefined {
  if (rules.termFrequencyFields.length === 0) return undefined;
  const counts = new TermCounts(rules.termFrequencyFields);
  for (const record of records) for (const entry of record.termKeys ?? []) counts.addTermKey(entry);
  return counts;
}

/** A run as resolving takes it: a lone record resolves without its encoding, so none is sent. */
function taskOf(run: { members: PackedRecord[]; sizes: number[] }): ComponentRun {
  const refs = run.members.map((member) => member.ref);
  const encoded: string[] = new Array(refs.length);
  let start = 0;
  for (const size of run.sizes) {
    for (let at = start; at < start + size; at++) {
      encoded[at] = size === 1 ? '' : (run.members[at] as PackedRecord).encoded;
    }
    start += size;
  }
  return { refs, encoded, sizes: run.sizes };
}

/** Records per run of components sent to be resolved at once. */
const RUN_RECORDS = 5_000;

/** The components in order, as runs of about RUN_RECORDS records; records are let go as they are taken. */
function* componentRuns(
  components: Components,
  records: (PackedRecord | undefined)[],
): Generator<{ members: PackedRecord[]; sizes: number[] }> {
  const { order, start } = components;
  let members: PackedRecord[] = [];
  let sizes: number[] = [];
  for (let c = 0; c < components.count; c++) {
    const from = start[c] as number;
    const to = start[c + 1] as number;
    for (let at = from; at < to; at++) {
      const index = order[at] as number;
      members.push(records[index] as PackedRecord);
      records[index] = undefined;
    }
    sizes.push(to - from);
    if (members.length >= RUN_RECORDS) {
      yield { members, sizes };
      members = [];
      sizes = [];
    }
  }
  if (members.length > 0) yield { members, sizes };
}

/** Gathers resolved components into commits of the chosen size and writes them. */
class BulkWriter {
  private commit = 0;
  private profilesCreated = 0;
  private merges = 0;
  private written = 0;
  private readonly issued = new Set<string>();
  private pending = BulkWriter.empty();

  private readonly fuzzyRules: readonly CompiledFuzzyRule[];

  constructor(
    private readonly options: BulkLoadOptions,
    private readonly total: number,
  ) {
    this.fuzzyRules = fuzzyRulesOf(options.rules.compiled);
  }

  private static empty() {
    return {
      records: [] as StagedRecord[],
      profiles: [] as PackedProfile[],
      shared: [] as string[],
      review: [] as ReviewCandidate[],
    };
  }

  async add(members: readonly PackedRecord[], resolved: ResolvedComponent): Promise<void> {
    const { pending } = this;
    for (const packed of members) pending.records.push(new StagedPackedRecord(packed, this.fuzzyRules));
    for (const [index, refs] of resolved.clusters.entries()) {
      this.merges += refs.length - 1;
      const proposed = resolved.proposedIds[index] as string;
      const id = this.issued.has(proposed)
        ? newProfileId(refs[0] as RecordRef, (candidate) => this.issued.has(candidate))
        : proposed;
      this.issued.add(id);
      pending.profiles.push(
        new PackedProfile(
          id,
          this.profilesCreated++,
          refs,
          resolved.edgesJson[index] as string,
          resolved.firstRules[index],
        ),
      );
    }
    pending.shared.push(...resolved.shared);
    for (const candidate of resolved.review) pending.review.push(candidate);
    if (pending.records.length >= (this.options.commitSize ?? DEFAULT_COMMIT_SIZE)) await this.flush();
  }

  /** Writes what is left, with the hubs found before resolving, and tells what was written. */
  async finish(hubs: ReadonlySet<string>): Promise<BulkLoadSummary> {
    this.pending.shared.push(...hubs);
    await this.flush();
    return { profilesCreated: this.profilesCreated, merges: this.merges, commits: this.commit };
  }

  private async flush(): Promise<void> {
    if (this.pending.records.length === 0) return;
    const { options } = this;
    const { rules } = options;
    const commit = ++this.commit;
    const batch = this.pending;
    this.pending = BulkWriter.empty();
    const events = batch.profiles.map(
      (profile, index) => new ProfileCreatedEvent(`e${commit}-${index + 1}`, options.at, rules.version, profile),
    );
    await options.timings.measureAsync('write', () =>
      options.store.commit({
        commit,
        at: options.at,
        rulesVersion: rules.version,
        upserts: batch.records,
        removals: [],
        profiles: batch.profiles,
        retired: [],
        shared: batch.shared.map((identifier) => ({ identifier, shared: true })),
        decisionsAdded: [],
        decisionsRemoved: [],
        events,
        review: { upserts: newReviewItems(batch.review, commit, options.at), removed: [] },
        firstLoad: true,
        ...(commit === 1 ? { rules: { version: rules.version, text: rules.text } } : {}),
      }),
    );
    this.written += batch.records.length;
    options.onProgress?.({ phase: 'write', written: this.written, total: this.total });
  }
}
