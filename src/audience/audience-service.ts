/**
 * What the CLI and the API do with audiences: create one from member rows, report on it for one
 * destination or all, and write its upload file. Resolution runs against the graph as it is now.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PassPlan } from '../core/audience/audience-pass.js';
import { type AudienceMember, type MemberParse, parseMemberRow } from '../core/audience/members.js';
import type { AudiencePerson } from '../core/audience/person.js';
import type { MatchReportBuilder } from '../core/audience/report.js';
import type { MatchReport } from '../core/audience/report-types.js';
import type { DestinationId } from '../core/destinations/destination-profile.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { AudienceStorage, GraphReads } from '../store/graph-store.js';
import { isNeo4jSpec } from '../store/open-store.js';
import { type ActivationSummary, activationCsv, writeActivationFile } from './activation.js';
import { keptGroups, peopleBatches } from './audience-people.js';
import { type AudienceDefinition, AudienceStore } from './audience-store.js';
import type { DestinationCatalog } from './destination-settings-file.js';
import { countingMembers, countingPeople, type ProgressListener } from './pass-progress.js';
import { buildPeople, type PeopleBatch } from './people-batch.js';
import { InMemoryGroups, PartitionedGroups, profileIdsOnly, removeAbandonedWork } from './profile-groups.js';
import { type AudienceReads, type ResolveContext, type ResolvedAudience, resolveAudience } from './resolve-audience.js';
import { type PassResult, type PassRun, startPass } from './run-pass.js';

/**
 * The local folder of a store's audiences: where an embedded store keeps them (`<store>/audiences`
 * unless told), and where a report on a large audience writes its working files (`.work` in it).
 * With Neo4j the audiences are in the graph and only the working files are here (.idgraph/audiences).
 */
export function audienceFolder(storeSpec: string, explicit?: string): string {
  if (explicit) return resolve(explicit);
  return isNeo4jSpec(storeSpec) ? resolve('.idgraph/audiences') : join(resolve(storeSpec), 'audiences');
}

export interface MemberRowsOutcome {
  readonly members: AudienceMember[];
  readonly rejected: { readonly line: number; readonly reason: string }[];
}

/** Parses uploaded rows (from a file or a request) into members, collecting rejections by line. */
export function parseMembers(
  rows: Iterable<{ line: number; row: Record<string, unknown> } | { line: number; problem: string }>,
  rules: LoadedRules,
): MemberRowsOutcome {
  const targets = new Set([...Object.keys(rules.file.identifiers), ...Object.keys(rules.file.attributes)]);
  const contextOnly = new Set(
    Object.entries(rules.file.attributes)
      .filter(([, config]) => config.normalizer === 'country')
      .map(([name]) => name),
  );
  const members: AudienceMember[] = [];
  const rejected: { line: number; reason: string }[] = [];
  for (const entry of rows) {
    if ('problem' in entry) {
      rejected.push({ line: entry.line, reason: entry.problem });
      continue;
    }
    const parsed: MemberParse = parseMemberRow(entry.row, entry.line, targets, contextOnly);
    if (parsed.ok) members.push(parsed.member);
    else rejected.push({ line: parsed.line, reason: parsed.reason });
  }
  return { members, rejected };
}

/** An audience resolved against the graph as it is now, with the audiences it suppresses; people not yet read. */
export interface ResolvedAudienceView {
  readonly definition: AudienceDefinition;
  readonly resolved: ResolvedAudience;
  readonly suppressors: readonly ResolvedAudience[];
}

/**
 * Members grouped in memory per part (about 175 bytes each, measured at a million). Larger
 * audiences are grouped in files, one part at a time.
 */
const MEMBERS_PER_PART = 1_000_000;

/**
 * Audiences of this many rows or more are evaluated in worker threads, one per core: below it,
 * starting the workers (a few hundred milliseconds) costs more than they save.
 */
const PARALLEL_FROM_ROWS = 50_000;

export interface AudienceServiceOptions {
  /** Members grouped in memory per part (see MEMBERS_PER_PART). */
  readonly membersPerPart?: number;
  /** Worker threads for every pass, whatever the audience's size; 0 for none. */
  readonly workers?: number;
  /** Profiles read from the store per batch of people (audience-people.ts). */
  readonly peoplePerBatch?: number;
  /**
   * Where large audiences are grouped in files (member rows: personal data), e.g. `.work` in
   * `audienceFolder`; a folder under the system's temporary one when absent.
   */
  readonly workFolder?: string;
}

/** The counts a marketer previews before reporting: rows in, people out. */
export interface AudiencePreview {
  readonly rows: number;
  readonly rowsRejected: number;
  readonly rowsNotFound: number;
  readonly rowsUnresolved: number;
  readonly people: number;
  readonly suppressed: number;
}

export class AudienceService {
  readonly audiences: AudienceStore;

  private readonly membersPerPart: number;
  private readonly workers: number | undefined;
  private readonly peoplePerBatch: number | undefined;
  private readonly workFolder: string;

  constructor(
    private readonly store: AudienceReads & Pick<GraphReads, 'lastCommit'>,
    readonly rules: LoadedRules,
    /** The store's audiences (the store itself, or AudienceFiles in a folder of one's choosing). */
    storage: AudienceStorage,
    /** The destinations with the team's settings applied (loadDestinationCatalog). */
    private readonly catalog: DestinationCatalog,
    private readonly clock: () => number = Date.now,
    options: AudienceServiceOptions = {},
  ) {
    this.audiences = new AudienceStore(storage);
    this.workFolder = options.workFolder ?? join(tmpdir(), 'idgraph-audience-work');
    this.membersPerPart = options.membersPerPart ?? MEMBERS_PER_PART;
    this.workers = options.workers;
    this.peoplePerBatch = options.peoplePerBatch;
  }

  async create(
    id: string,
    outcome: MemberRowsOutcome,
    options: { name?: string; suppress?: readonly string[]; replace?: boolean } = {},
  ): Promise<AudienceDefinition> {
    const rejectedByReason: Record<string, number> = {};
    for (const { reason } of outcome.rejected) rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    const definition: AudienceDefinition = {
      id,
      name: options.name ?? id,
      createdAt: new Date(this.clock()).toISOString(),
      suppress: options.suppress ?? [],
      rows: outcome.members.length + outcome.rejected.length,
      rowsRejected: outcome.rejected.length,
      rejectedByReason,
    };
    await this.audiences.create(definition, outcome.members, options.replace);
    return definition;
  }

  /**
   * The audience and those it suppresses, resolved: who their people are, before their values are
   * read. Holds working files for large audiences: pass it to `dispose` when done.
   */
  async resolve(id: string, progress?: ProgressListener): Promise<ResolvedAudienceView> {
    const definition = await this.audiences.require(id);
    const others: AudienceDefinition[] = [];
    for (const other of definition.suppress) others.push(await this.audiences.require(other));
    // Suppressing audiences are grouped in as many parts, so part i of each holds the same profiles.
    const largest = Math.max(definition.rows, ...others.map((other) => other.rows));
    const parts = Math.max(1, Math.ceil(largest / this.membersPerPart));
    const work = this.workFolder;
    if (parts > 1) await removeAbandonedWork(work);
    const groups = () => (parts === 1 ? new InMemoryGroups() : new PartitionedGroups(work, parts));
    const context = this.context();
    const resolved: ResolvedAudience[] = [];
    try {
      const members = this.audiences.memberBatches(id);
      const counted = progress
        ? countingMembers(members, definition.rows - definition.rowsRejected, progress)
        : members;
      resolved.push(await resolveAudience(context, counted, groups()));
      for (const other of others) {
        resolved.push(await resolveAudience(context, this.audiences.memberBatches(other.id), profileIdsOnly(groups())));
      }
    } catch (error) {
      for (const done of resolved) await done.groups.dispose();
      throw error;
    }
    return { definition, resolved: resolved[0] as ResolvedAudience, suppressors: resolved.slice(1) };
  }

  async dispose(view: ResolvedAudienceView): Promise<void> {
    for (const audience of [view.resolved, ...view.suppressors]) await audience.groups.dispose();
  }

  /** The people of a resolved audience after suppression, built on this thread (for tests and tools). */
  async *people(view: ResolvedAudienceView): AsyncIterable<AudiencePerson[]> {
    for await (const batch of this.batches(view, { suppressed: 0 })) {
      yield buildPeople(batch, this.rules.file, this.rules.normalizers);
    }
  }

  /**
   * Batches of people to evaluate, read from the store as they are consumed; `counts.suppressed`
   * is complete once they have all been read.
   */
  private batches(
    view: ResolvedAudienceView,
    counts: { suppressed: number },
    progress?: ProgressListener,
  ): AsyncIterable<PeopleBatch> {
    const batches = peopleBatches(
      this.context(),
      keptGroups(view.resolved, view.suppressors, counts),
      this.peoplePerBatch,
    );
    if (!progress) return batches;
    const { definition, resolved } = view;
    return countingPeople(batches, definition.rows - definition.rowsRejected - resolved.rowsNotFound, progress);
  }

  async preview(id: string): Promise<AudiencePreview> {
    return this.withView(id, async ({ definition, resolved, suppressors }) => {
      const counts = { suppressed: 0 };
      let people = 0;
      for await (const part of keptGroups(resolved, suppressors, counts)) {
        people += Array.isArray(part) ? part.length : part.size;
      }
      return {
        rows: definition.rows,
        rowsRejected: definition.rowsRejected,
        rowsNotFound: resolved.rowsNotFound,
        rowsUnresolved: resolved.rowsUnresolved,
        people,
        suppressed: counts.suppressed,
      };
    });
  }

  /** The profiles among the audience's people (after its suppressions), for segments that name it. */
  async profileIds(id: string): Promise<Set<string>> {
    return this.withView(id, async ({ resolved, suppressors }) => {
      const ids = new Set<string>();
      for await (const part of keptGroups(resolved, suppressors, { suppressed: 0 })) {
        if (!Array.isArray(part)) for (const profileId of part.keys()) ids.add(profileId);
      }
      return ids;
    });
  }

  async report(id: string, destination: DestinationId): Promise<MatchReport> {
    return (await this.reports(id, [destination]))[0] as MatchReport;
  }

  /** Reports for several destinations from one pass over the people; `progress` hears how far it got. */
  async reports(
    id: string,
    destinations: readonly DestinationId[],
    progress?: ProgressListener,
  ): Promise<MatchReport[]> {
    const plan = { reports: destinations, nowMs: this.clock() };
    return this.withPass(
      id,
      plan,
      async (view, pass) => {
        const lastCommit = await this.store.lastCommit();
        const counts = { suppressed: 0 };
        const result: PassResult = {};
        for await (const _ of pass.run(this.batches(view, counts, progress), result));
        return (result.reports ?? []).map((builder) => this.finishReport(builder, view, counts.suppressed, lastCommit));
      },
      progress,
    );
  }

  async export(id: string, destination: DestinationId, path: string): Promise<ActivationSummary> {
    return this.withPass(id, { reports: [], upload: destination, nowMs: this.clock() }, (view, pass) =>
      writeActivationFile(path, this.catalog[destination], pass.run(this.batches(view, { suppressed: 0 }), {})),
    );
  }

  /**
   * The upload file and the report of what it holds, from one pass over the people: each person is
   * read and evaluated once for both, about the time of the export alone.
   */
  async exportWithReport(
    id: string,
    destination: DestinationId,
    path: string,
  ): Promise<{ export: ActivationSummary; report: MatchReport }> {
    const plan = { reports: [destination], upload: destination, nowMs: this.clock() };
    return this.withPass(id, plan, async (view, pass) => {
      const lastCommit = await this.store.lastCommit();
      const counts = { suppressed: 0 };
      const result: PassResult = {};
      const written = await writeActivationFile(
        path,
        this.catalog[destination],
        pass.run(this.batches(view, counts), result),
      );
      const [builder] = result.reports as [MatchReportBuilder];
      return { export: written, report: this.finishReport(builder, view, counts.suppressed, lastCommit) };
    });
  }

  private finishReport(
    builder: MatchReportBuilder,
    { definition, resolved }: ResolvedAudienceView,
    suppressed: number,
    lastCommit: number,
  ): MatchReport {
    return builder.finish({
      audience: {
        id: definition.id,
        name: definition.name,
        createdAt: definition.createdAt,
        suppress: definition.suppress,
        rows: definition.rows,
        rowsRejected: definition.rowsRejected,
        rowsUnresolved: resolved.rowsUnresolved,
        rowsNotFound: resolved.rowsNotFound,
      },
      suppressed,
      graph: { rulesVersion: this.rules.version, lastCommit },
    });
  }

  /**
   * The upload file as CSV chunks, for streaming over HTTP. Resolution happens before this
   * returns, so an unknown audience fails before any byte is sent.
   */
  async exportCsv(id: string, destination: DestinationId): Promise<AsyncIterable<string>> {
    const pass = await this.startPass(id, { reports: [], upload: destination, nowMs: this.clock() });
    let view: ResolvedAudienceView;
    try {
      view = await this.resolve(id);
    } catch (error) {
      await pass.close();
      throw error;
    }
    const chunks = activationCsv(this.catalog[destination], pass.run(this.batches(view, { suppressed: 0 }), {}));
    const done = async () => {
      await pass.close();
      await this.dispose(view);
    };
    return (async function* () {
      try {
        yield* chunks;
      } finally {
        // Also when the client goes away mid-file: the stream returns the generator early.
        await done();
      }
    })();
  }

  /**
   * Resolves the audience and runs `work` with a pass over its people, whose worker threads boot
   * while the audience resolves.
   */
  private async withPass<T>(
    id: string,
    plan: PassPlan,
    work: (view: ResolvedAudienceView, pass: PassRun) => Promise<T>,
    progress?: ProgressListener,
  ): Promise<T> {
    const pass = await this.startPass(id, plan);
    try {
      return await this.withView(id, (view) => work(view, pass), progress);
    } finally {
      await pass.close();
    }
  }

  /**
   * A pass on worker threads when the audience is large enough to repay starting them (or as many
   * as the service was told).
   */
  private async startPass(id: string, plan: PassPlan): Promise<PassRun> {
    const { rows } = await this.audiences.require(id);
    const workers = this.workers ?? (rows >= PARALLEL_FROM_ROWS ? availableParallelism() : 0);
    return startPass(plan, { rules: this.rules, catalog: this.catalog, workers });
  }

  private async withView<T>(
    id: string,
    work: (view: ResolvedAudienceView) => Promise<T>,
    progress?: ProgressListener,
  ): Promise<T> {
    const view = await this.resolve(id, progress);
    try {
      return await work(view);
    } finally {
      await this.dispose(view);
    }
  }

  private context(): ResolveContext {
    return { store: this.store, rules: this.rules.file, normalizers: this.rules.normalizers };
  }
}
