/** Shared values counted in people: per-type distinct_people_by, other evidence, fuzzy rules. */
import { describe, expect, it } from 'vitest';
import type { CompiledRules } from '../../../src/core/resolve/compiled-rules.js';
import { resolveRecords } from '../../../src/core/resolve/resolve-records.js';
import { NO_TERM_FREQUENCIES } from '../../../src/core/resolve/term-frequencies.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';
import { record } from '../../support/records.js';
import { testRules } from '../../support/rules.js';

const resolve = (records: PreparedRecord[], rules: CompiledRules) =>
  resolveRecords({ records, rules, decisions: [], isHub: () => false, frequencies: NO_TERM_FREQUENCIES });

const IDENTIFIERS = {
  email: { normalizer: 'email', shared_after: 3 },
  phone: { normalizer: 'phone', shared_after: 3 },
  device_id: { normalizer: 'device_id', shared_after: 2 },
  cookie: { normalizer: 'cookie', shared_after: 2 },
};

const webRules = (cookie: Record<string, unknown> = {}) =>
  testRules({
    identifiers: { ...IDENTIFIERS, cookie: { ...IDENTIFIERS.cookie, ...cookie } },
    rules: [
      { id: 'email', kind: 'deterministic', match: ['email'] },
      { id: 'cookie', kind: 'deterministic', match: ['cookie'] },
      { id: 'device', kind: 'deterministic', match: ['device_id'] },
      { id: 'phone_first_name', kind: 'deterministic', match: ['phone', 'first_name'] },
    ],
    constraints: { distinct_people_by: ['first_name', 'dob', 'email'] },
  });

const COOKIE = 'cookie\u0001c1';

describe('sharing counted in people', () => {
  // Ann's personal and work mailboxes, each seen on her browser; a third visit names nobody.
  const annOnOneBrowser = [
    record('crm:1', ['email=ann@home.com', 'phone=+441'], { first_name: 'ann' }, 1),
    record('orders:1', ['email=ann@work.com', 'phone=+441'], { first_name: 'ann' }, 2),
    record('web:1', ['cookie=c1', 'email=ann@home.com'], {}, 3),
    record('web:2', ['cookie=c1', 'email=ann@work.com'], {}, 4),
    record('web:3', ['cookie=c1'], {}, 5),
  ];

  it('does not count two mailboxes that later evidence ties to one person as two people', () => {
    // The phone and first name (a rule after the cookie's) tie both mailboxes to Ann.
    const out = resolve(annOnOneBrowser, webRules());
    expect(out.shared.get(COOKIE)).toBe(false);
    expect(out.clusters).toEqual([annOnOneBrowser.map((r) => r.ref).sort()]);
  });

  it('still counts two mailboxes nothing ties together as two people', () => {
    const untied = annOnOneBrowser.filter((r) => !r.ref.startsWith('crm:') && !r.ref.startsWith('orders:'));
    const out = resolve(untied, webRules());
    expect(out.shared.get(COOKIE)).toBe(true);
    expect(out.clusters).toHaveLength(3);
  });

  it('counts people by the type own distinct_people_by when it sets one', () => {
    const untied = annOnOneBrowser.filter((r) => r.ref.startsWith('web:'));
    const out = resolve(untied, webRules({ distinct_people_by: ['first_name', 'dob'] }));
    expect(out.shared.get(COOKIE)).toBe(false);
    expect(out.clusters).toHaveLength(1);
  });

  it('takes two mailboxes whose holders agree on a name for one person, and nameless ones for two', () => {
    // Linda's CRM record has a typo in the domain, her receipt the right one: one phone, one Linda.
    const linda = [
      record('crm:1', ['email=linda@gamil.com', 'phone=+4471'], { first_name: 'linda' }),
      record('pos:1', ['email=linda@gmail.com', 'phone=+4471'], { first_name: 'linda' }),
    ];
    const rules = testRules({
      identifiers: { ...IDENTIFIERS, phone: { normalizer: 'phone', shared_after: 2 } },
      rules: [{ id: 'phone', kind: 'deterministic', match: ['phone'] }],
      constraints: { distinct_people_by: ['first_name', 'dob', 'email'] },
    });
    const named = resolve(linda, rules);
    expect(named.shared.get('phone\u0001+4471')).toBe(false);
    expect(named.clusters).toEqual([['crm:1', 'pos:1']]);
    // Without names, two mailboxes on one phone are still two people (a family landline).
    const nameless = resolve(
      linda.map((each) => ({ ...each, attributes: {} })),
      rules,
    );
    expect(nameless.shared.get('phone\u0001+4471')).toBe(true);
    expect(nameless.clusters).toHaveLength(2);
    // Two names that differ are two people, whatever the mailboxes.
    const family = resolve(
      [linda[0] as PreparedRecord, record('pos:2', ['email=linda@gamil.com', 'phone=+4471'], { first_name: 'tom' })],
      rules,
    );
    expect(family.shared.get('phone\u0001+4471')).toBe(true);
  });

  it('still catches a family tablet used by two named people', () => {
    const rules = webRules({ distinct_people_by: ['first_name', 'dob'] });
    const out = resolve(
      [
        record('crm:1', ['email=isla@x.com'], { first_name: 'isla' }),
        record('crm:2', ['email=jorg@x.com'], { first_name: 'jorg' }),
        record('app:1', ['email=isla@x.com', 'device_id=tab']),
        record('app:2', ['email=jorg@x.com', 'device_id=tab']),
        record('app:3', ['device_id=tab']),
      ],
      rules,
    );
    expect(out.shared.get('device_id\u0001tab')).toBe(true);
    expect(out.clusters).toEqual([['app:1', 'crm:1'], ['app:2', 'crm:2'], ['app:3']]);
  });
});

describe('fuzzy rules and shared values', () => {
  const rules = testRules({
    identifiers: IDENTIFIERS,
    rules: [
      {
        id: 'mail_surname',
        kind: 'fuzzy',
        blocking: [['last_name']],
        compare: [
          { field: 'email', comparator: 'exact', weight: 6, else_weight: -2 },
          { field: 'last_name', comparator: 'exact', weight: 3 },
        ],
        min_score: 8,
      },
    ],
  });
  const family = (names: string[]) =>
    names.map((name, i) => record(`crm:${i}`, ['email=lees@x.com'], { first_name: name, last_name: 'lee' }));

  it('gives a shared value no weight: a family mailbox does not join its three users', () => {
    const out = resolve(family(['ann', 'bob', 'cid']), rules);
    expect(out.shared.get('email\u0001lees@x.com')).toBe(true);
    expect(out.clusters).toHaveLength(3);
  });

  it('still scores a mailbox below shared_after', () => {
    const out = resolve(family(['ann', 'bob']), rules);
    expect(out.clusters).toHaveLength(1);
    expect(out.edges[0]?.score).toBe(9);
  });
});
