/** Events counted by UTC day and kind: the trend the overview draws, as a store counts it while reading events. */
import { describe, expect, it } from 'vitest';
import { commitOfEvent, EventCounter } from '../../../src/core/resolve/event-counts.js';

describe('EventCounter', () => {
  it('counts each kind on each UTC day of the event time, and nothing it was not given', () => {
    const counter = new EventCounter();
    counter.add({ kind: 'merge', at: '2026-12-05T23:59:59.999Z' });
    counter.add({ kind: 'merge', at: '2026-12-06T00:00:00.000Z' });
    counter.add({ kind: 'merge', at: '2026-12-06T10:00:00.000Z' });
    counter.add({ kind: 'split', at: '2026-12-06T11:00:00.000Z' });
    expect(counter.list()).toEqual([
      { day: '2026-12-05', kind: 'merge', count: 1 },
      { day: '2026-12-06', kind: 'merge', count: 2 },
      { day: '2026-12-06', kind: 'split', count: 1 },
    ]);
    expect(new EventCounter().list()).toEqual([]);
  });

  it('reads an event commit from its ID', () => {
    expect(commitOfEvent('e12-3')).toBe(12);
    expect(commitOfEvent('e7-140')).toBe(7);
    expect(commitOfEvent('not-an-event')).toBe(0);
  });
});
