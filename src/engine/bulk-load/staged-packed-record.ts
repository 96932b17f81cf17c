/**
 * A packed record staged for a commit of the bulk path. The embedded store takes the packed form as
 * it is; the record and its blocking keys are decoded only if a store asks for them (Neo4j does), so
 * a first load into the embedded store never builds the million record objects it would only drop.
 */

import { type PackedRecord, unpackRecord } from '../../codec/packed-record.js';
import { recordBlockingKeys } from '../../core/resolve/blocking.js';
import type { CompiledFuzzyRule } from '../../core/resolve/compiled-rules.js';
import type { PreparedRecord } from '../../core/resolve/types.js';
import type { StagedRecord } from '../../store/graph-store.js';

export class StagedPackedRecord implements StagedRecord {
  private decoded: PreparedRecord | undefined;

  constructor(
    readonly packed: PackedRecord,
    private readonly fuzzyRules: readonly CompiledFuzzyRule[],
  ) {}

  get record(): PreparedRecord {
    this.decoded ??= unpackRecord(this.packed);
    return this.decoded;
  }

  get blockKeys(): string[] {
    return recordBlockingKeys(this.record, this.fuzzyRules);
  }
}
