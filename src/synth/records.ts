/**
 * The records the sources hold about a household's people, with the noise real exports have:
 * spelling and format variants, typos, missing fields, placeholders and role mailboxes.
 */
import type { Household, Person } from './people.js';
import { DOMAIN_TYPOS, JUNK_EMAILS, JUNK_PHONES, NICKNAMES, ROLE_MAILBOXES, ZEROED_IDFA } from './pools.js';
import type { Random } from './random.js';

export type SourceName = 'crm' | 'web' | 'app' | 'orders' | 'pos' | 'support';

/**
 * The traps a record carries, so a benchmark can say which kind of record a missed link involved
 * (six-sources shape only; see six-sources.ts).
 */
export const TRAITS = ['nameless_phone', 'one_field_name', 'work_email', 'nickname', 'household'] as const;
export type Trait = (typeof TRAITS)[number];

export interface SyntheticRecord {
  readonly source: SourceName;
  readonly recordId: string;
  readonly personId: string;
  /**
   * Flat field values. A dotted name (`shipping_address.zip`) is a nested field: NDJSON files write
   * it as an object, CSV files as a column of that name.
   */
  readonly fields: Record<string, string>;
  readonly traits?: readonly Trait[];
}

export interface NoiseRates {
  /** A placeholder instead of a real email or phone. */
  readonly junk: number;
  /** A one-letter typo in a name. */
  readonly nameTypo: number;
  /** A mistyped email domain. */
  readonly domainTypo: number;
  /** A role mailbox (info@company) instead of a personal address, for people with a company. */
  readonly roleMailbox: number;
}

export const DEFAULT_NOISE: NoiseRates = { junk: 0.02, nameTypo: 0.03, domainTypo: 0.02, roleMailbox: 0.3 };

const EPOCH = Date.parse('2024-01-01T00:00:00Z');
const SPAN = 700 * 24 * 3600 * 1000;

export class RecordWriter {
  private counter = 0;

  constructor(
    protected readonly random: Random,
    protected readonly noise: NoiseRates,
  ) {}

  *recordsFor(household: Household): Generator<SyntheticRecord> {
    for (const person of household.people) {
      let produced = 0;
      if (this.random.chance(0.65)) {
        yield this.crm(person);
        produced++;
      }
      for (
        let i = this.random.weighted([
          [0, 30],
          [1, 35],
          [2, 20],
          [3, 15],
        ] as const);
        i > 0;
        i--
      ) {
        yield this.web(person);
        produced++;
      }
      if (person.device || person.tablet) {
        if (this.random.chance(0.5)) {
          yield this.app(person);
          produced++;
        }
      }
      let orders = this.random.weighted([
        [0, 35],
        [1, 35],
        [2, 20],
        [3, 10],
      ] as const);
      if (produced === 0 && orders === 0) orders = 1;
      for (; orders > 0; orders--) yield this.order(person);
    }
  }

  /** The next record ID: a prefix and a number no other record of the data set has. */
  next(prefix: string): string {
    this.counter++;
    return `${prefix}${this.counter.toString(36).padStart(6, '0')}`;
  }

  protected timestamp(): string {
    return new Date(EPOCH + Math.floor(this.random.float() * SPAN)).toISOString();
  }

  private crm(person: Person): SyntheticRecord {
    const fields: Record<string, string> = {
      customer_id: this.next('C'),
      updated_at: this.timestamp(),
      email: this.email(person, { allowRole: false }),
      first_name: this.firstName(person),
      last_name: this.lastName(person),
      postcode: this.random.chance(0.9) ? person.postcode : person.postcode.toLowerCase().replace(' ', ''),
      dob: this.dateOfBirth(person),
    };
    this.addPhone(fields, person, 0.85);
    this.addCountry(fields, person);
    return { source: 'crm', recordId: fields.customer_id as string, personId: person.id, fields };
  }

  private web(person: Person): SyntheticRecord {
    const fields: Record<string, string> = {
      session_id: this.next('S'),
      seen_at: this.timestamp(),
      cookie_id: this.random.pick(person.cookies),
    };
    if (this.random.chance(0.4)) fields.email = this.email(person, { allowRole: false });
    return { source: 'web', recordId: fields.session_id as string, personId: person.id, fields };
  }

  private app(person: Person): SyntheticRecord {
    const fields: Record<string, string> = { install_id: this.next('I'), seen_at: this.timestamp() };
    const device = person.tablet && (!person.device || this.random.chance(0.5)) ? person.tablet : person.device;
    if (device) {
      const id = this.random.chance(this.noise.junk / 2) ? ZEROED_IDFA : device.id;
      fields[device.kind] = this.random.chance(0.5) ? id.toUpperCase() : id;
    }
    if (this.random.chance(0.5)) fields.email = this.email(person, { allowRole: false });
    if (this.random.chance(0.3)) this.addPhone(fields, person, 1);
    if (this.random.chance(0.5)) fields.first_name = this.firstName(person);
    this.addCountry(fields, person);
    return { source: 'app', recordId: fields.install_id as string, personId: person.id, fields };
  }

  private order(person: Person): SyntheticRecord {
    const fields: Record<string, string> = {
      order_id: this.next('O'),
      ordered_at: this.timestamp(),
      email: this.email(person, { allowRole: true }),
      first_name: this.firstName(person),
      last_name: this.lastName(person),
      postcode: person.postcode,
    };
    this.addPhone(fields, person, 0.6);
    this.addCountry(fields, person);
    return { source: 'orders', recordId: fields.order_id as string, personId: person.id, fields };
  }

  protected email(person: Person, { allowRole }: { allowRole: boolean }): string {
    const random = this.random;
    if (random.chance(this.noise.junk)) return random.pick(JUNK_EMAILS);
    if (allowRole && person.company && random.chance(this.noise.roleMailbox)) {
      return `${random.pick(ROLE_MAILBOXES)}@${person.company}`;
    }
    let email = random.pick(person.emails);
    const [local, domain] = email.split('@') as [string, string];
    if (random.chance(this.noise.domainTypo) && DOMAIN_TYPOS[domain]) {
      email = `${local}@${random.pick(DOMAIN_TYPOS[domain] as readonly string[])}`;
    } else if (domain === 'gmail.com' && random.chance(0.2)) {
      email = random.chance(0.5) ? `${local.replaceAll('.', '')}@googlemail.com` : `${local}+shop@gmail.com`;
    }
    return random.chance(0.15) ? email.toUpperCase() : random.chance(0.15) ? capitalize(email) : email;
  }

  protected addPhone(fields: Record<string, string>, person: Person, probability: number): void {
    const random = this.random;
    if (!random.chance(probability)) return;
    const number = person.mobile && (!person.landline || random.chance(0.6)) ? person.mobile : person.landline;
    if (!number) return;
    if (random.chance(this.noise.junk)) {
      fields.phone = random.pick(JUNK_PHONES);
      return;
    }
    const cc = person.country.callingCode;
    const national = person.country.code === 'US' ? number : `0${number}`;
    fields.phone = random.weighted([
      [spaced(national), 4],
      [`+${cc} ${spaced(number)}`, 3],
      [`00${cc}${number}`, 1],
      [national.replace(/(\d{3})(\d{3})(\d+)/, '($1) $2-$3'), 1],
    ] as const);
  }

  protected addCountry(fields: Record<string, string>, person: Person): void {
    if (this.random.chance(0.95)) fields.country = this.random.pick(person.country.name);
  }

  protected firstName(person: Person): string {
    const random = this.random;
    const nickname = NICKNAMES[person.first];
    if (nickname && random.chance(0.1)) return nickname;
    return random.chance(this.noise.nameTypo)
      ? typo(random, person.first)
      : random.chance(0.1)
        ? person.first.toUpperCase()
        : person.first;
  }

  protected lastName(person: Person): string {
    return this.random.chance(this.noise.nameTypo) ? typo(this.random, person.last) : person.last;
  }

  protected dateOfBirth(person: Person): string {
    const [year, month, day] = person.dob.split('-') as [string, string, string];
    if (this.random.chance(0.5)) return person.dob;
    return person.country.code === 'US' ? `${month}/${day}/${year}` : `${day}/${month}/${year}`;
  }
}

export function spaced(digits: string): string {
  return digits.replace(/(\d{3,4})(\d{3})(\d+)/, '$1 $2 $3');
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One edit: swap two neighbouring letters, drop one, or double one. */
export function typo(random: Random, word: string): string {
  if (word.length < 4) return word;
  const at = random.int(1, word.length - 2);
  switch (random.int(0, 2)) {
    case 0:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    default:
      return word.slice(0, at) + word[at] + word.slice(at);
  }
}
