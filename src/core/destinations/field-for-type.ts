/**
 * Which destination field an idgraph value type feeds: identifier normalizer kinds and the usual
 * attribute names map onto the fields platforms accept. Used by `normalize --destination` and by
 * audiences, which read values from records typed by the rules file.
 */
import { DESTINATION_FIELDS, type DestinationField } from './types.js';

const BY_NORMALIZER: Readonly<Record<string, DestinationField>> = {
  email: 'email',
  phone: 'phone',
  device_id: 'maid',
  person_name: 'first_name',
  postal_code: 'postal_code',
  country: 'country',
  date_of_birth: 'dob',
};

const BY_ATTRIBUTE_NAME: Readonly<Record<string, DestinationField>> = {
  first_name: 'first_name',
  given_name: 'first_name',
  last_name: 'last_name',
  family_name: 'last_name',
  surname: 'last_name',
  postcode: 'postal_code',
  postal_code: 'postal_code',
  zip: 'postal_code',
  country: 'country',
  dob: 'dob',
  date_of_birth: 'dob',
  city: 'city',
  state: 'state',
  gender: 'gender',
  sex: 'gender',
};

/** The destination field for a type given on the command line: a field name or a normalizer kind. */
export function fieldForTypeName(type: string): DestinationField | undefined {
  if ((DESTINATION_FIELDS as readonly string[]).includes(type)) return type as DestinationField;
  return BY_NORMALIZER[type];
}

/** The destination field for a rules-file identifier type or attribute, from its name and normalizer. */
export function fieldForRulesTarget(name: string, normalizer: string): DestinationField | undefined {
  return BY_ATTRIBUTE_NAME[name] ?? (normalizer === 'person_name' ? undefined : BY_NORMALIZER[normalizer]);
}
