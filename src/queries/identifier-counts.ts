/**
 * How many distinct identifier values the graph holds, per type: the third headline figure of the
 * overview beside records and profiles. Counted over matching keys, so two spellings of one gmail
 * address count once, as the resolver sees them.
 */
import { identifierKey } from '../core/resolve/types.js';
import type { GraphReads } from '../store/graph-store.js';

export interface IdentifierCounts {
  readonly identifiers: number;
  readonly byType: Readonly<Record<string, number>>;
}

export async function identifierCounts(store: GraphReads): Promise<IdentifierCounts> {
  const seen = new Set<string>();
  const byType: Record<string, number> = {};
  for await (const record of store.records()) {
    for (const identifier of record.identifiers) {
      const key = identifierKey(identifier.type, identifier.key);
      if (seen.has(key)) continue;
      seen.add(key);
      byType[identifier.type] = (byType[identifier.type] ?? 0) + 1;
    }
  }
  return { identifiers: seen.size, byType };
}
