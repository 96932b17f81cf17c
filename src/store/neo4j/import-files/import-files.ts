/**
 * The first load written as files for Neo4j's offline importer instead of sent through Bolt: the
 * same change sets of the bulk path (engine/bulk-load), turned into the same nodes, properties and
 * relationships as the Bolt path's statements write (cypher/change-statements.ts with `firstLoad`,
 * then what commitGuard sets on Meta), with the same row shaping (cypher/records.ts, profiles.ts, events.ts,
 * review.ts). `import.args` lists the files as arguments of `neo4j-admin database import full`
 * (relative to the folder); `scripts/neo4j.sh --import DIR` runs it into a new data folder.
 *
 * Two threads write: the record side (records, identifier and block links and nodes) goes to a
 * thread of its own (record-files.ts) as each commit comes; this one writes profiles, events and
 * their links as each commit comes, and at the end the review items (a later commit's item replaces
 * an earlier one with its ID, as MERGE does), the Meta node and the watermarks.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeRecord } from '../../../codec/record-codec.js';
import { WorkerPool } from '../../../runtime/worker-pool.js';
import type { ChangeSet, SourceState, StagedRecord } from '../../graph-store.js';
import { StoreError } from '../../store-error.js';
import { eventRows } from '../cypher/events.js';
import { profileRows } from '../cypher/profiles.js';
import { reviewItemRows } from '../cypher/review.js';
import type { CsvFile } from './csv-file.js';
import { type FileSpec, finished, NODES, numberOf, RELATIONSHIPS, start, type WrittenFile } from './file-specs.js';
import { RECORD_FILE_NAMES, type RecordEntry } from './record-files.js';
import type { RecordFilesTask, RecordFilesWorkerData } from './record-files-worker.js';

/** The file that lists the importer's arguments, one a line (neo4j-admin reads it as `@import.args`). */
export const IMPORT_ARGS = 'import.args';

export interface ImportFilesSummary {
  readonly commits: number;
  readonly nodes: number;
  readonly relationships: number;
}

/**
 * Commits handed to the record thread and not yet written: the next one waits for the oldest, so a
 * fast main thread does not pile commits up in memory.
 */
const RECORD_BATCHES_OUT = 2;

type RecordThread = WorkerPool<RecordFilesTask, WrittenFile[] | null>;
type Streamed = 'profiles' | 'events' | 'hasRecord' | 'changed';

export class ImportFiles {
  private last = 0;
  private lockedAt: string | undefined;
  private rules: { version: string; text: string } | undefined;
  /** Node numbers (`:ID`) by key, as records and profiles come. */
  private readonly recordNumbers = new Map<string, number>();
  private readonly profileNumbers = new Map<string, number>();
  private events = 0;
  private readonly review = new Map<string, ReturnType<typeof reviewItemRows>[number]>();
  private readonly sources = new Map<string, SourceState>();
  private finished: ImportFilesSummary | undefined;
  /** Started at the first commit, with the rules it carries to derive blocking keys under. */
  private recordThread: RecordThread | undefined;
  /** The rules text the record thread derives blocking keys under (none: it is sent them). */
  private threadRulesText: string | undefined;
  private readonly recordBatches: Promise<unknown>[] = [];

  private constructor(
    readonly folder: string,
    private readonly files: Record<Streamed, CsvFile>,
  ) {}

  /** Starts the files in `folder`, which must be new or empty: files of another load must not mix in. */
  static async create(folder: string): Promise<ImportFiles> {
    try {
      await mkdir(folder, { recursive: true });
      const present = await readdir(folder);
      if (present.length > 0) {
        throw new StoreError(
          'STORE_PATH_UNUSABLE',
          `${folder} is not empty: import files are written into a new or empty folder only`,
        );
      }
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new StoreError('STORE_PATH_UNUSABLE', `cannot write import files into ${folder}: ${code}`, {
        cause: error,
      });
    }
    const files: Record<Streamed, CsvFile> = {
      profiles: start(folder, NODES.profiles),
      events: start(folder, NODES.events),
      hasRecord: start(folder, RELATIONSHIPS.hasRecord),
      changed: start(folder, RELATIONSHIPS.changed),
    };
    return new ImportFiles(folder, files);
  }

  lastCommit(): number {
    return this.last;
  }

  sourceState(source: string): SourceState | undefined {
    return this.sources.get(source);
  }

  rememberSourceState(state: SourceState): void {
    this.sources.set(state.source, state);
  }

  /** A commit of the bulk path, written as rows; anything else cannot go into an offline import. */
  async commit(change: ChangeSet): Promise<void> {
    if (this.finished) throw new StoreError('STORE_IMPORT_ONLY', 'the import files are finished');
    if (!change.firstLoad || change.removals.length > 0 || change.retired.length > 0) {
      throw new StoreError(
        'STORE_IMPORT_ONLY',
        'import files take the first load of an empty graph only: load into the imported database for the rest',
      );
    }
    if (change.commit !== this.last + 1) {
      throw new StoreError('STORE_CONFLICT', `commit ${change.commit} does not follow ${this.last}`);
    }
    if (change.rules) this.rules = change.rules;
    const thread = this.startRecordThread();
    // The thread derives blocking keys under the rules it was started with: only while they are the
    // load's (a load whose rules came after its first commit, or changed, sends the keys).
    const derive = this.rules !== undefined && this.rules.text === this.threadRulesText;
    const records = change.upserts.map((staged) => this.recordEntry(staged, derive));
    const shared = change.shared.map(({ identifier, shared }) => [identifier, shared] as const);
    await this.toRecordThread(thread, { commit: change.commit, records, shared });

    const { files } = this;
    const commit = change.commit;
    for (const row of profileRows(change.profiles)) {
      const profile = numberOf(this.profileNumbers, row.id);
      files.profiles.row([profile, row.id, row.seq, false, row.edges, row.records.length, commit]);
      // As the Bolt path's MATCH, a record or profile not in the graph is not linked.
      for (const [i, ref] of row.records.entries()) {
        const record = this.recordNumbers.get(ref);
        if (record !== undefined) files.hasRecord.row([profile, record, i]);
      }
    }
    for (const row of reviewItemRows(change.review?.upserts ?? [])) this.review.set(row.id, row);
    for (const row of eventRows(change.events)) {
      const event = this.events++;
      files.events.row([event, row.id, commit, row.n, row.kind, row.at, row.actor, row.rule, row.data]);
      for (const id of row.profiles) {
        const profile = this.profileNumbers.get(id);
        if (profile !== undefined) files.changed.row([event, profile]);
      }
    }
    this.last = commit;
    this.lockedAt = change.at;
  }

  /** A load cut short: the files go, so none is taken for a complete import. */
  async abandon(): Promise<void> {
    if (this.finished) return;
    for (const file of Object.values(this.files)) file.close();
    const thread = this.recordThread;
    if (thread) {
      await Promise.allSettled(this.recordBatches);
      await thread.run('abandon').catch(() => undefined);
      await thread.close();
    }
    const names = [...Object.values(this.files).map((file) => file.name), ...RECORD_FILE_NAMES];
    for (const name of names) await rm(join(this.folder, name), { force: true });
  }

  /** Writes the nodes kept to the end and the importer's arguments; the files are then complete. */
  async finish(): Promise<ImportFilesSummary> {
    if (this.finished) return this.finished;
    const { folder } = this;
    const thread = this.startRecordThread();
    let recordFiles: WrittenFile[];
    try {
      for (const batch of this.recordBatches.splice(0)) await batch;
      recordFiles = (await this.failedWrite(thread.run('finish'))) as WrittenFile[];
    } finally {
      await thread.close();
    }
    const review = start(folder, NODES.review);
    for (const row of this.review.values()) {
      review.row([row.id, row.a, row.b, row.status, row.kind, row.rule, row.createdCommit, row.data]);
    }
    const meta = start(folder, NODES.meta);
    if (this.last > 0) {
      meta.row(['meta', this.last, this.lockedAt ?? null, this.rules?.version ?? null, this.rules?.text ?? null]);
    }
    const sources = start(folder, NODES.sources);
    for (const state of this.sources.values()) {
      sources.row([state.source, state.origin, state.column, state.watermark, state.at]);
    }
    const written = (entries: [CsvFile, FileSpec][]) => entries.map(([file, spec]) => finished(file, spec));
    const byName = (name: string) => recordFiles.filter((file) => file.name === name);
    const nodes = [
      ...byName(NODES.records[0]),
      ...byName(NODES.identifiers[0]),
      ...byName(NODES.blocks[0]),
      ...written([
        [this.files.profiles, NODES.profiles],
        [this.files.events, NODES.events],
        [review, NODES.review],
        [meta, NODES.meta],
        [sources, NODES.sources],
      ]),
    ];
    const relationships = [
      ...byName(RELATIONSHIPS.hasIdentifier[0]),
      ...byName(RELATIONSHIPS.inBlock[0]),
      ...written([
        [this.files.hasRecord, RELATIONSHIPS.hasRecord],
        [this.files.changed, RELATIONSHIPS.changed],
      ]),
    ];
    await writeFile(join(folder, IMPORT_ARGS), importArgs(nodes, relationships), { flag: 'wx' });
    this.finished = {
      commits: this.last,
      nodes: nodes.reduce((sum, file) => sum + file.rows, 0),
      relationships: relationships.reduce((sum, file) => sum + file.rows, 0),
    };
    return this.finished;
  }

  private startRecordThread(): RecordThread {
    if (!this.recordThread) {
      this.threadRulesText = this.rules?.text;
      this.recordThread = WorkerPool.start<RecordFilesTask, WrittenFile[] | null>(
        import.meta.url,
        'record-files-worker',
        { folder: this.folder, rulesText: this.threadRulesText } satisfies RecordFilesWorkerData,
        1,
      );
    }
    return this.recordThread;
  }

  /**
   * A record as the record thread takes it. A bulk-path record goes as its encoding, never decoded
   * here, when the thread has the rules to derive its blocking keys; any other with its keys.
   */
  private recordEntry(staged: StagedRecord, derive: boolean): RecordEntry {
    const { packed } = staged;
    if (packed && derive) return [numberOf(this.recordNumbers, packed.ref), packed.ref, packed.encoded];
    const { record } = staged;
    const encoded = packed?.encoded ?? encodeRecord(record);
    return [numberOf(this.recordNumbers, record.ref), record.ref, encoded, staged.blockKeys];
  }

  /** Hands a commit's records over, once the oldest batch still out is written. */
  private async toRecordThread(thread: RecordThread, task: RecordFilesTask): Promise<void> {
    while (this.recordBatches.length >= RECORD_BATCHES_OUT) await this.recordBatches.shift();
    const written = this.failedWrite(thread.run(task));
    // Met in turn (above, or at the end); until then a failure must not count as unhandled.
    written.catch(() => undefined);
    this.recordBatches.push(written);
  }

  /** The record thread's failure (a full disk, say) as the store's error. */
  private failedWrite<T>(written: Promise<T>): Promise<T> {
    return written.catch((error: unknown) => {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new StoreError('STORE_PATH_UNUSABLE', `writing import files into ${this.folder} failed: ${reason}`, {
        cause: error,
      });
    });
  }
}

/**
 * The arguments of `neo4j-admin database import full`, one a line: node numbers as IDs, each file
 * with its label or type, and the files whose texts hold line breaks (read more slowly, so only those).
 */
function importArgs(nodes: readonly WrittenFile[], relationships: readonly WrittenFile[]): string {
  const lines = [
    '--id-type=integer',
    ...nodes.map((file) => `--nodes=${file.labelOrType}=${file.name}`),
    ...relationships.map((file) => `--relationships=${file.labelOrType}=${file.name}`),
  ];
  const multiline = [...nodes, ...relationships].filter((file) => file.multiline).map((file) => file.name);
  if (multiline.length > 0) lines.push('--multiline-fields-format=v2', `--multiline-fields=${multiline.join(',')}`);
  return `${lines.join('\n')}\n`;
}
