/**
 * The six-sources shape: what a retailer's exports look like once a till, a help desk and an app
 * join the CRM, the web and the shop. Each source keeps names its own way (a CRM in first/last
 * columns, a till receipt and a ticket in one field, an app not at all), people use a nickname in
 * some places, a work address beside their personal one on the same browser, and families share a
 * landline and a tablet. Records are tagged with the traps they carry (Trait) so a benchmark can
 * tell which kind of record a missed link involved.
 */
import { oneFieldName } from './one-field-name.js';
import type { Household, Person } from './people.js';
import { FIRST_NAMES, JUNK_PHONES, NICKNAMES, PARTICLE_LAST_NAMES } from './pools.js';
import { RecordWriter, type SyntheticRecord, type Trait, typo } from './records.js';

/** What a person is beyond the classic shape: how they are called and which mailboxes they use. */
interface Persona {
  readonly person: Person;
  readonly last: string;
  readonly middle: string | undefined;
  /** The short form they give when asked in person or online ("Rick"), if they have one. */
  readonly goesBy: string | undefined;
  readonly personalEmail: string;
  readonly workEmail: string | undefined;
}

/** Share of till receipts with no name at all: the cashier only asked for the phone number. */
const NAMELESS_RECEIPTS = 0.4;

export class SixSourceWriter extends RecordWriter {
  override *recordsFor(household: Household): Generator<SyntheticRecord> {
    const random = this.random;
    // Families named "van der Berg" or "de la Cruz": particles a name parser must keep.
    const familyLast = random.chance(0.06) ? random.pick(PARTICLE_LAST_NAMES) : undefined;
    for (const person of household.people) {
      const nickname = NICKNAMES[person.first];
      const persona: Persona = {
        person,
        last: familyLast && person.last === household.people[0]?.last ? familyLast : person.last,
        middle: random.chance(0.3) ? random.pick(FIRST_NAMES) : undefined,
        goesBy: nickname && random.chance(0.6) ? nickname : undefined,
        personalEmail: person.emails[0] as string,
        workEmail: person.company ? person.emails.find((email) => email.endsWith(`@${person.company}`)) : undefined,
      };
      const records: SyntheticRecord[] = [];
      if (random.chance(0.6)) records.push(this.crmRecord(persona));
      for (let i = random.weighted(COUNTS.web); i > 0; i--) records.push(this.webRecord(persona));
      if ((person.device || person.tablet) && random.chance(0.6)) records.push(this.appRecord(persona));
      for (let i = random.weighted(COUNTS.pos); i > 0; i--) records.push(this.posRecord(persona));
      if (random.chance(0.25)) records.push(this.supportRecord(persona));
      let orders = random.weighted(COUNTS.orders);
      if (records.length === 0 && orders === 0) orders = 1;
      for (; orders > 0; orders--) records.push(this.orderRecord(persona));
      yield* records;
    }
  }

  private crmRecord(persona: Persona): SyntheticRecord {
    const { person } = persona;
    const traits = new Set<Trait>();
    const fields: Record<string, string> = {
      customer_id: this.next('C'),
      updated_at: this.timestamp(),
      email: this.mailbox(persona, 0.2, traits),
      first_name: this.firstName(person),
      last_name: this.surname(persona),
      postcode: person.postcode,
      dob: this.dateOfBirth(person),
    };
    this.phone(fields, persona, 0.85, traits);
    this.addCountry(fields, person);
    return this.finish('crm', 'customer_id', persona, fields, traits);
  }

  private webRecord(persona: Persona): SyntheticRecord {
    const traits = new Set<Trait>();
    const fields: Record<string, string> = {
      session_id: this.next('S'),
      seen_at: this.timestamp(),
      cookie_id: this.random.pick(persona.person.cookies),
    };
    // Logged in at work and at home on one browser: both addresses meet on the cookie.
    if (this.random.chance(0.45)) fields.email = this.mailbox(persona, 0.5, traits);
    return this.finish('web', 'session_id', persona, fields, traits);
  }

  /** App installs never carry a name: only the device, and sometimes a phone or an email. */
  private appRecord(persona: Persona): SyntheticRecord {
    const { person } = persona;
    const traits = new Set<Trait>();
    const fields: Record<string, string> = { install_id: this.next('I'), seen_at: this.timestamp() };
    const device = person.tablet && (!person.device || this.random.chance(0.5)) ? person.tablet : person.device;
    const onTablet = device !== undefined && device === person.tablet;
    if (device) {
      fields[device.kind] = this.random.chance(0.5) ? device.id.toUpperCase() : device.id;
      if (onTablet) traits.add('household');
    }
    // On the family tablet each member signs in with their own address; on a phone, rarely.
    if (onTablet || this.random.chance(0.3)) fields.email = this.mailbox(persona, 0.2, traits);
    if (this.phone(fields, persona, 0.5, traits)) traits.add('nameless_phone');
    this.addCountry(fields, person);
    return this.finish('app', 'install_id', persona, fields, traits);
  }

  /** A till receipt: the loyalty phone number, and the customer's name only when the clerk typed it. */
  private posRecord(persona: Persona): SyntheticRecord {
    const traits = new Set<Trait>();
    const fields: Record<string, string> = {
      receipt_id: this.next('R'),
      sold_at: this.timestamp(),
      store_id: `ST${this.random.int(1, 80)}`,
      // The till's country: receipts are rung up where the customer lives.
      store_country: persona.person.country.code,
    };
    const hasPhone = this.phone(fields, persona, 0.9, traits);
    if (this.random.chance(1 - NAMELESS_RECEIPTS)) fields.customer_name = this.spokenName(persona, traits);
    else if (hasPhone) traits.add('nameless_phone');
    if (this.random.chance(0.15)) fields.email = this.mailbox(persona, 0.1, traits);
    return this.finish('pos', 'receipt_id', persona, fields, traits);
  }

  /** A help-desk ticket: the requester's display name and the address they wrote from. */
  private supportRecord(persona: Persona): SyntheticRecord {
    const traits = new Set<Trait>();
    const fields: Record<string, string> = {
      ticket_id: this.next('T'),
      opened_at: this.timestamp(),
      requester_email: this.mailbox(persona, 0.7, traits),
    };
    if (this.random.chance(0.9)) fields.requester = this.spokenName(persona, traits);
    this.phone(fields, persona, 0.3, traits);
    this.addCountry(fields, persona.person);
    return this.finish('support', 'ticket_id', persona, fields, traits);
  }

  /** A web shop order: one shipping name and a nested shipping address. */
  private orderRecord(persona: Persona): SyntheticRecord {
    const { person } = persona;
    const traits = new Set<Trait>();
    const fields: Record<string, string> = {
      order_id: this.next('O'),
      ordered_at: this.timestamp(),
      email: this.mailbox(persona, 0.15, traits, true),
      shipping_name: this.spokenName(persona, traits),
      'shipping_address.zip': person.postcode,
    };
    this.phone(fields, persona, 0.6, traits);
    this.addCountry(fields, person);
    return this.finish('orders', 'order_id', persona, fields, traits);
  }

  /** An email: the work address with probability `work` for people who have one, else personal. */
  private mailbox(persona: Persona, work: number, traits: Set<Trait>, allowRole = false): string {
    const { workEmail, personalEmail, person } = persona;
    const useWork = workEmail !== undefined && this.random.chance(work);
    // The classic writer adds the noise (placeholders, role mailboxes, typos, case) to one of the
    // person's addresses; here the choice between personal and work is made first.
    const email = this.email({ ...person, emails: [useWork ? workEmail : personalEmail] }, { allowRole });
    if (useWork && email.toLowerCase().startsWith(workEmail.split('@')[0] as string)) traits.add('work_email');
    return email;
  }

  private phone(fields: Record<string, string>, persona: Persona, probability: number, traits: Set<Trait>): boolean {
    this.addPhone(fields, persona.person, probability);
    if (fields.phone === undefined || JUNK_PHONES.includes(fields.phone)) return false;
    const landline = persona.person.landline;
    if (landline && fields.phone.replace(/\D/g, '').endsWith(landline)) traits.add('household');
    return true;
  }

  /** The name as said aloud or typed by the person: often the nickname, sometimes with a typo. */
  private spokenName(persona: Persona, traits: Set<Trait>): string {
    traits.add('one_field_name');
    let first = persona.person.first;
    if (persona.goesBy && this.random.chance(0.6)) {
      first = persona.goesBy;
      traits.add('nickname');
    }
    if (this.random.chance(this.noise.nameTypo)) first = typo(this.random, first);
    return oneFieldName(this.random, first, this.surname(persona), persona.middle);
  }

  private surname(persona: Persona): string {
    return this.random.chance(this.noise.nameTypo) ? typo(this.random, persona.last) : persona.last;
  }

  private finish(
    source: SyntheticRecord['source'],
    key: string,
    persona: Persona,
    fields: Record<string, string>,
    traits: Set<Trait>,
  ): SyntheticRecord {
    const first = fields.first_name;
    if (first !== undefined && first === NICKNAMES[persona.person.first]) traits.add('nickname');
    return { source, recordId: fields[key] as string, personId: persona.person.id, fields, traits: [...traits] };
  }
}

const COUNTS = {
  web: [
    [0, 30],
    [1, 35],
    [2, 20],
    [3, 15],
  ],
  pos: [
    [0, 45],
    [1, 30],
    [2, 15],
    [3, 10],
  ],
  orders: [
    [0, 40],
    [1, 35],
    [2, 15],
    [3, 10],
  ],
} as const;
