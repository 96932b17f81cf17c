/**
 * A household that every synthetic data set (and so the demo data) starts with, written the same
 * way whatever the seed: Ann Lee and Tom Lee, who share a London landline. The README and the
 * `--help` examples name them, so the examples find real people in the demo data. Ann's records
 * spell her address the ways real sources do (capitals, googlemail.com, a +tag, no dots), which the
 * email normalizer makes one.
 */
import type { SyntheticRecord } from './records.js';

const ANN = 'P0-0';
const TOM = 'P0-1';

/** Ann's address as her CRM record has it; the others are spellings of the same mailbox. */
export const KNOWN_EMAIL = 'ann.lee@gmail.com';

/** The household's records; `nextId` numbers them in the sequence the generated records continue. */
export function knownHouseholdRecords(nextId: (prefix: string) => string): SyntheticRecord[] {
  // Only the four sources every shape has: the household is the same in the demo and six-sources data.
  const record = (source: 'crm' | 'web' | 'app' | 'orders', personId: string, fields: Record<string, string>) => {
    const keyField = { crm: 'customer_id', web: 'session_id', app: 'install_id', orders: 'order_id' }[source];
    const prefix = { crm: 'C', web: 'S', app: 'I', orders: 'O' }[source];
    const recordId = nextId(prefix);
    return { source, recordId, personId, fields: { [keyField]: recordId, ...fields } };
  };
  return [
    record('crm', ANN, {
      updated_at: '2024-03-01T09:00:00.000Z',
      email: KNOWN_EMAIL,
      phone: '07911 123456',
      first_name: 'Ann',
      last_name: 'Lee',
      postcode: 'SW1A 2AA',
      country: 'United Kingdom',
      dob: '1988-04-12',
    }),
    record('web', ANN, {
      seen_at: '2024-05-11T18:20:00.000Z',
      cookie_id: 'a1b2c3d4e5f60718',
      email: 'Ann.Lee@GoogleMail.com',
    }),
    record('app', ANN, {
      seen_at: '2024-06-02T07:45:00.000Z',
      idfa: '6D92078A-8246-4BA4-AE5B-76104861E7DC',
      email: 'annlee@gmail.com',
      first_name: 'Ann',
      country: 'GB',
    }),
    record('orders', ANN, {
      ordered_at: '2024-09-23T12:05:00.000Z',
      email: 'ann.lee+shop@gmail.com',
      phone: '+44 7911 123456',
      first_name: 'Ann',
      last_name: 'Lee',
      postcode: 'SW1A 2AA',
      country: 'GB',
    }),
    record('crm', TOM, {
      updated_at: '2024-02-14T10:30:00.000Z',
      email: 'tom.lee@outlook.com',
      phone: '020 7183 8750',
      first_name: 'Tom',
      last_name: 'Lee',
      postcode: 'SW1A 2AA',
      country: 'United Kingdom',
      dob: '1986-09-30',
    }),
    record('orders', TOM, {
      ordered_at: '2024-11-02T16:40:00.000Z',
      email: 'Tom.Lee@outlook.com',
      phone: '020 7183 8750',
      first_name: 'Tom',
      last_name: 'Lee',
      postcode: 'SW1A 2AA',
      country: 'GB',
    }),
  ];
}
