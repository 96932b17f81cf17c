import { describe, expect, it } from 'vitest';
import { DATE_CLOSENESS, dateCloseness } from '../../../src/core/similarity/date-closeness.js';

describe('dateCloseness', () => {
  it.each([
    { description: 'equal', a: '1990-01-15', b: '1990-01-15', level: 'exact' },
    { description: 'one digit of the year', a: '1828-03-04', b: '1820-03-04', level: 'typo' },
    { description: 'one digit of the day', a: '1990-01-15', b: '1990-01-16', level: 'typo' },
    { description: 'day and month swapped', a: '1990-04-03', b: '1990-03-04', level: 'typo' },
    { description: 'two digits, weeks apart', a: '1990-01-15', b: '1990-02-27', level: 'within_1_year' },
    { description: 'across a new year', a: '1989-12-30', b: '1990-11-02', level: 'within_1_year' },
    { description: 'nine years apart', a: '1981-05-05', b: '1990-06-07', level: 'within_10_years' },
  ])('$description: $level', ({ a, b, level }) => {
    expect(DATE_CLOSENESS[dateCloseness(a, b)]).toBe(level);
    expect(dateCloseness(b, a)).toBe(dateCloseness(a, b));
  });

  it('reaches no level for dates decades apart or values that are not ISO dates', () => {
    expect(dateCloseness('1950-01-01', '1990-06-07')).toBe(DATE_CLOSENESS.length);
    expect(dateCloseness('1990', '1990-06-07')).toBe(DATE_CLOSENESS.length);
  });
});
