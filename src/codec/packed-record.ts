/**
 * A prepared record as the bulk path holds it from reading to resolving: its compact encoding
 * (codec/record-codec.ts) with the identifier keys and blocking-key hashes that finding
 * components needs. A million prepared records as object trees are some thirty million heap
 * objects, which every full garbage collection traces while the store's indexes grow beside them;
 * packed, each is a string and two small arrays. A record is unpacked when its component resolves.
 */
import { blockHash } from '../core/resolve/block-hash.js';
import { computeBlockingKeys } from '../core/resolve/blocking.js';
import type { CompiledRules } from '../core/resolve/compiled-rules.js';
import { termKeysOf } from '../core/resolve/term-frequencies.js';
import { identifierKey, type PreparedRecord, type RecordRef } from '../core/resolve/types.js';
import { decodeRecord, encodeRecord } from './record-codec.js';

export interface PackedRecord {
  readonly ref: RecordRef;
  readonly encoded: string;
  /** identifierKey of each identifier. */
  readonly identifierKeys: readonly string[];
  /** blockHash of every blocking key under every fuzzy rule (the keys name their rule). */
  readonly blockHashes: readonly number[];
  /**
   * termKey of each value of the fields the rules weigh by term frequency, which the bulk path counts
   * before matching; absent when the rules weigh none.
   */
  readonly termKeys?: readonly string[];
}

export function packRecord(record: PreparedRecord, rules: CompiledRules): PackedRecord {
  const blockHashes: number[] = [];
  for (const rule of rules.rules) {
    if (rule.kind !== 'fuzzy') continue;
    for (const key of computeBlockingKeys(record, rule)) blockHashes.push(blockHash(key));
  }
  const packed = {
    ref: record.ref,
    encoded: encodeRecord(record),
    identifierKeys: record.identifiers.map((identifier) => identifierKey(identifier.type, identifier.key)),
    blockHashes,
  };
  if (rules.termFrequencyFields.length === 0) return packed;
  return { ...packed, termKeys: termKeysOf(record, rules.termFrequencyFields) };
}

export function unpackRecord(packed: Pick<PackedRecord, 'ref' | 'encoded'>): PreparedRecord {
  return decodeRecord(packed.ref, packed.encoded);
}
