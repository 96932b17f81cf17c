/**
 * Progress on a terminal: one line redrawn in place, a bar with the percentage, the rate and the
 * time left when the size is known (bytes of the inputs, records to write), the rows and rate when
 * it is not (stdin). Off a terminal (a pipe, a CI log) nothing is printed: the summary tells all.
 */
import type { IngestProgress, ReadProgress } from '../ingest/ingest-summary.js';

const INTERVAL_MS = 200;
const BAR_WIDTH = 24;

const n = (value: number) => Math.round(value).toLocaleString('en-US');

/** `1:05`, `12:00`, `1:02:03`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** `[#########...............]  37%`, from a fraction done. */
export function bar(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}

/** A line redrawn in place at most every INTERVAL_MS, and once more, final, at `finish`. */
function redrawn(write: (text: string) => void, now: () => number) {
  let last = Number.NEGATIVE_INFINITY;
  return {
    show(line: () => string, force = false) {
      const at = now();
      if (!force && at - last < INTERVAL_MS) return;
      last = at;
      write(`\r\x1b[2K${line()}`);
    },
    finish(line: string) {
      write(`\r\x1b[2K${line}\n`);
    },
  };
}

export function createProgress(
  write: (text: string) => void,
  isTty: boolean,
  now: () => number = () => performance.now(),
  /** What is being done to the rows: `ingest`, or `read` when resolving comes after (idgraph load). */
  verb = 'ingest',
): IngestProgress {
  if (!isTty) return { update() {}, finish() {} };
  const started = now();
  const screen = redrawn(write, now);
  let latest: ReadProgress | undefined;
  const line = () => {
    const done = latest as ReadProgress;
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = `${n(done.rows / seconds)} rows/s`;
    if (done.bytes === undefined || !done.totalBytes) return `${verb} ${done.file}: ${n(done.rows)} rows, ${rate}`;
    const fraction = Math.min(1, done.bytes / done.totalBytes);
    const left = fraction > 0 ? (seconds * (1 - fraction)) / fraction : Number.NaN;
    const eta = Number.isFinite(left) ? `, ETA ${formatDuration(left)}` : '';
    return `${verb} ${bar(fraction)} ${done.file}: ${n(done.rows)} rows, ${rate}${eta}`;
  };
  return {
    update(done) {
      latest = done;
      screen.show(line);
    },
    finish() {
      if (latest && latest.rows > 0) screen.finish(line());
    },
  };
}

/** Progress through a known amount of work after reading (the bulk load's resolving and writing); done at the total. */
export interface StepProgress {
  update(done: number, total: number): void;
  finish(): void;
}

export function createStepProgress(
  write: (text: string) => void,
  isTty: boolean,
  /** `resolve and write`, say. */
  label: string,
  unit: string,
  now: () => number = () => performance.now(),
): StepProgress {
  if (!isTty) return { update() {}, finish() {} };
  const started = now();
  const screen = redrawn(write, now);
  let latest = { done: 0, total: 0 };
  let finished = false;
  const line = () => {
    const { done, total } = latest;
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const fraction = total > 0 ? done / total : 0;
    const left = fraction > 0 ? (seconds * (1 - fraction)) / fraction : Number.NaN;
    const eta = Number.isFinite(left) ? `, ETA ${formatDuration(left)}` : '';
    return `${label} ${bar(fraction)} ${n(done)} of ${n(total)} ${unit}, ${n(done / seconds)} ${unit}/s${eta}`;
  };
  return {
    update(done, total) {
      if (finished) return;
      latest = { done, total };
      if (done >= total) this.finish();
      else screen.show(line);
    },
    finish() {
      if (finished || latest.total === 0) return;
      finished = true;
      screen.finish(line());
    },
  };
}
