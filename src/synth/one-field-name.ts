/**
 * How a person's name looks when a source keeps it in one field (a till's `customer_name`, a help
 * desk's `requester`, an order's `shipping_name`): the spellings clerks, customers and exports
 * produce, from "Alice Parker" to "PARKER, Alice", "Dr Alice Parker" and "alice p.".
 */
import type { Random } from './random.js';

const TITLES = ['Mr', 'Mrs', 'Ms', 'Dr', 'Mr.', 'Mrs.'] as const;
const SUFFIXES = ['Jr', 'Jr.', 'III', 'Sr'] as const;

export function oneFieldName(random: Random, first: string, last: string, middle: string | undefined): string {
  const style = random.weighted([
    ['plain', 40],
    ['last_comma', 10],
    ['upper_last_comma', 8],
    ['title', 10],
    ['initial', 8],
    ['middle', 6],
    ['suffix', 3],
    ['upper', 8],
    ['lower', 7],
  ] as const);
  switch (style) {
    case 'plain':
      return `${first} ${last}`;
    case 'last_comma':
      return `${last}, ${first}`;
    case 'upper_last_comma':
      return `${last.toUpperCase()}, ${first}`;
    case 'title':
      return `${random.pick(TITLES)} ${first} ${last}`;
    case 'initial':
      // "alice p." : a help desk display name or a till's short form; the last name is a letter.
      return `${first.toLowerCase()} ${last.charAt(0).toLowerCase()}.`;
    case 'middle':
      return middle ? `${first} ${middle.charAt(0)}. ${last}` : `${first} ${last}`;
    case 'suffix':
      return `${first} ${last} ${random.pick(SUFFIXES)}`;
    case 'upper':
      return `${first} ${last}`.toUpperCase();
    default:
      return `${first} ${last}`.toLowerCase();
  }
}
