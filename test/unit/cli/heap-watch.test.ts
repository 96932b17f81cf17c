import { describe, expect, it, vi } from 'vitest';
import { heapWarning, watchHeap } from '../../../src/cli/heap-watch.js';

const MB = 1024 * 1024;

describe('heapWarning', () => {
  it('says nothing below the share of the limit', () => {
    expect(heapWarning({ used_heap_size: 3000 * MB, heap_size_limit: 4096 * MB }, 'load')).toBeUndefined();
  });

  it('names the share in use, the limit and a higher limit to set', () => {
    const text = heapWarning({ used_heap_size: 3600 * MB, heap_size_limit: 4096 * MB }, 'load');
    expect(text).toContain('idgraph load: 88% of');
    expect(text).toContain('(4,096 MB)');
    expect(text).toContain('NODE_OPTIONS=--max-old-space-size=10240');
  });
});

describe('watchHeap', () => {
  it('warns once when the heap passes the share, not before', () => {
    vi.useFakeTimers();
    try {
      const warnings: string[] = [];
      const used = [1000, 2000, 3900, 4000];
      const stop = watchHeap(
        (text) => warnings.push(text),
        'load',
        100,
        () => ({ used_heap_size: (used.shift() ?? 4000) * MB, heap_size_limit: 4096 * MB }),
      );
      vi.advanceTimersByTime(200);
      expect(warnings).toEqual([]);
      vi.advanceTimersByTime(500);
      expect(warnings).toHaveLength(1);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
