/**
 * The built-in mapping of Segment-spec events to rows, and those rows read by the rules: the
 * default `segment` source, and a source that overrides a column with a nested path.
 */
import { describe, expect, it } from 'vitest';
import { prepareRecord } from '../../../src/engine/prepare/prepare-record.js';
import { eventsOfCall } from '../../../src/tracking/segment-call.js';
import { segmentRow } from '../../../src/tracking/segment-row.js';
import { DEFAULT_RULES_TEXT, rulesFrom } from '../../support/engine.js';

const NOW = '2026-06-01T12:00:00.000Z';
const rules = rulesFrom();

function rowOf(type: Parameters<typeof segmentRow>[0], event: Record<string, unknown>) {
  const outcome = segmentRow(type, event, NOW);
  if (!outcome.ok) throw new Error(`rejected: ${outcome.reason}`);
  return outcome;
}

/** The identifiers and attributes the default rules' segment source makes of an event. */
function recordOf(type: Parameters<typeof segmentRow>[0], event: Record<string, unknown>, rulesInUse = rules) {
  const prepared = prepareRecord(rulesInUse.file, rulesInUse.normalizers, 'segment', rowOf(type, event).row);
  if (!prepared.ok) throw new Error(prepared.reason);
  return {
    identifiers: Object.fromEntries(prepared.record.identifiers.map(({ type: kind, value }) => [kind, value])),
    attributes: Object.fromEntries(
      Object.entries(prepared.record.attributes).map(([name, { value }]) => [name, value]),
    ),
    record: prepared.record,
  };
}

describe('the built-in mapping of Segment events', () => {
  it('maps an identify: userId, anonymousId, traits with address, and the advertising ID', () => {
    const { identifiers, attributes, record } = recordOf('identify', {
      messageId: 'm-1',
      timestamp: '2026-05-30T08:15:00+02:00',
      userId: 'U-1001',
      anonymousId: 'a7f3e2',
      traits: {
        email: 'Ann.Lee@GoogleMail.com',
        phone: '020 7946 0123',
        firstName: 'Ann',
        lastName: 'Lee',
        address: { postalCode: 'sw1a 1aa', country: 'GB' },
      },
      context: { device: { advertisingId: '6D92078A-8246-4BA4-AE5B-76104861E7DC', adTrackingEnabled: true } },
    });
    expect(record.ref).toBe('segment:m-1');
    expect(record.ts).toBe(Date.parse('2026-05-30T06:15:00Z'));
    expect(identifiers).toEqual({
      user_id: 'U-1001',
      cookie: 'a7f3e2',
      email: 'ann.lee@googlemail.com',
      phone: '+442079460123',
      device_id: '6d92078a-8246-4ba4-ae5b-76104861e7dc',
    });
    expect(attributes).toEqual({ first_name: 'ann', last_name: 'lee', postcode: 'SW1A 1AA', country: 'GB' });
  });

  it('reads context.traits when the identify has no traits of its own, and for every other call', () => {
    const context = { traits: { email: 'bob@shop.io', phone: '+44 20 7946 0999' } };
    for (const [type, extra] of [
      ['identify', {}],
      ['track', { event: 'Order Completed' }],
      ['page', { name: 'Home' }],
      ['screen', { name: 'Cart' }],
      ['group', { groupId: 'acme' }],
      ['alias', { previousId: 'anon-1' }],
    ] as const) {
      const { identifiers } = recordOf(type, { userId: 'u-7', messageId: `m-${type}`, context, ...extra });
      expect(identifiers, type).toMatchObject({ user_id: 'u-7', email: 'bob@shop.io', phone: '+442079460999' });
    }
    // An identify's own traits come before the context's.
    const both = recordOf('identify', { userId: 'u-7', traits: { email: 'new@shop.io' }, context });
    expect(both.identifiers.email).toBe('new@shop.io');
  });

  it("does not take a group's traits for the person's", () => {
    const { identifiers } = recordOf('group', {
      anonymousId: 'anon-9',
      groupId: 'acme',
      traits: { email: 'billing@acme.com', phone: '+1 415 555 0100' },
    });
    expect(identifiers).toEqual({ cookie: 'anon-9' });
  });

  it('keeps the call type, the track event name and the nested objects for derived fields', () => {
    const { row } = rowOf('track', {
      anonymousId: 'anon-2',
      event: 'Product Viewed',
      properties: { sku: 'X1' },
      writeKey: 'never-in-a-row',
    });
    expect(row).toMatchObject({ type: 'track', event: 'Product Viewed', properties: { sku: 'X1' } });
    expect(JSON.stringify(row)).not.toContain('never-in-a-row');
  });

  it('leaves out the advertising ID of a device that opted out of ad tracking', () => {
    const device = { advertisingId: '6D92078A-8246-4BA4-AE5B-76104861E7DC', adTrackingEnabled: false };
    expect(rowOf('screen', { userId: 'u-1', context: { device } }).row.advertisingId).toBeUndefined();
  });

  it('rejects events the spec does not allow, naming the field', () => {
    const reject = (type: Parameters<typeof segmentRow>[0], event: Record<string, unknown>) => {
      const outcome = segmentRow(type, event, NOW);
      return outcome.ok ? 'accepted' : `${outcome.reason} ${outcome.field}`;
    };
    expect(reject('identify', { traits: { email: 'a@b.co' } })).toBe('NO_USER_OR_ANONYMOUS_ID userId');
    expect(reject('identify', { userId: '  ', anonymousId: { id: 1 } })).toBe('NO_USER_OR_ANONYMOUS_ID userId');
    expect(reject('track', { userId: 'u' })).toBe('TRACK_WITHOUT_EVENT event');
    expect(reject('alias', { userId: 'u' })).toBe('ALIAS_WITHOUT_IDS previousId');
    expect(reject('alias', { anonymousId: 'a', previousId: 'p' })).toBe('ALIAS_WITHOUT_IDS userId');
    expect(reject('group', { userId: 'u' })).toBe('GROUP_WITHOUT_GROUP_ID groupId');
    expect(reject('page', { userId: 'u', messageId: 'x'.repeat(101) })).toBe('MESSAGE_ID_INVALID messageId');
    expect(reject('page', { userId: 'u', messageId: ['m'] })).toBe('MESSAGE_ID_INVALID messageId');
    expect(reject('page', { userId: 42 })).toBe('accepted');
  });

  it('takes the time from timestamp, else receivedAt, else when the call came', () => {
    expect(rowOf('page', { userId: 'u', timestamp: '2026-01-02T03:04:05Z' }).row.timestamp).toBe(
      '2026-01-02T03:04:05.000Z',
    );
    expect(
      rowOf('page', { userId: 'u', timestamp: 'yesterday', receivedAt: '2026-01-03T00:00:00Z' }).row.timestamp,
    ).toBe('2026-01-03T00:00:00.000Z');
    expect(rowOf('page', { userId: 'u' }).row.timestamp).toBe(NOW);
  });

  it('gives an event without a messageId one from its content, the same on every delivery', () => {
    const event = { userId: 'u-5', event: 'Signed Up', timestamp: '2026-01-02T03:04:05Z' };
    const first = rowOf('track', event).messageId;
    expect(first).toMatch(/^auto-[0-9a-f]{32}$/);
    expect(rowOf('track', { ...event }).messageId).toBe(first);
    expect(rowOf('track', { ...event, event: 'Logged In' }).messageId).not.toBe(first);
  });

  it("returns an alias's previous ID beside the row of its user ID", () => {
    const outcome = rowOf('alias', { userId: 'u-new', previousId: 'u-old', messageId: 'al-1' });
    expect(outcome.previousId).toBe('u-old');
    expect(outcome.row).toMatchObject({ userId: 'u-new', messageId: 'al-1' });
  });

  it('lets a source override a column with a nested path of its own', () => {
    // The shop puts the address in properties on checkout: the source reads it there instead.
    const overridden = rulesFrom(
      DEFAULT_RULES_TEXT.replace(
        '      email: email\n      phone: phone\n      advertisingId',
        '      phone: phone\n      advertisingId',
      ).replace(
        '      postalCode: postcode\n      country: country\n',
        '      postalCode: postcode\n      country: country\n    derived:\n      email: { from: properties.checkout.email }\n',
      ),
    );
    const event = {
      userId: 'u-9',
      event: 'Checkout',
      properties: { checkout: { email: 'Carol@Shop.io' } },
      context: { traits: { email: 'stale@shop.io' } },
    };
    const { identifiers, record } = recordOf('track', event, overridden);
    expect(identifiers).toEqual({ user_id: 'u-9', email: 'carol@shop.io' });
    // The value read is kept by its path, so re-preparing the stored fields gives the same record.
    expect(record.fields['properties.checkout.email']).toBe('Carol@Shop.io');
    const again = prepareRecord(overridden.file, overridden.normalizers, 'segment', {
      ...record.fields,
      messageId: record.recordId,
    });
    expect(again.ok && again.record.identifiers).toEqual(record.identifiers);
  });
});

describe('the events of a call', () => {
  it('takes a single call as one event of its route, without the write key', () => {
    const split = eventsOfCall('identify', { type: 'track', userId: 'u', writeKey: 'wk-secret-1' });
    expect(split).toEqual({
      ok: true,
      events: [{ index: 0, type: 'identify', event: { type: 'track', userId: 'u' } }],
      rejected: [],
    });
  });

  it("splits a batch, each event under the batch's context, and rejects bad items alone", () => {
    const split = eventsOfCall('batch', {
      writeKey: 'wk-secret-1',
      context: { ip: '203.0.113.9', traits: { email: 'ann@x.co', phone: '1' } },
      batch: [
        { type: 'identify', userId: 'u1', context: { traits: { phone: '2' } } },
        'not an object',
        { type: 'login', userId: 'u2' },
        { userId: 'u3' },
        { type: 'track', userId: 'u4', event: 'E', properties: { blob: 'x'.repeat(33 * 1024) } },
        { type: 'page', anonymousId: 'a5' },
      ],
    });
    if (!split.ok) throw new Error(split.message);
    expect(split.events.map(({ index, type }) => [index, type])).toEqual([
      [0, 'identify'],
      [5, 'page'],
    ]);
    expect(split.events[0]?.event.context).toEqual({ ip: '203.0.113.9', traits: { email: 'ann@x.co', phone: '2' } });
    expect(split.rejected).toEqual([
      { index: 1, reason: 'NOT_AN_OBJECT' },
      { index: 2, reason: 'UNKNOWN_TYPE', field: 'type' },
      { index: 3, reason: 'UNKNOWN_TYPE', field: 'type' },
      { index: 4, reason: 'EVENT_TOO_LARGE' },
    ]);
  });

  it('drops the events past 2,500 in one batch', () => {
    const batch = Array.from({ length: 2502 }, (_, index) => ({ type: 'page', userId: `u${index}` }));
    const split = eventsOfCall('batch', { batch });
    if (!split.ok) throw new Error(split.message);
    expect(split.events).toHaveLength(2500);
    expect(split.rejected.map(({ index, reason }) => `${index} ${reason}`)).toEqual([
      '2500 OVER_BATCH_LIMIT',
      '2501 OVER_BATCH_LIMIT',
    ]);
  });

  it('refuses a body that is not an object, or a batch without a list', () => {
    expect(eventsOfCall('track', [1, 2])).toMatchObject({ ok: false, field: 'body' });
    expect(eventsOfCall('batch', { batch: { type: 'page' } })).toMatchObject({ ok: false, field: 'batch' });
  });

  it('refuses a single call over 32 KB', () => {
    const split = eventsOfCall('track', { userId: 'u', event: 'E', properties: { blob: 'x'.repeat(33 * 1024) } });
    expect(split).toEqual({ ok: true, events: [], rejected: [{ index: 0, reason: 'EVENT_TOO_LARGE' }] });
  });

  it('does not let a parsed __proto__ key reach the merged context', () => {
    const item = JSON.parse('{"type":"page","userId":"u","context":{"__proto__":{"polluted":true}}}');
    const split = eventsOfCall('batch', { batch: [item], context: { ip: '203.0.113.9' } });
    if (!split.ok) throw new Error(split.message);
    const context = split.events[0]?.event.context as Record<string, unknown>;
    expect(Object.getPrototypeOf(context)).toBe(Object.prototype);
    expect((context as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
