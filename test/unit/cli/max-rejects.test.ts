import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseMaxRejects, withinLimit } from '../../../src/cli/intake.js';

describe('--max-rejects', () => {
  it('takes a count or a percentage of the rows read', () => {
    expect(parseMaxRejects('10')).toEqual({ count: 10 });
    expect(parseMaxRejects('0')).toEqual({ count: 0 });
    expect(parseMaxRejects('1%')).toEqual({ percent: 1 });
    expect(parseMaxRejects('0.5%')).toEqual({ percent: 0.5 });
    for (const wrong of ['', '-1', '1.5', 'ten', '101%', '%']) {
      expect(() => parseMaxRejects(wrong), wrong).toThrow(InvalidArgumentError);
    }
  });

  it('allows rejects up to the limit, none without one', () => {
    expect(withinLimit(undefined, 0, 100)).toBe(true);
    expect(withinLimit(undefined, 1, 100)).toBe(false);
    expect(withinLimit({ count: 2 }, 2, 100)).toBe(true);
    expect(withinLimit({ count: 2 }, 3, 100)).toBe(false);
    expect(withinLimit({ percent: 1 }, 10, 1000)).toBe(true);
    expect(withinLimit({ percent: 1 }, 11, 1000)).toBe(false);
  });
});
