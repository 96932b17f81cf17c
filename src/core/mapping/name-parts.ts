/**
 * One part of a full name held in one field: "Dr Alice P. van der Berg Jr", "PARKER, Alice",
 * "alice p.". The parsing (titles, "LAST, First", particles such as van/de/von, suffixes) is
 * parse-full-name's; what is kept is ours: an initial alone ("p.") is no name, as a letter cannot
 * be compared with a surname, so it gives no value rather than a wrong one.
 */
import { parseFullName } from 'parse-full-name';
import type { NamePart } from '../rules/schema.js';

const INITIAL = /^\p{L}\.?$/u;

export function namePart(fullName: string, part: NamePart): string | undefined {
  const parsed = parseFullName(fullName, 'all', 0, 0, 0);
  const value = parsed[part].trim();
  if (value === '') return undefined;
  if ((part === 'first' || part === 'last') && INITIAL.test(value)) return undefined;
  return value;
}
