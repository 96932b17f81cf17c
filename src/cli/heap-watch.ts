/**
 * A first load holds every prepared record in memory until it is written, so a large one can pass
 * Node's heap limit (about 4 GB by default, whatever the machine has) and end in V8's fatal "heap out
 * of memory" with a native stack trace. That cannot be caught; what can be done is to say, before it
 * happens, what to change: the watch prints one warning with the setting that raises the limit.
 */
import { getHeapStatistics } from 'node:v8';

/** Share of the heap limit past which the warning is printed. */
export const HEAP_WARNING_SHARE = 0.85;

export interface HeapFigures {
  readonly used_heap_size: number;
  readonly heap_size_limit: number;
}

/** The warning for these figures, or undefined while the heap is below the share. */
export function heapWarning(figures: HeapFigures, command: string, share = HEAP_WARNING_SHARE): string | undefined {
  const used = figures.used_heap_size / figures.heap_size_limit;
  if (used < share) return undefined;
  const limitMb = Math.round(figures.heap_size_limit / (1024 * 1024));
  const suggestedMb = Math.ceil((limitMb * 2.5) / 1024) * 1024;
  return (
    `idgraph ${command}: ${Math.round(used * 100)}% of Node's heap limit (${limitMb.toLocaleString('en-US')} MB) is in use. ` +
    `If the run stops with "JavaScript heap out of memory", run it again with a higher limit, for example ` +
    `NODE_OPTIONS=--max-old-space-size=${suggestedMb} (in MB, below the machine's memory; see docs/scale.md).\n`
  );
}

/** Checks the heap every `everyMs` and warns once; returns the function that stops the watch. */
export function watchHeap(
  warn: (text: string) => void,
  command: string,
  everyMs = 1000,
  read: () => HeapFigures = getHeapStatistics,
): () => void {
  const timer = setInterval(() => {
    const warning = heapWarning(read(), command);
    if (!warning) return;
    warn(warning);
    clearInterval(timer);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
