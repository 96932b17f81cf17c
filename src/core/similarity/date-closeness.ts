/**
 * How close two dates of birth are, as the levels of the `date` comparator see them. The levels
 * follow the errors that dates in records carry: a mistyped digit (1828 for 1820, 1990-01-15 for
 * 1990-01-16), day and month swapped (an American form read as a European one), then nearness in
 * time for dates that are only roughly known. Splink's standard date comparison has the same shape.
 */

/** From the closest to the loosest; a pair reaches the first that holds. */
export const DATE_CLOSENESS = ['exact', 'typo', 'within_1_year', 'within_10_years'] as const;
export type DateCloseness = (typeof DATE_CLOSENESS)[number];

const DAY_MS = 86_400_000;

/**
 * The index in DATE_CLOSENESS of the closest level two ISO dates (YYYY-MM-DD) reach, or
 * DATE_CLOSENESS.length when none does (or a value is not an ISO date).
 */
export function dateCloseness(left: string, right: string): number {
  if (left === right) return 0;
  const a = parse(left);
  const b = parse(right);
  if (!a || !b) return DATE_CLOSENESS.length;
  if (oneDigitApart(left, right) || swapped(a, b)) return 1;
  const days = Math.abs(Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day)) / DAY_MS;
  if (days <= 366) return 2;
  if (days <= 3653) return 3;
  return DATE_CLOSENESS.length;
}

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function parse(text: string): Parts | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
}

function oneDigitApart(left: string, right: string): boolean {
  let differences = 0;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) differences++;
  return differences === 1;
}

function swapped(a: Parts, b: Parts): boolean {
  return a.year === b.year && a.month === b.day && a.day === b.month;
}
