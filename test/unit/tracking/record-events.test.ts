/**
 * Recording tracking events on a real engine and embedded store: events that say nothing new
 * refresh a record rather than add one (so a busy person stays one profile under the cluster cap),
 * events without a usable ID are dropped, and calls arriving together share one commit.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { recordRows, type TrackingDeps } from '../../../src/tracking/record-events.js';
import { eventsOfCall } from '../../../src/tracking/segment-call.js';
import { type EventRow, rowsOfEvents } from '../../../src/tracking/segment-row.js';
import { TrackingWriter } from '../../../src/tracking/tracking-writer.js';
import { DEFAULT_RULES_TEXT, openEngine, partition, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const NOW = '2026-06-01T12:00:00.000Z';

function rows(batch: Record<string, unknown>[]): EventRow[] {
  const split = eventsOfCall('batch', { batch });
  if (!split.ok) throw new Error(split.message);
  return rowsOfEvents(split.events, NOW).rows;
}

const deps = (engine: Engine): TrackingDeps => ({ engine, read: () => engine.readSide() });
const at = (minute: number) => new Date(Date.parse('2026-05-01T10:00:00Z') + minute * 60_000).toISOString();

describe('recording tracking events', () => {
  it('keeps one record per identity, its time moved on by the hour, so a busy person stays one profile', async () => {
    // A cluster cap of 3 records: one record per page view would split the person's fourth view off.
    const engine = await openEngine(
      await tempDir(),
      rulesFrom(DEFAULT_RULES_TEXT.replace('max_profile_records: 500', 'max_profile_records: 3')),
    );
    const views = (from: number, count: number) =>
      Array.from({ length: count }, (_, n) => ({
        type: 'page',
        userId: 'u-busy',
        messageId: `pv-${from + n}`,
        timestamp: at(from + n),
      }));
    const first = await recordRows(
      deps(engine),
      'segment',
      rows([
        { type: 'identify', userId: 'u-busy', messageId: 'id-1', traits: { email: 'busy@shop.io' }, timestamp: at(0) },
        ...views(1, 5),
      ]),
    );
    expect(first).toMatchObject({ added: 2, refreshed: 0, unchanged: 4, rejected: {} });
    // The view record is keyed by the first view and holds the time of the last.
    const pv = (await storeOf(engine).getRecords(['segment:pv-1'])).get('segment:pv-1');
    expect(pv?.ts).toBe(Date.parse(at(5)));

    // Views within the hour change nothing, and make no commit.
    const commits = await storeOf(engine).lastCommit();
    expect(await recordRows(deps(engine), 'segment', rows(views(20, 10)))).toMatchObject({
      refreshed: 0,
      unchanged: 10,
    });
    expect(await storeOf(engine).lastCommit()).toBe(commits);
    // An hour on, the newest view moves the record's time.
    const later = await recordRows(deps(engine), 'segment', rows(views(70, 10)));
    expect(later).toMatchObject({ added: 0, refreshed: 1, unchanged: 9 });
    expect((await storeOf(engine).getRecords(['segment:pv-1'])).get('segment:pv-1')?.ts).toBe(Date.parse(at(79)));
    // Older views than the record's time change nothing either.
    expect(await recordRows(deps(engine), 'segment', rows(views(10, 3)))).toMatchObject({ refreshed: 0, unchanged: 3 });
    expect(await storeOf(engine).lastCommit()).toBe(commits + 1);
    expect(await partition(storeOf(engine))).toEqual([['segment:id-1', 'segment:pv-1']]);

    // New traits are something new to say: a record of their own.
    const moved = await recordRows(
      deps(engine),
      'segment',
      rows([
        {
          type: 'identify',
          userId: 'u-busy',
          messageId: 'id-2',
          traits: { email: 'busy@shop.io', address: { country: 'FR' } },
        },
      ]),
    );
    expect(moved).toMatchObject({ added: 1 });
  });

  it('drops an event whose IDs the rules refuse (userId "undefined"), keeping the others', async () => {
    const engine = await openEngine(await tempDir());
    const summary = await recordRows(
      deps(engine),
      'segment',
      rows([
        { type: 'track', userId: 'undefined', event: 'Clicked', messageId: 'bad-1' },
        { type: 'track', userId: 'u-ok', event: 'Clicked', messageId: 'ok-1' },
      ]),
    );
    expect(summary).toMatchObject({ added: 1, rejected: { NO_USABLE_ID: 1 }, refusedValues: { JUNK_VALUE: 1 } });
    expect([...(await storeOf(engine).getRecords(['segment:bad-1', 'segment:ok-1'])).keys()]).toEqual(['segment:ok-1']);
  });

  it('writes calls that arrive together in one commit, and answers each once it is written', async () => {
    const engine = await openEngine(await tempDir());
    const groups: number[] = [];
    const writer = new TrackingWriter(deps(engine), (summary) => groups.push(summary.calls));
    const before = await storeOf(engine).lastCommit();
    await Promise.all(
      Array.from({ length: 6 }, (_, call) =>
        writer.record(
          'segment',
          rows([
            { type: 'identify', userId: `u-${call}`, messageId: `c-${call}`, traits: { email: `p${call}@shop.io` } },
          ]),
          [],
        ),
      ),
    );
    // The first call is written alone; the five that came while it was written go together.
    expect(groups).toEqual([1, 5]);
    expect(await storeOf(engine).lastCommit()).toBe(before + 2);
    expect((await storeOf(engine).getRecords(Array.from({ length: 6 }, (_, call) => `segment:c-${call}`))).size).toBe(
      6,
    );
  });

  it('fails every call of a group the store refuses, so their libraries retry', async () => {
    const engine = await openEngine(await tempDir());
    const writer = new TrackingWriter(deps(engine));
    await storeOf(engine).close();
    const calls = [0, 1].map((call) =>
      writer.record('segment', rows([{ type: 'page', anonymousId: `a-${call}`, messageId: `f-${call}` }]), []),
    );
    for (const call of calls) await expect(call).rejects.toThrow();
  });

  it('answers the calls of a group whose report fails, and goes on with the next', async () => {
    const engine = await openEngine(await tempDir());
    const writer = new TrackingWriter(deps(engine), () => {
      throw new Error('the log is gone');
    });
    const call = (name: string) =>
      writer.record('segment', rows([{ type: 'page', anonymousId: `${name}-anon`, messageId: name }]), []);
    await Promise.all([call('r-1'), call('r-2'), call('r-3')]);
    expect((await storeOf(engine).getRecords(['segment:r-1', 'segment:r-2', 'segment:r-3'])).size).toBe(3);
  });

  it('keeps a group under its size, one call at least', async () => {
    const engine = await openEngine(await tempDir());
    const groups: number[] = [];
    const writer = new TrackingWriter(deps(engine), (summary) => groups.push(summary.events), 3);
    const call = (name: string, count: number) =>
      writer.record(
        'segment',
        rows(
          Array.from({ length: count }, (_, n) => ({
            type: 'page',
            anonymousId: `${name}-${n}`,
            messageId: `${name}-${n}`,
          })),
        ),
        [],
      );
    await Promise.all([call('a', 1), call('b', 5), call('c', 2), call('d', 1)]);
    expect(groups).toEqual([1, 5, 3]);
  });
});
