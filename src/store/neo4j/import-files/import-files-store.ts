/**
 * `idgraph load --import-files DIR`: the engine's store, when the first load goes into import files
 * for Neo4j's offline importer rather than into a database. Until the first commit it reads as the
 * empty graph it is (so the load takes the bulk path, and the usual checks pass); commits are the
 * bulk path's, written as files (import-files.ts); watermarks go into the files too. Reads after
 * the first commit are refused: the graph is in the files, read it once it is imported. `finish`
 * completes the files once the load succeeded; closing without it removes them (a load cut short
 * must not leave files that look importable).
 */
import type { AudienceMember } from '../../../core/audience/members.js';
import type { EventCount } from '../../../core/resolve/event-counts.js';
import type { PreparedRecord, RecordRef } from '../../../core/resolve/types.js';
import type {
  ChangeSet,
  DecisionEntry,
  GraphStore,
  IdentifierHolding,
  ProfileLookup,
  ReachedProfiles,
  ScopeRound,
  SourceState,
  StoredProfile,
} from '../../graph-store.js';
import { StoreError } from '../../store-error.js';
import { ImportFiles, type ImportFilesSummary } from './import-files.js';

export class ImportFilesStore implements GraphStore {
  /** One `idgraph load` writes the files. */
  readonly oneWriter = true;
  private summary: ImportFilesSummary | undefined;

  private constructor(private readonly files: ImportFiles) {}

  static async create(folder: string): Promise<ImportFilesStore> {
    return new ImportFilesStore(await ImportFiles.create(folder));
  }

  get folder(): string {
    return this.files.folder;
  }

  /** What was written, once finished. */
  get written(): ImportFilesSummary | undefined {
    return this.summary;
  }

  /** Completes the files and the importer's arguments: call once the load succeeded. */
  async finish(): Promise<ImportFilesSummary> {
    this.summary = await this.files.finish();
    return this.summary;
  }

  async lastCommit(): Promise<number> {
    return this.files.lastCommit();
  }

  commit(change: ChangeSet): Promise<void> {
    return this.files.commit(change);
  }

  /** Files written by one load: no other writer to take turns with. */
  async claimTurn(): Promise<boolean> {
    return true;
  }

  async releaseTurn(): Promise<void> {}

  async sourceState(source: string): Promise<SourceState | undefined> {
    return this.files.sourceState(source);
  }

  async rememberSourceState(state: SourceState): Promise<void> {
    this.files.rememberSourceState(state);
  }

  async close(): Promise<void> {
    if (!this.summary) await this.files.abandon();
  }

  /** An answer of the empty graph, given only while the graph is empty. */
  private async empty<T>(answer: T): Promise<T> {
    if (this.files.lastCommit() > 0) {
      throw new StoreError(
        'STORE_IMPORT_ONLY',
        `the graph is being written into import files in ${this.files.folder}: read it once they are imported`,
      );
    }
    return answer;
  }

  /** Audiences are written once the graph is imported and served: the files hold the records only. */
  private refuse(): never {
    throw new StoreError(
      'STORE_IMPORT_ONLY',
      `import files in ${this.files.folder} take a first load only: write audiences once they are imported`,
    );
  }

  /** A listing of the empty graph: nothing, while the graph is empty. */
  private async *none<T>(): AsyncGenerator<T> {
    yield* await this.empty<T[]>([]);
  }

  getRecords = () => this.empty(new Map<RecordRef, PreparedRecord>());
  getEncodedRecords = () => this.empty(new Map<RecordRef, string>());
  holdersOf = () => this.empty(new Map<string, RecordRef[]>());
  profilesHolding = () => this.empty(new Map<string, string[]>());
  profileIdsOf = () => this.empty(new Map<RecordRef, string>());
  getProfiles = () => this.empty(new Map<string, StoredProfile>());
  profileRecords = () => this.empty(new Map<string, readonly RecordRef[]>());
  sharedIdentifiers = () => this.empty(new Set<string>());
  decisionsFor = () => this.empty<DecisionEntry[]>([]);
  sharedCount = () => this.empty(0);
  reviewItems = () => this.empty({ items: [], total: 0 });
  reviewItemsById = () => this.empty(new Map());
  reviewItemsOf = () => this.empty([]);
  currentRules = () => this.empty(undefined);
  findProfile = () => this.empty<ProfileLookup | undefined>(undefined);
  currentProfileIds = () => this.empty(new Map<string, string>());
  eventsOf = () => this.empty([]);
  event = () => this.empty(undefined);
  allEvents = () => this.none<never>();
  eventCounts = () => this.empty<EventCount[]>([]);
  profiles = () => this.none<StoredProfile>();
  profilesChangedSince = () => this.empty<string[]>([]);
  records = () => this.none<PreparedRecord>();
  blockMembers = () => this.empty(new Map<string, RecordRef[]>());
  identifierHolders = () => this.empty(new Map<string, IdentifierHolding>());
  reachRecords = () => this.empty<ReachedProfiles>({ profileOf: new Map(), profiles: new Map() });
  scopeRound = () =>
    this.empty<ScopeRound>({
      holding: new Map(),
      members: new Map(),
      records: new Map(),
      reached: { profileOf: new Map(), profiles: new Map() },
    });
  existingProfileIds = () => this.empty(new Set<string>());

  // One process writes the files: there is no other process's write to wait for.
  position = async () => '';
  lastCommitAfter = async () => this.files.lastCommit();

  // Audience reads answer as the other reads do: the empty graph's answer, then a refusal.
  audience = () => this.empty(undefined);
  audiences = () => this.empty([]);
  segment = () => this.empty(undefined);
  segments = () => this.empty([]);
  audienceMembers = () => this.none<AudienceMember[]>();
  putAudience = async (): Promise<boolean> => this.refuse();
  dropAudienceRows = async (): Promise<number> => this.refuse();
  removeAudience = async (): Promise<boolean> => this.refuse();
  putSegment = async (): Promise<void> => this.refuse();
}
