/**
 * Rows that could not be ingested, one JSON line each: where (file and line), why (a reason code,
 * the field when one is at fault), never the row's content, which is personal data; the line number
 * finds it in the input.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface Rejection {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  readonly field?: string;
  readonly detail?: string;
}

export class RejectFile {
  private stream: WriteStream | undefined;
  count = 0;

  constructor(readonly path: string) {}

  async write(rejection: Rejection): Promise<void> {
    if (!this.stream) this.stream = createWriteStream(this.path, { flags: 'w', mode: 0o600 });
    this.count++;
    if (!this.stream.write(`${JSON.stringify(rejection)}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
