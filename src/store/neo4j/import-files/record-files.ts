/**
 * The record side of the import files: records, their identifier and block links, and the
 * identifier and block nodes. It runs on a thread of its own (record-files-worker.ts) beside the
 * main thread's profiles and events: a record's rows are most of a first load's writing (decoding,
 * blocking keys, the CSV text), and the main thread is busy assembling the next commit.
 *
 * A bulk-path record comes as its reference and compact encoding only: its row is derived here as
 * the bulk path's StagedPackedRecord derives it (decoded, with every fuzzy rule's blocking keys under
 * the load's rules, which the first commit carries), so the main thread never decodes it. A record
 * that comes with its blocking keys (any other caller, or a load without rules) is written with those.
 * Identifier and block nodes are numbered as first linked and written at the end: a later commit
 * may mark an identifier shared.
 */
import { decodeRecord } from '../../../codec/record-codec.js';
import { computeBlockingKeys, fuzzyRulesOf, recordBlockingKeys } from '../../../core/resolve/blocking.js';
import { type CompiledFuzzyRule, compileRules } from '../../../core/resolve/compiled-rules.js';
import type { PreparedRecord, RecordRef } from '../../../core/resolve/types.js';
import { loadRules } from '../../../core/rules/load.js';
import { identifierRow } from '../cypher/identifiers.js';
import { identifierKeysOf } from '../cypher/records.js';
import type { CsvFile } from './csv-file.js';
import { type FileSpec, finished, NODES, numberOf, RELATIONSHIPS, start, type WrittenFile } from './file-specs.js';

/** One record: its node number, reference and encoding, and its blocking keys unless they are to be derived. */
export type RecordEntry =
  | readonly [number: number, ref: RecordRef, encoded: string]
  | readonly [number: number, ref: RecordRef, encoded: string, blockKeys: readonly string[]];

/** A commit's records, in order, and the identifiers it marked shared or not. */
export interface RecordBatch {
  readonly commit: number;
  readonly records: readonly RecordEntry[];
  readonly shared: readonly (readonly [identifier: string, shared: boolean])[];
}

export class RecordFiles {
  private readonly identifiers = new Map<string, number>();
  private readonly blocks = new Map<string, number>();
  /** Identifiers a commit marked shared or not shared, the last word kept; the others are not shared. */
  private readonly shared = new Map<string, boolean>();
  private readonly records: CsvFile;
  private readonly hasIdentifier: CsvFile;
  private readonly inBlock: CsvFile;
  /** The load's fuzzy rules, to derive blocking keys under (none: every record comes with its keys). */
  private readonly fuzzyRules: readonly CompiledFuzzyRule[] | undefined;

  /** Starts the files in `folder`; `rulesText`, when given, is what blocking keys are derived under. */
  constructor(
    private readonly folder: string,
    rulesText: string | undefined,
  ) {
    this.fuzzyRules = rulesText === undefined ? undefined : fuzzyRulesIn(rulesText);
    this.records = start(folder, NODES.records);
    this.hasIdentifier = start(folder, RELATIONSHIPS.hasIdentifier);
    this.inBlock = start(folder, RELATIONSHIPS.inBlock);
  }

  add({ commit, records, shared }: RecordBatch): void {
    // The Bolt path's record rows (cypher/records.ts), written field by field: the row object, its
    // Cypher integers and the identifiers' split keys would be made and dropped for every record.
    for (let n = 0; n < records.length; n++) {
      const [number, ref, encoded, given] = records[n] as RecordEntry;
      const record = decodeRecord(ref, encoded);
      this.records.row([number, ref, record.source, record.recordId, record.ts, encoded]);
      for (const key of identifierKeysOf(record)) {
        this.hasIdentifier.row([number, numberOf(this.identifiers, key), commit, n]);
      }
      for (const key of new Set(given ?? this.derivedBlockKeys(record))) {
        this.inBlock.row([number, numberOf(this.blocks, key), commit, n]);
      }
    }
    for (const [identifier, isShared] of shared) {
      numberOf(this.identifiers, identifier);
      this.shared.set(identifier, isShared);
    }
  }

  /** Writes the identifier and block nodes and closes every file. */
  finish(): WrittenFile[] {
    const identifiers = start(this.folder, NODES.identifiers);
    for (const [key, number] of this.identifiers) {
      const { type, matchKey } = identifierRow(key);
      identifiers.row([number, key, type, matchKey, this.shared.get(key) ?? false]);
    }
    const blocks = start(this.folder, NODES.blocks);
    for (const [key, number] of this.blocks) blocks.row([number, key]);
    const files: [CsvFile, FileSpec][] = [
      [this.records, NODES.records],
      [identifiers, NODES.identifiers],
      [blocks, NODES.blocks],
      [this.hasIdentifier, RELATIONSHIPS.hasIdentifier],
      [this.inBlock, RELATIONSHIPS.inBlock],
    ];
    return files.map(([file, spec]) => finished(file, spec));
  }

  /** A load cut short: the files are closed (the caller removes them). */
  abandon(): void {
    for (const file of [this.records, this.hasIdentifier, this.inBlock]) file.close();
  }

  private derivedBlockKeys(record: PreparedRecord): string[] {
    if (!this.fuzzyRules) throw new Error('a record came without blocking keys, and no rules to derive them');
    return recordBlockingKeys(record, this.fuzzyRules, computeBlockingKeys);
  }
}

/** The files this side writes, by name (the main thread removes them when a load is cut short). */
export const RECORD_FILE_NAMES: readonly string[] = [
  NODES.records[0],
  NODES.identifiers[0],
  NODES.blocks[0],
  RELATIONSHIPS.hasIdentifier[0],
  RELATIONSHIPS.inBlock[0],
];

/** The fuzzy rules of rules text the main thread loaded already: a problem here is a bug. */
function fuzzyRulesIn(text: string): CompiledFuzzyRule[] {
  const loaded = loadRules(text);
  if (!loaded.ok) throw new Error('the rules of the load no longer load');
  return fuzzyRulesOf(compileRules(loaded.rules));
}
