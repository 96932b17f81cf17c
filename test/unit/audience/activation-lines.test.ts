/** Upload rows as CSV lines: one row per value up to the platform's limit, clear text quoted when it must be. */
import { describe, expect, it } from 'vitest';
import { activationHeader, activationLines } from '../../../src/core/audience/activation-rows.js';
import type { FieldView, PersonView } from '../../../src/core/audience/evaluate-person.js';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import type { DestinationField } from '../../../src/core/destinations/types.js';

function view(fields: Partial<Record<DestinationField, string[]>>): PersonView {
  const map = new Map<DestinationField, FieldView>();
  for (const [field, uploads] of Object.entries(fields) as [DestinationField, string[]][]) {
    const valid = new Map(uploads.map((upload, index) => [`normalized-${index}`, upload]));
    map.set(field, { valid, invalid: [], junk: [], raw: uploads.length, collapsed: 0 });
  }
  return { fields: map, keys: ['email'], match: { low: 0, mid: 0, high: 0 }, workEmailOnly: false };
}

describe('activationLines', () => {
  it('quotes clear text that needs it, never a hash', () => {
    const linkedin = DESTINATIONS.linkedin;
    expect(activationHeader(linkedin)).toEqual(['email', 'googleaid', 'firstname', 'lastname', 'country']);
    const lines = activationLines(
      view({ email: ['aa11', 'bb22'], first_name: ['ann, jr'], last_name: ['o"neil'], country: ['GB'] }),
      linkedin,
    );
    // LinkedIn takes one email per person.
    expect(lines).toEqual({ text: 'aa11,,"ann, jr","o""neil",GB\n', rows: 1 });
  });

  it('gives a row per value up to the platform limit, the single values repeated on each', () => {
    const meta = DESTINATIONS.meta;
    const emails = ['e1', 'e2', 'e3', 'e4', 'e5'];
    const limit = meta.fields.email?.maxPerPerson as number;
    expect(limit).toBeGreaterThan(1);
    const lines = activationLines(view({ email: emails, phone: ['p1'] }), meta);
    expect(lines.rows).toBe(limit);
    const phoneColumn = Object.keys(meta.fields).indexOf('phone');
    const rows = lines.text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(','));
    expect(rows.map((cells) => cells[0])).toEqual(emails.slice(0, limit));
    expect(rows.map((cells) => cells[phoneColumn])).toEqual(Array(limit).fill('p1'));
  });
});
