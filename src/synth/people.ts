/**
 * Synthetic households and people: who they are, before any record is written about them. Family
 * members share a last name, an address, sometimes a landline and a tablet, which is exactly what
 * makes naive identity resolution merge them.
 */
import { COMPANY_DOMAINS, COUNTRIES, type CountryProfile, FIRST_NAMES, FREE_MAIL, LAST_NAMES } from './pools.js';
import type { Random } from './random.js';

export interface Person {
  readonly id: string;
  readonly first: string;
  readonly last: string;
  /** YYYY-MM-DD */
  readonly dob: string;
  readonly country: CountryProfile;
  readonly postcode: string;
  readonly emails: readonly string[];
  /** National significant numbers (no trunk prefix, no country code). */
  readonly mobile: string | undefined;
  readonly landline: string | undefined;
  readonly device: { readonly kind: 'idfa' | 'gaid'; readonly id: string } | undefined;
  readonly tablet: { readonly kind: 'idfa' | 'gaid'; readonly id: string } | undefined;
  readonly cookies: readonly string[];
  readonly company: string | undefined;
}

export interface Household {
  readonly id: string;
  readonly people: readonly Person[];
}

export function generateHousehold(random: Random, index: number): Household {
  const size = random.weighted([
    [1, 35],
    [2, 30],
    [3, 15],
    [4, 14],
    [5, 6],
  ] as const);
  const country = random.weighted(COUNTRIES);
  const last = random.pick(LAST_NAMES);
  const postcode = country.postcode(() => random.int(0, 1_000_000));
  const landline = size > 1 && random.chance(0.55) ? nationalNumber(random, country, 'landline') : undefined;
  const tabletKind = random.chance(0.5) ? 'idfa' : 'gaid';
  const tablet = size > 1 && random.chance(0.3) ? ({ kind: tabletKind, id: random.uuid() } as const) : undefined;
  const people: Person[] = [];
  const usedFirstNames = new Set<string>();
  for (let member = 0; member < size; member++) {
    let first = random.pick(FIRST_NAMES);
    while (usedFirstNames.has(first)) first = random.pick(FIRST_NAMES);
    usedFirstNames.add(first);
    const personLast = member > 0 && random.chance(0.1) ? random.pick(LAST_NAMES) : last;
    const company = random.chance(0.25) ? random.pick(COMPANY_DOMAINS) : undefined;
    people.push({
      id: `P${index}-${member}`,
      first,
      last: personLast,
      dob: birthDate(random),
      country,
      postcode,
      emails: personalEmails(random, first, personLast, company, `${index.toString(36)}${member}`),
      mobile: random.chance(0.8) ? nationalNumber(random, country, 'mobile') : undefined,
      landline,
      device: random.chance(0.6) ? { kind: random.chance(0.5) ? 'idfa' : 'gaid', id: random.uuid() } : undefined,
      tablet,
      cookies: random.chance(0.7) ? [random.hex(16)] : [random.hex(16), random.hex(16)],
      company,
    });
  }
  return { id: `H${index}`, people };
}

function nationalNumber(random: Random, country: CountryProfile, kind: 'landline' | 'mobile'): string {
  const prefix = random.pick(kind === 'mobile' ? country.mobilePrefixes : country.landlinePrefixes);
  // The first subscriber digit is 2-8: 0/1 there would read as a trunk or service prefix.
  return `${prefix}${random.int(2, 8)}${random.digits(country.subscriberDigits - prefix.length - 1)}`;
}

function birthDate(random: Random): string {
  const year = random.int(1940, 2006);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Addresses carry a token unique to the person: two real people never share a personal mailbox. */
function personalEmails(
  random: Random,
  first: string,
  last: string,
  company: string | undefined,
  unique: string,
): string[] {
  const ascii = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  const f = ascii(first) || 'user';
  const l = ascii(last) || 'name';
  const local = random.pick([`${f}.${l}${unique}`, `${f}${l}${unique}`, `${f[0]}${l}.${unique}`, `${f}_${unique}`]);
  const emails = [`${local}@${random.weighted(FREE_MAIL)}`];
  if (company) emails.push(`${f}.${l}.${unique}@${company}`);
  else if (random.chance(0.2)) emails.push(`${l}.${f}${unique}@${random.weighted(FREE_MAIL)}`);
  return emails;
}
