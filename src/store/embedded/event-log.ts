/**
 * History events, one JSON line each, appended by the embedded store. The write-ahead log records
 * where each commit's events are and how long the file was after them, so a torn tail (events
 * written by a commit that never made it into the log) is cut at start-up.
 */
import { type FileHandle, open, truncate } from 'node:fs/promises';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { LoggedEvent } from './log-entry.js';

export class EventLog {
  private constructor(
    private readonly handle: FileHandle,
    private size: number,
  ) {}

  /** Opens the file and cuts it to `validEnd`, the end recorded by the last intact commit. */
  static async open(path: string, validEnd: number): Promise<EventLog> {
    await truncate(path, validEnd).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const handle = await open(path, 'a+');
    const { size } = await handle.stat();
    return new EventLog(handle, size);
  }

  /** Appends events durably; returns where each one is. */
  async append(events: readonly ProfileEvent[]): Promise<{ located: LoggedEvent[]; end: number }> {
    if (events.length === 0) return { located: [], end: this.size };
    const located: LoggedEvent[] = [];
    const lines: string[] = [];
    let offset = this.size;
    for (const event of events) {
      const line = `${JSON.stringify(event)}\n`;
      const length = Buffer.byteLength(line);
      located.push({ offset, length, profiles: [...new Set([...event.before, ...event.after])] });
      lines.push(line);
      offset += length;
    }
    await this.handle.write(lines.join(''));
    await this.handle.datasync();
    this.size = offset;
    return { located, end: offset };
  }

  async read(location: { offset: number; length: number }): Promise<ProfileEvent> {
    const buffer = Buffer.alloc(location.length);
    await this.handle.read(buffer, 0, location.length, location.offset);
    return JSON.parse(buffer.toString('utf8')) as ProfileEvent;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
