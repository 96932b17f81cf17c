/**
 * The golden record: one value per attribute for a profile, chosen by a documented survivorship
 * strategy, plus every identifier with the records that carry it.
 *   most_recent      the value of the most recent record that has one (record time, then reference);
 *   source_priority  the value from the highest-priority source, most recent within it;
 *   most_frequent    the value most records agree on, most recent on ties.
 */
import type { PreparedRecord } from '../resolve/types.js';
import type { RulesFile } from '../rules/schema.js';

export interface GoldenAttribute {
  readonly value: string;
  /** The record the value was taken from. */
  readonly from: string;
  /** How many of the profile's records hold this value (after normalization). */
  readonly agreeing: number;
  readonly alternatives: number;
}

export interface GoldenIdentifier {
  readonly type: string;
  readonly value: string;
  readonly records: readonly string[];
}

export interface GoldenRecord {
  readonly attributes: Readonly<Record<string, GoldenAttribute>>;
  readonly identifiers: readonly GoldenIdentifier[];
}

export function goldenRecord(records: readonly PreparedRecord[], rules: RulesFile): GoldenRecord {
  const strategy = rules.survivorship.strategy;
  const priorityOf = (record: PreparedRecord) => rules.sources[record.source]?.priority ?? 0;
  const newestFirst = [...records].sort((a, b) => b.ts - a.ts || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const ordered =
    strategy === 'source_priority' ? [...newestFirst].sort((a, b) => priorityOf(b) - priorityOf(a)) : newestFirst;

  const attributes: Record<string, GoldenAttribute> = {};
  for (const name of Object.keys(rules.attributes)) {
    const holders = ordered.filter((record) => record.attributes[name]);
    if (holders.length === 0) continue;
    const counts = new Map<string, number>();
    for (const record of holders) {
      const key = record.attributes[name]?.key as string;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let chosen = holders[0] as PreparedRecord;
    if (strategy === 'most_frequent') {
      const best = Math.max(...counts.values());
      chosen = holders.find((record) => counts.get(record.attributes[name]?.key as string) === best) ?? chosen;
    }
    const attribute = chosen.attributes[name] as { key: string; value: string };
    attributes[name] = {
      value: attribute.value,
      from: chosen.ref,
      agreeing: counts.get(attribute.key) ?? 1,
      alternatives: counts.size - 1,
    };
  }

  const identifiers = new Map<string, { type: string; value: string; records: string[] }>();
  for (const record of newestFirst) {
    for (const identifier of record.identifiers) {
      const id = `${identifier.type}\u0001${identifier.key}`;
      const known = identifiers.get(id);
      if (known) known.records.push(record.ref);
      else identifiers.set(id, { type: identifier.type, value: identifier.value, records: [record.ref] });
    }
  }
  const sortedIdentifiers = [...identifiers.values()]
    .map((identifier) => ({ ...identifier, records: identifier.records.sort() }))
    .sort((a, b) => (a.type + a.value < b.type + b.value ? -1 : 1));
  return { attributes, identifiers: sortedIdentifiers };
}
