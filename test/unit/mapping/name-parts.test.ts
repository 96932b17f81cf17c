import { describe, expect, it } from 'vitest';
import { namePart } from '../../../src/core/mapping/name-parts.js';

// [full name, title, first, middle, last, suffix]; '' = no value.
const TABLE: readonly (readonly [string, string, string, string, string, string])[] = [
  ['Alice Parker', '', 'Alice', '', 'Parker', ''],
  ['PARKER, Alice', '', 'Alice', '', 'PARKER', ''],
  ['Parker, Alice P.', '', 'Alice', 'P.', 'Parker', ''],
  ['Mrs Alice Parker', 'Mrs', 'Alice', '', 'Parker', ''],
  ['Dr. José da Silva', 'Dr.', 'José', '', 'da Silva', ''],
  ['Mr Rick van der Berg', 'Mr', 'Rick', '', 'van der Berg', ''],
  ['María de la Cruz', '', 'María', '', 'de la Cruz', ''],
  ['Anna von Essen', '', 'Anna', '', 'von Essen', ''],
  ['Di Stefano, Giulia', '', 'Giulia', '', 'Di Stefano', ''],
  ["O'BRIEN, Fatima", '', 'Fatima', '', "O'BRIEN", ''],
  ['John Smith Jr', '', 'John', '', 'Smith', 'Jr'],
  ['Richard Hale III', '', 'Richard', '', 'Hale', 'III'],
  ['Alice Paula Parker', '', 'Alice', 'Paula', 'Parker', ''],
  ['Zoë García-López', '', 'Zoë', '', 'García-López', ''],
  // An initial is no surname: "alice p." has a first name only.
  ['alice p.', '', 'alice', '', '', ''],
  ['J. Smith', '', '', '', 'Smith', ''],
];

describe('namePart', () => {
  it.each(TABLE)('splits %j', (full, title, first, middle, last, suffix) => {
    const part = (name: Parameters<typeof namePart>[1]) => namePart(full, name) ?? '';
    expect([part('title'), part('first'), part('middle'), part('last'), part('suffix')]).toEqual([
      title,
      first,
      middle,
      last,
      suffix,
    ]);
  });

  it('gives nothing for a blank name', () => {
    expect(namePart('   ', 'first')).toBeUndefined();
  });
});
