/**
 * NDJSON lines made ready for the bulk path: parsed, then prepared (engine/prepare-batch.ts). A
 * line that is not a JSON object is rejected with its reason, as reading rows would have; rejected
 * rows come out in line order, whichever step refused them.
 */
import type { LoadedRules } from '../engine/loaded-rules.js';
import { type PreparedBatch, prepareBatch } from '../engine/prepare-batch.js';
import { parseNdjsonLine } from './read-rows.js';

export function prepareLines(
  rules: LoadedRules,
  source: string,
  texts: readonly string[],
  /** YYYY-MM-DD, so dates of birth after it are refused. */
  today: string,
): PreparedBatch {
  const rows: Record<string, unknown>[] = [];
  const indexOfRow: number[] = [];
  const unreadable: PreparedBatch['rejected'][number][] = [];
  texts.forEach((text, index) => {
    // Rejections are told by index; the caller knows each index's line.
    const parsed = parseNdjsonLine(text, 0);
    if (parsed.ok) {
      rows.push(parsed.row);
      indexOfRow.push(index);
    } else unreadable.push({ index, reason: parsed.reason, detail: parsed.detail });
  });
  const prepared = prepareBatch(rules, source, rows, today);
  const notRecords = prepared.rejected.map((rejection) => ({
    ...rejection,
    index: indexOfRow[rejection.index] as number,
  }));
  return {
    ...prepared,
    rejected: [...unreadable, ...notRecords].sort((a, b) => a.index - b.index),
  };
}
