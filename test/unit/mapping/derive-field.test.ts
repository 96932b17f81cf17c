import { describe, expect, it } from 'vitest';
import { deriveField, readPath } from '../../../src/core/mapping/derive-field.js';
import { derivedFieldSchema } from '../../../src/core/rules/schema.js';

const recipe = (input: unknown) => derivedFieldSchema.parse(input);

describe('deriveField', () => {
  const row = {
    customer_name: 'PARKER, Alice',
    shipping_address: { zip: ' SW1A 1AA ', lines: ['1 High St'] },
    'billing.zip': '10115',
    phone_home: '',
    phone_mobile: '+44 (0)7700 900123',
    first: 'Alice',
    last: 'Parker',
    notes: 'loyalty card GB01234567, please call',
    count: 3,
  };

  it('reads nested paths, and a column named like a path', () => {
    expect(deriveField(recipe({ from: 'shipping_address.zip' }), row)).toBe('SW1A 1AA');
    expect(deriveField(recipe({ from: 'billing.zip' }), row)).toBe('10115');
    expect(deriveField(recipe({ from: 'count' }), row)).toBe('3');
    expect(deriveField(recipe({ from: 'shipping_address.lines' }), row)).toBeUndefined();
    expect(deriveField(recipe({ from: 'shipping_address.zip.more' }), row)).toBeUndefined();
    expect(readPath(row, 'nowhere.zip')).toBeUndefined();
  });

  it('takes the first non-empty field and joins fields', () => {
    expect(deriveField(recipe({ first_of: ['phone_home', 'phone_mobile'] }), row)).toBe('+44 (0)7700 900123');
    expect(deriveField(recipe({ first_of: ['phone_home', 'missing'] }), row)).toBeUndefined();
    expect(deriveField(recipe({ concat: ['first', 'missing', 'last'] }), row)).toBe('Alice Parker');
    expect(deriveField(recipe({ concat: ['last', 'first'], separator: ', ' }), row)).toBe('Parker, Alice');
  });

  it('splits a full name', () => {
    expect(deriveField(recipe({ from: 'customer_name', name_part: 'first' }), row)).toBe('Alice');
    expect(deriveField(recipe({ from: 'customer_name', name_part: 'last', transforms: ['lower'] }), row)).toBe(
      'parker',
    );
    expect(deriveField(recipe({ concat: ['first', 'last'], name_part: 'middle' }), row)).toBeUndefined();
  });

  it('captures with a regex and applies transforms in order', () => {
    expect(deriveField(recipe({ from: 'notes', regex: 'card ([A-Z]{2}\\d{8})' }), row)).toBe('GB01234567');
    expect(deriveField(recipe({ from: 'notes', regex: '\\d+' }), row)).toBe('01234567');
    expect(deriveField(recipe({ from: 'notes', regex: 'voucher (\\d+)' }), row)).toBeUndefined();
    expect(deriveField(recipe({ from: 'phone_mobile', transforms: ['digits'] }), row)).toBe('4407700900123');
    expect(deriveField(recipe({ from: 'customer_name', transforms: ['digits'] }), row)).toBeUndefined();
    expect(deriveField(recipe({ concat: ['first', 'last'], transforms: ['upper', 'trim'] }), row)).toBe('ALICE PARKER');
  });
});
