/**
 * NDJSON lines made ready for the bulk path: parsed, then prepared (engine/prepare/prepare-batch.ts). A
 * line that is not a JSON object is rejected with its reason, as reading rows would have; rejected
 * rows come out in line order, whichever step refused them.
 */
import { isUtf8 } from 'node:buffer';
import type { PackedRecord } from '../codec/packed-record.js';
import { type PreparedBatch, prepareBatch } from '../engine/prepare/prepare-batch.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import { linesOfBuffer, withoutBom } from './byte-lines.js';
import type { LineChunk } from './read-chunks.js';
import { parseNdjsonLine } from './read-rows.js';

/** A chunk of a file prepared: like a PreparedBatch, with rejected rows named by their line. */
export interface PreparedChunk {
  readonly packed: PackedRecord[];
  readonly rejected: {
    readonly line: number;
    readonly reason: string;
    readonly field?: string;
    readonly detail?: string;
  }[];
  readonly refusedByReason: Record<string, number>;
  /** The chunk's rows: its lines that are not blank. */
  readonly rows: number;
}

/** Decodes a chunk of whole lines (read-chunks.ts), numbers them as readline would, and prepares them. */
export function prepareChunk(rules: LoadedRules, source: string, chunk: LineChunk, today: string): PreparedChunk {
  const { texts, lines, notUtf8 } = chunkLines(chunk);
  const prepared = prepareLines(rules, source, texts, today);
  const rejected: PreparedChunk['rejected'] = prepared.rejected.map(({ index, ...rejection }) => ({
    ...rejection,
    line: lines[index] as number,
  }));
  if (notUtf8.length > 0) {
    for (const line of notUtf8) rejected.push({ line, reason: 'UTF8_INVALID', detail: 'the line is not valid UTF-8' });
    rejected.sort((a, b) => a.line - b.line);
  }
  return {
    packed: prepared.packed,
    rejected,
    refusedByReason: prepared.refusedByReason,
    rows: texts.length + notUtf8.length,
  };
}

/**
 * A chunk's lines that are not blank, with their numbers: the lines reading rows (read-rows.ts)
 * gives for the same bytes, line breaks and a leading byte-order mark counted the way readline
 * does; lines that are not valid UTF-8 apart, by number.
 */
export function chunkLines(chunk: LineChunk): { texts: string[]; lines: number[]; notUtf8: number[] } {
  const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
  const texts: string[] = [];
  const lines: number[] = [];
  const notUtf8: number[] = [];
  const take = (text: string, index: number) => {
    if (text.trim() === '') return;
    texts.push(text);
    lines.push(chunk.firstLine + index);
  };
  if (isUtf8(bytes)) {
    // The common case, decoded at once.
    let text = bytes.toString('utf8');
    if (chunk.firstLine === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const split = text.split(/\r\n|\r|\n/);
    // A chunk ends with a line break (but at the end of a file): nothing follows the last one.
    if (split.at(-1) === '') split.pop();
    split.forEach(take);
    return { texts, lines, notUtf8 };
  }
  linesOfBuffer(bytes).forEach((line, index) => {
    const own = chunk.firstLine + index === 1 ? withoutBom(line) : line;
    if (isUtf8(own)) take(own.toString('utf8'), index);
    else notUtf8.push(chunk.firstLine + index);
  });
  return { texts, lines, notUtf8 };
}

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
