/**
 * Packed records as columns: how they cross from the threads that prepare them to the thread that
 * gathers them. Cloning a few arrays of strings and numbers costs about half what cloning an object
 * with two arrays per record does, and reading them back (records rebuilt included) a third.
 */
import type { PackedRecord } from './packed-record.js';

export interface PackedColumns {
  readonly refs: string[];
  readonly encoded: string[];
  /** Every record's identifier keys, one record after the other; keyCounts says how many each has. */
  readonly identifierKeys: string[];
  readonly keyCounts: Int32Array;
  /** Every record's block hashes, one record after the other; hashCounts says how many each has. */
  readonly blockHashes: Int32Array;
  readonly hashCounts: Int32Array;
  /** Every record's term keys, as identifierKeys; absent when no record has any (rules without term_frequency). */
  readonly termKeys?: { readonly keys: string[]; readonly counts: Int32Array };
}

export function toColumns(records: readonly PackedRecord[]): PackedColumns {
  const identifierKeys: string[] = [];
  const blockHashes: number[] = [];
  const keyCounts = new Int32Array(records.length);
  const hashCounts = new Int32Array(records.length);
  records.forEach((record, index) => {
    for (const key of record.identifierKeys) identifierKeys.push(key);
    for (const hash of record.blockHashes) blockHashes.push(hash);
    keyCounts[index] = record.identifierKeys.length;
    hashCounts[index] = record.blockHashes.length;
  });
  const columns = {
    refs: records.map((record) => record.ref),
    encoded: records.map((record) => record.encoded),
    identifierKeys,
    keyCounts,
    blockHashes: Int32Array.from(blockHashes),
    hashCounts,
  };
  if (!records.some((record) => record.termKeys !== undefined)) return columns;
  const keys: string[] = [];
  const counts = new Int32Array(records.length);
  records.forEach((record, index) => {
    for (const key of record.termKeys ?? []) keys.push(key);
    counts[index] = record.termKeys?.length ?? 0;
  });
  return { ...columns, termKeys: { keys, counts } };
}

export function fromColumns(columns: PackedColumns): PackedRecord[] {
  const records: PackedRecord[] = new Array(columns.refs.length);
  let key = 0;
  let hash = 0;
  let term = 0;
  const { termKeys } = columns;
  for (let index = 0; index < records.length; index++) {
    const keyEnd = key + (columns.keyCounts[index] as number);
    const hashEnd = hash + (columns.hashCounts[index] as number);
    const blockHashes: number[] = [];
    for (; hash < hashEnd; hash++) blockHashes.push(columns.blockHashes[hash] as number);
    records[index] = {
      ref: columns.refs[index] as string,
      encoded: columns.encoded[index] as string,
      identifierKeys: columns.identifierKeys.slice(key, keyEnd),
      blockHashes,
    };
    if (termKeys) {
      const termEnd = term + (termKeys.counts[index] as number);
      records[index] = { ...(records[index] as PackedRecord), termKeys: termKeys.keys.slice(term, termEnd) };
      term = termEnd;
    }
    key = keyEnd;
  }
  return records;
}
