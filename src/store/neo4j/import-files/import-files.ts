/**
 * The first load written as files for Neo4j's offline importer instead of sent through Bolt: the
 * same change sets of the bulk path (engine/bulk-load), turned into the same nodes, properties and
 * relationships as the Bolt path's statements write (cypher/change-statements.ts with `firstLoad`,
 * then setLastCommit), with the same row shaping (cypher/records.ts, profiles.ts, events.ts,
 * review.ts). `import.args` lists the files as arguments of `neo4j-admin database import full`
 * (relative to the folder); `scripts/neo4j.sh --import DIR` runs it into a new data folder.
 *
 * Records, profiles, events and relationships are written as each commit comes. Identifier and block
 * nodes are shared by many records and a later commit may mark an identifier shared, so they are
 * kept as a set of keys and written at the end, with the review items (a later commit's item
 * replaces an earlier one with its ID, as MERGE does), the Meta node and the watermarks.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangeSet, SourceState } from '../../graph-store.js';
import { StoreError } from '../../store-error.js';
import { eventRows } from '../cypher/events.js';
import { identifierRow } from '../cypher/identifiers.js';
import { profileRows } from '../cypher/profiles.js';
import { recordRows } from '../cypher/records.js';
import { reviewItemRows } from '../cypher/review.js';
import { CsvFile } from './csv-file.js';

/** Each file's name, label or type, and header (the importer's types: a bare column is a string). */
const NODES = {
  records: ['records.csv', 'Record', ['ref:ID(Record)', 'source', 'recordId', 'ts:long', 'data']],
  identifiers: ['identifiers.csv', 'Identifier', ['key:ID(Identifier)', 'type', 'matchKey', 'shared:boolean']],
  blocks: ['blocks.csv', 'Block', ['key:ID(Block)']],
  profiles: [
    'profiles.csv',
    'Profile',
    ['id:ID(Profile)', 'seq:long', 'retired:boolean', 'edges', 'size:long', 'changed:long'],
  ],
  events: ['events.csv', 'Event', ['id:ID(Event)', 'commit:long', 'n:long', 'kind', 'at', 'actor', 'rule', 'data']],
  review: [
    'review-items.csv',
    'ReviewItem',
    ['id:ID(ReviewItem)', 'a', 'b', 'status', 'kind', 'rule', 'createdCommit:long', 'data'],
  ],
  meta: ['meta.csv', 'Meta', ['id:ID(Meta)', 'lastCommit:long', 'lockedAt', 'rulesVersion', 'rulesText']],
  sources: ['source-states.csv', 'SourceState', ['source:ID(SourceState)', 'origin', 'column', 'watermark', 'at']],
} as const;

const RELATIONSHIPS = {
  hasIdentifier: [
    'has-identifier.csv',
    'HAS_IDENTIFIER',
    [':START_ID(Record)', ':END_ID(Identifier)', 'commit:long', 'n:long'],
  ],
  inBlock: ['in-block.csv', 'IN_BLOCK', [':START_ID(Record)', ':END_ID(Block)', 'commit:long', 'n:long']],
  hasRecord: ['has-record.csv', 'HAS_RECORD', [':START_ID(Profile)', ':END_ID(Record)', 'i:long']],
  changed: ['changed.csv', 'CHANGED', [':START_ID(Event)', ':END_ID(Profile)']],
} as const;

/** The file that lists the importer's arguments, one a line (neo4j-admin reads it as `@import.args`). */
export const IMPORT_ARGS = 'import.args';

export interface ImportFilesSummary {
  readonly commits: number;
  readonly nodes: number;
  readonly relationships: number;
}

type Streamed = 'records' | 'profiles' | 'events' | 'hasIdentifier' | 'inBlock' | 'hasRecord' | 'changed';

export class ImportFiles {
  private last = 0;
  private lockedAt: string | undefined;
  private rules: { version: string; text: string } | undefined;
  /** Every identifier key written, and whether it is shared. */
  private readonly identifiers = new Map<string, boolean>();
  private readonly blocks = new Set<string>();
  private readonly review = new Map<string, ReturnType<typeof reviewItemRows>[number]>();
  private readonly sources = new Map<string, SourceState>();
  private finished: ImportFilesSummary | undefined;

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
    const start = ([name, , header]: readonly [string, string, readonly string[]]) =>
      CsvFile.create(join(folder, name), name, header);
    const files: Record<Streamed, CsvFile> = {
      records: start(NODES.records),
      profiles: start(NODES.profiles),
      events: start(NODES.events),
      hasIdentifier: start(RELATIONSHIPS.hasIdentifier),
      inBlock: start(RELATIONSHIPS.inBlock),
      hasRecord: start(RELATIONSHIPS.hasRecord),
      changed: start(RELATIONSHIPS.changed),
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
    const { files } = this;
    const commit = change.commit;
    for (const row of recordRows(change.upserts)) {
      files.records.row([row.ref, row.source, row.recordId, row.ts, row.data]);
      for (const id of row.ids) {
        if (!this.identifiers.has(id.key)) this.identifiers.set(id.key, false);
        files.hasIdentifier.row([row.ref, id.key, commit, row.n]);
      }
      for (const key of row.blocks) {
        this.blocks.add(key);
        files.inBlock.row([row.ref, key, commit, row.n]);
      }
    }
    for (const row of profileRows(change.profiles)) {
      files.profiles.row([row.id, row.seq, false, row.edges, row.records.length, commit]);
      for (const [i, ref] of row.records.entries()) files.hasRecord.row([row.id, ref, i]);
    }
    for (const { identifier, shared } of change.shared) this.identifiers.set(identifier, shared);
    for (const row of reviewItemRows(change.review?.upserts ?? [])) this.review.set(row.id, row);
    for (const row of eventRows(change.events)) {
      files.events.row([row.id, commit, row.n, row.kind, row.at, row.actor, row.rule, row.data]);
      for (const profile of row.profiles) files.changed.row([row.id, profile]);
    }
    this.last = commit;
    this.lockedAt = change.at;
    if (change.rules) this.rules = change.rules;
  }

  /** A load cut short: the files go, so none is taken for a complete import. */
  async abandon(): Promise<void> {
    if (this.finished) return;
    for (const file of Object.values(this.files)) file.close();
    for (const file of Object.values(this.files)) await rm(join(this.folder, file.name), { force: true });
  }

  /** Writes the nodes kept to the end and the importer's arguments; the files are then complete. */
  async finish(): Promise<ImportFilesSummary> {
    if (this.finished) return this.finished;
    const { folder } = this;
    const make = ([name, , header]: readonly [string, string, readonly string[]]) =>
      CsvFile.create(join(folder, name), name, header);
    const identifiers = make(NODES.identifiers);
    for (const [key, shared] of this.identifiers) {
      const { type, matchKey } = identifierRow(key);
      identifiers.row([key, type, matchKey, shared]);
    }
    const blocks = make(NODES.blocks);
    for (const key of this.blocks) blocks.row([key]);
    const review = make(NODES.review);
    for (const row of this.review.values()) {
      review.row([row.id, row.a, row.b, row.status, row.kind, row.rule, row.createdCommit, row.data]);
    }
    const meta = make(NODES.meta);
    if (this.last > 0) {
      meta.row(['meta', this.last, this.lockedAt ?? null, this.rules?.version ?? null, this.rules?.text ?? null]);
    }
    const sources = make(NODES.sources);
    for (const state of this.sources.values()) {
      sources.row([state.source, state.origin, state.column, state.watermark, state.at]);
    }
    const nodeFiles: [CsvFile, string][] = [
      [this.files.records, NODES.records[1]],
      [identifiers, NODES.identifiers[1]],
      [blocks, NODES.blocks[1]],
      [this.files.profiles, NODES.profiles[1]],
      [this.files.events, NODES.events[1]],
      [review, NODES.review[1]],
      [meta, NODES.meta[1]],
      [sources, NODES.sources[1]],
    ];
    const relationshipFiles: [CsvFile, string][] = [
      [this.files.hasIdentifier, RELATIONSHIPS.hasIdentifier[1]],
      [this.files.inBlock, RELATIONSHIPS.inBlock[1]],
      [this.files.hasRecord, RELATIONSHIPS.hasRecord[1]],
      [this.files.changed, RELATIONSHIPS.changed[1]],
    ];
    const all = [...nodeFiles, ...relationshipFiles].map(([file]) => file);
    for (const file of all) file.close();
    await writeFile(join(folder, IMPORT_ARGS), importArgs(nodeFiles, relationshipFiles), { flag: 'wx' });
    this.finished = {
      commits: this.last,
      nodes: nodeFiles.reduce((sum, [file]) => sum + file.rows, 0),
      relationships: relationshipFiles.reduce((sum, [file]) => sum + file.rows, 0),
    };
    return this.finished;
  }
}

/**
 * The arguments of `neo4j-admin database import full`, one a line: each file with its label or
 * type, and the files whose texts hold line breaks (read more slowly, so only those).
 */
function importArgs(nodes: readonly [CsvFile, string][], relationships: readonly [CsvFile, string][]): string {
  const lines = [
    ...nodes.map(([file, label]) => `--nodes=${label}=${file.name}`),
    ...relationships.map(([file, type]) => `--relationships=${type}=${file.name}`),
  ];
  const multiline = [...nodes, ...relationships].filter(([file]) => file.multiline).map(([file]) => file.name);
  if (multiline.length > 0) lines.push('--multiline-fields-format=v2', `--multiline-fields=${multiline.join(',')}`);
  return `${lines.join('\n')}\n`;
}
