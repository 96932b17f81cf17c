/**
 * Ingest progress: a line redrawn in place on a terminal, plain lines every few seconds otherwise
 * (so CI logs and pipes stay readable).
 */
import type { IngestProgress } from '../ingest/ingest-summary.js';

const PLAIN_INTERVAL_MS = 5000;
const TTY_INTERVAL_MS = 200;

export function createProgress(
  write: (text: string) => void,
  isTty: boolean,
  now: () => number = () => performance.now(),
  /** What is being done to the rows: `ingest`, or `read` when resolving comes after (idgraph load). */
  verb = 'ingest',
): IngestProgress {
  const started = now();
  let last = -Infinity;
  let latest = { file: '', rows: 0 };
  let printed = -1;
  const line = () => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = Math.round(latest.rows / seconds);
    return `${verb} ${latest.file}: ${latest.rows.toLocaleString('en-US')} rows, ${rate.toLocaleString('en-US')} rows/s`;
  };
  return {
    update(done) {
      latest = done;
      const at = now();
      if (at - last < (isTty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
      last = at;
      printed = latest.rows;
      write(isTty ? `\r\x1b[2K${line()}` : `${line()}\n`);
    },
    finish() {
      if (latest.rows === 0) return;
      if (isTty) write(`\r\x1b[2K${line()}\n`);
      else if (printed !== latest.rows) write(`${line()}\n`);
    },
  };
}
