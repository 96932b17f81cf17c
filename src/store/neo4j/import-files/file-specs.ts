/**
 * The import files: each one's name, the label or relationship type it holds, and its header; how
 * one is started and finished, and how nodes are numbered. Both writing threads use these.
 */
import { join } from 'node:path';
import { CsvFile } from './csv-file.js';

/**
 * Each file's name, label or type, and header (the importer's types: a bare column is a string).
 * Nodes that relationships name carry a number of their own (`:ID`, not stored as a property) beside
 * the text key the store reads them by: the importer maps numbers to nodes far more cheaply than
 * texts, and the relationship files shrink to numbers (see importArgs, `--id-type=integer`).
 */
export const NODES = {
  records: ['records.csv', 'Record', [':ID(Record)', 'ref', 'source', 'recordId', 'ts:long', 'data']],
  identifiers: ['identifiers.csv', 'Identifier', [':ID(Identifier)', 'key', 'type', 'matchKey', 'shared:boolean']],
  blocks: ['blocks.csv', 'Block', [':ID(Block)', 'key']],
  profiles: [
    'profiles.csv',
    'Profile',
    [':ID(Profile)', 'id', 'seq:long', 'retired:boolean', 'edges', 'size:long', 'changed:long'],
  ],
  events: ['events.csv', 'Event', [':ID(Event)', 'id', 'commit:long', 'n:long', 'kind', 'at', 'actor', 'rule', 'data']],
  review: ['review-items.csv', 'ReviewItem', ['id', 'a', 'b', 'status', 'kind', 'rule', 'createdCommit:long', 'data']],
  meta: ['meta.csv', 'Meta', ['id', 'lastCommit:long', 'lockedAt', 'rulesVersion', 'rulesText']],
  sources: ['source-states.csv', 'SourceState', ['source', 'origin', 'column', 'watermark', 'at']],
} as const;

export const RELATIONSHIPS = {
  hasIdentifier: [
    'has-identifier.csv',
    'HAS_IDENTIFIER',
    [':START_ID(Record)', ':END_ID(Identifier)', 'commit:long', 'n:long'],
  ],
  inBlock: ['in-block.csv', 'IN_BLOCK', [':START_ID(Record)', ':END_ID(Block)', 'commit:long', 'n:long']],
  hasRecord: ['has-record.csv', 'HAS_RECORD', [':START_ID(Profile)', ':END_ID(Record)', 'i:long']],
  changed: ['changed.csv', 'CHANGED', [':START_ID(Event)', ':END_ID(Profile)']],
} as const;

/** A file's name, label or type, and header, as in NODES and RELATIONSHIPS. */
export type FileSpec = readonly [name: string, labelOrType: string, header: readonly string[]];

/** A finished file as the importer's arguments name it. */
export interface WrittenFile {
  readonly name: string;
  readonly labelOrType: string;
  readonly rows: number;
  /** Whether a text holds a line break (the importer must then be told, see CsvFile). */
  readonly multiline: boolean;
}

/** A CSV file of the given spec in `folder`, its header written. */
export function start(folder: string, [name, , header]: FileSpec): CsvFile {
  return CsvFile.create(join(folder, name), name, header);
}

/** Closes a file and says what it holds, as the importer's arguments name it. */
export function finished(file: CsvFile, [, labelOrType]: FileSpec): WrittenFile {
  file.close();
  return { name: file.name, labelOrType, rows: file.rows, multiline: file.multiline };
}

/** The node number of a key, given the next one when the key is new. */
export function numberOf(numbers: Map<string, number>, key: string): number {
  let number = numbers.get(key);
  if (number === undefined) {
    number = numbers.size;
    numbers.set(key, number);
  }
  return number;
}
