/**
 * Resolving one component of a first load (bulk-load.ts) with the same pure function as incremental
 * ingest, plus what writing it needs: the values found shared and each record's blocking keys. Runs
 * in the main thread or in worker threads (component-pool.ts); both give the same answer.
 */
import { blockingKeys } from '../core/resolve/blocking.js';
import type { CompiledRules } from '../core/resolve/compiled-rules.js';
import { resolveRecords } from '../core/resolve/resolve-records.js';
import type { MergeEdge, PreparedRecord, RecordRef } from '../core/resolve/types.js';
import { type PackedRecord, unpackRecord } from './packed-record.js';

export interface ResolvedComponent {
  readonly clusters: RecordRef[][];
  readonly edges: MergeEdge[];
  /** Values resolution found shared (held by too many people to be evidence). */
  readonly shared: string[];
  /** Each record's blocking keys, in the order the records were given. */
  readonly blockKeys: string[][];
}

export function resolveComponent(
  members: readonly PreparedRecord[],
  rules: CompiledRules,
  hubs: ReadonlySet<string>,
): ResolvedComponent {
  const resolved = resolveRecords({ records: members, rules, decisions: [], isHub: (key) => hubs.has(key) });
  const fuzzy = rules.rules.filter((rule) => rule.kind === 'fuzzy');
  const shared: string[] = [];
  for (const [identifier, isShared] of resolved.shared) if (isShared) shared.push(identifier);
  return {
    clusters: resolved.clusters,
    edges: resolved.edges,
    shared,
    // Resolving computed (and cached) these for the records it compared.
    blockKeys: members.map((record) => fuzzy.flatMap((rule) => blockingKeys(record, rule))),
  };
}

/** Consecutive components: their records in order, and how many records each component has. */
export interface ComponentRun {
  readonly records: readonly Pick<PackedRecord, 'ref' | 'encoded'>[];
  readonly sizes: readonly number[];
}

export function resolveComponentRun(
  run: ComponentRun,
  rules: CompiledRules,
  hubs: ReadonlySet<string>,
): ResolvedComponent[] {
  const resolved: ResolvedComponent[] = [];
  let start = 0;
  for (const size of run.sizes) {
    const members = run.records.slice(start, start + size).map(unpackRecord);
    resolved.push(resolveComponent(members, rules, hubs));
    start += size;
  }
  return resolved;
}
