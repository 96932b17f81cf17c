/**
 * History events, one JSON line each, appended by the embedded store. The write-ahead log records
 * where each commit's events are and how long the file was after them, so a torn tail (events
 * written by a commit that never made it into the log) is cut at start-up.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open, rm, truncate } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { WithJson } from '../graph-store.js';
import type { LoggedEvent } from './log-entry.js';
import { replaceFile } from './replace-file.js';
import { appendOrCutBack, cutBack, encodeJoined } from './write-ahead-log.js';

/** Rewritten lines are gathered into writes of about this size. */
const WRITE_CHUNK_CHARS = 4 * 1024 * 1024;

export class EventLog {
  private constructor(
    private handle: FileHandle,
    private readonly path: string,
    private size: number,
  ) {}

  /** Opens the file and cuts it to `validEnd`, the end recorded by the last intact commit. */
  static async open(path: string, validEnd: number): Promise<EventLog> {
    await rm(`${path}.rewrite`, { force: true });
    await truncate(path, validEnd).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const handle = await open(path, 'a+');
    const { size } = await handle.stat();
    return new EventLog(handle, path, size);
  }

  /** Opens the file for reading the events of commits up to `validEnd`; nothing is cut or written. */
  static async openForReading(path: string, validEnd: number): Promise<EventLog> {
    return new EventLog(await open(path, 'r'), path, validEnd);
  }

  /** Bytes of the file: where the next event goes. */
  get end(): number {
    return this.size;
  }

  /** Appends events durably; returns where each one is. */
  async append(events: readonly (ProfileEvent & WithJson)[]): Promise<{ located: LoggedEvent[]; end: number }> {
    if (events.length === 0) return { located: [], end: this.size };
    const located: LoggedEvent[] = [];
    const lines: string[] = [];
    let offset = this.size;
    for (const event of events) {
      const line = `${event.json ?? JSON.stringify(event)}\n`;
      const length = Buffer.byteLength(line);
      located.push({ offset, length, profiles: profilesOf(event) });
      lines.push(line);
      offset += length;
    }
    await appendOrCutBack(this.handle, this.size, encodeJoined(lines, ''));
    this.size = offset;
    return { located, end: offset };
  }

  /** Drops the events after `end` (appended for a commit whose log entry then failed). */
  async cutTo(end: number): Promise<void> {
    await cutBack(this.handle, end);
    this.size = end;
  }

  async read(location: { offset: number; length: number }): Promise<ProfileEvent> {
    const buffer = Buffer.alloc(location.length);
    await this.handle.read(buffer, 0, location.length, location.offset);
    return JSON.parse(buffer.toString('utf8')) as ProfileEvent;
  }

  /** Every event, oldest first, up to the end of the last commit at the time of the call. */
  /** The events from a byte offset (a line's start) to the end, in the order written. */
  async *all(fromOffset = 0): AsyncIterable<ProfileEvent> {
    if (this.size <= fromOffset) return;
    // A rewrite renames a new file over this one; the stream keeps reading the file it opened.
    const lines = createInterface({
      input: createReadStream(this.path, { encoding: 'utf8', start: fromOffset, end: this.size - 1 }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as ProfileEvent;
  }

  /**
   * Rewrites past events (erasure: see core/resolve/erasure.ts). The log entries point at events
   * by offset and length, so a changed event keeps its place: it is written in the same number of
   * bytes, padded with spaces (which JSON ignores). Redaction only removes content, so it fits.
   * The new file is written beside the old one, flushed and renamed over it. Lines `mayChange`
   * rules out are copied without being parsed (most lines, when a few records are erased).
   */
  async rewrite(
    change: (event: ProfileEvent) => ProfileEvent | undefined,
    mayChange: (line: string) => boolean = () => true,
  ): Promise<number> {
    let changedCount = 0;
    await replaceFile(this.path, async (out) => {
      let pending = '';
      const lines = createInterface({
        input: createReadStream(this.path, 'utf8'),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      for await (const line of lines) {
        const changed = line.trim() === '' || !mayChange(line) ? undefined : change(JSON.parse(line) as ProfileEvent);
        if (changed === undefined) pending += `${line}\n`;
        else {
          const text = JSON.stringify(changed);
          const room = Buffer.byteLength(line) - Buffer.byteLength(text);
          if (room < 0) throw new Error(`a rewritten event is longer than the original (${changed.id})`);
          pending += `${text}${' '.repeat(room)}\n`;
          changedCount++;
        }
        if (pending.length >= WRITE_CHUNK_CHARS) {
          await out.write(pending);
          pending = '';
        }
      }
      await out.write(pending);
    });
    await this.handle.close();
    this.handle = await open(this.path, 'a+');
    return changedCount;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** The profiles an event concerns, each once: most events (a profile created) name one, after. */
function profilesOf(event: ProfileEvent): readonly string[] {
  if (event.before.length === 0 && event.after.length === 1) return event.after;
  return [...new Set([...event.before, ...event.after])];
}
