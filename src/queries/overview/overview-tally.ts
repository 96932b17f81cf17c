/**
 * The overview's figures kept current as the graph changes. Counting them afresh reads every
 * profile, record and event: 20 to 40 s on a million records, too slow for a page a marketer opens,
 * and each commit would throw the answer away. So the whole graph is read once (when the service
 * starts, in the background), and after that each refresh re-reads only the profiles the commits
 * since touched, and asks the store to count the events those commits wrote by day and kind (Neo4j
 * counts them on the server, so no event travels).
 *
 * A refresh up to commit C reads the profiles touched after the last commit it reflects; it may see
 * later commits' profiles too, which is harmless (a profile's tally replaces what it had, and the
 * next refresh reads it again). It counts the events of the commits after the last one up to C, so
 * each event once.
 *
 * The commits this process writes are not read back at all: the engine tells the tally of each one
 * (`committed`), with the profiles it resolved and their records, and a refresh folds those in,
 * in commit order, from the last commit it reflects on. Only a commit another process wrote (another
 * API instance on the same Neo4j, or a bulk load) leaves a gap in that order, and from the gap on the
 * refresh reads as above: what it reads may be newer than a commit of this process folded after it,
 * but any profile a later commit of another process touched is read again by the refresh that
 * crosses that commit, so the figures end as a count afresh would give them. Before this, a service
 * ingesting one-record calls on Neo4j read back every profile it wrote, with its records, and
 * counted every event again: some 200 ms of the server's work every 15 s, which the commits running
 * alongside paid for.
 *
 * A refresh that reads the profiles it touched by ID gives the event loop a turn after each batch:
 * the embedded store answers those reads from memory without waiting on anything, so the refresh
 * would otherwise run as one block of the service's main thread while every request waited. (A
 * whole count reads `profiles()`, which the embedded store hands out with turns of its own.)
 *
 * A refresh nobody waits for (the service's timer) also gives way to ingest: it reads smaller
 * batches and rests twice as long as each took. Its reads compete with every commit's, for the
 * store and for the main thread: at full speed they doubled the time of each commit of a service
 * ingesting on Neo4j while they ran, and those commits' calls were most of the slowest answers. A
 * caller that asks for the figures (`current()`, or a refresh of its own) ends the rests at once, so
 * a page never waits on them.
 */
import { setImmediate as nextTurn, setTimeout } from 'node:timers/promises';
import type { PreparedRecord } from '../../core/resolve/types.js';
import type { LoadedRules } from '../../engine/rules/loaded-rules.js';
import type { GraphReads, StoredProfile } from '../../store/graph-store.js';
import { personalAttributes } from '../conflicting-profiles.js';
import { OverviewTotals } from './overview-totals.js';
import { type CommitToTally, OwnCommits } from './own-commits.js';
import { tallyProfile } from './profile-tally.js';
import { TrendTally } from './trend-tally.js';

export type OverviewReads = Pick<
  GraphReads,
  'lastCommit' | 'profiles' | 'getProfiles' | 'getRecords' | 'profilesChangedSince' | 'eventCounts'
>;

export interface OverviewSnapshot {
  /** The last commit the figures include. */
  readonly commit: number;
  readonly totals: OverviewTotals;
  readonly trend: TrendTally;
}

interface Tallied extends OverviewSnapshot {
  readonly rulesVersion: string;
}

const BATCH = 1_000;
/** Profiles a refresh giving way reads at a time: each batch holds the main thread a few ms only. */
const GIVING_WAY_BATCH = 200;
/** A refresh giving way rests this many times as long as its last batch took. */
const REST_FACTOR = 2;
/** A refresh touching more than this share of the profiles reads the whole graph instead. */
const REBUILD_SHARE = 0.25;

/** How long a commit of this process may be seen in the store before the engine hears of it. */
const OWN_COMMIT_LAG_MS = 20;

/** Waits `ms`, or less if `signal` aborts first (never throws). */
export type Rest = (ms: number, signal: AbortSignal) => Promise<void>;

const restOnTimer: Rest = (ms, signal) => setTimeout(ms, undefined, { signal }).catch(() => undefined);

export class OverviewTally {
  private tallied: Tallied | undefined;
  private refreshing: Promise<void> | undefined;
  /** Set while the running refresh gives way; aborted once someone waits for it. */
  private givingWay: AbortController | undefined;
  /** This process's commits not folded in yet. */
  private readonly own = new OwnCommits();

  constructor(
    private readonly read: () => { readonly store: OverviewReads; readonly rules: LoadedRules },
    private readonly rest: Rest = restOnTimer,
  ) {}

  /** The figures as of the latest commit: brought up to date first when commits came since. */
  async current(): Promise<OverviewSnapshot> {
    const commit = await this.read().store.lastCommit();
    // A refresh already running may have started before `commit`: then one more brings it there.
    for (let attempt = 0; attempt < 2 && !this.includes(commit); attempt++) await this.refresh();
    return this.tallied as Tallied;
  }

  /**
   * Starts a refresh, or joins the one running: one at a time, however many pages ask. One started
   * in the background gives way to the service's other work until someone else asks for a refresh.
   */
  refresh(options: { readonly background?: boolean } = {}): Promise<void> {
    if (!options.background) this.givingWay?.abort();
    if (!this.refreshing) {
      const givingWay = options.background ? new AbortController() : undefined;
      this.givingWay = givingWay;
      this.refreshing = this.catchUp(givingWay?.signal).finally(() => {
        this.refreshing = undefined;
        this.givingWay = undefined;
      });
    }
    return this.refreshing;
  }

  /**
   * Takes note of a commit this process wrote, tallied from what it resolved, for the next refresh
   * to fold in without reading. A commit resolved under rules other than the tally's is left to the
   * count afresh those rules need.
   */
  committed(change: CommitToTally): void {
    const { rules } = this.read();
    this.own.hold(change, { version: rules.version, personal: personalAttributes(rules.file) });
  }

  /** Waits for a running refresh, so a closing service does not read a closed store. */
  async settled(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
  }

  private includes(commit: number): boolean {
    return (
      this.tallied !== undefined &&
      this.tallied.commit >= commit &&
      this.tallied.rulesVersion === this.read().rules.version
    );
  }

  /** `givingWay`: rest between batches until it aborts. */
  private async catchUp(givingWay?: AbortSignal): Promise<void> {
    const { store, rules } = this.read();
    const commit = await store.lastCommit();
    const previous = this.tallied;
    // The attributes that make a conflict come from the rules, so new rules mean counting afresh.
    if (!previous || previous.rulesVersion !== rules.version) {
      this.tallied = await this.countAll(store, rules, commit);
      return;
    }
    if (this.foldOwn() >= commit) return;
    // This process's last commit can be in the store a moment before the engine hears it is
    // durable and tells the tally: a moment later it is no gap to read across.
    await setTimeout(OWN_COMMIT_LAG_MS);
    const folded = this.foldOwn();
    if (folded >= commit) return;
    const touched = await store.profilesChangedSince(folded);
    if (touched.length > Math.max(BATCH, previous.totals.size * REBUILD_SHARE)) {
      this.tallied = await this.countAll(store, rules, commit);
      return;
    }
    const attributes = personalAttributes(rules.file);
    for (let start = 0; start < touched.length; ) {
      const started = performance.now();
      const ids = touched.slice(start, start + (givingWay?.aborted === false ? GIVING_WAY_BATCH : BATCH));
      start += ids.length;
      const profiles = await store.getProfiles(ids);
      for (const id of ids) if (!profiles.has(id)) previous.totals.drop(id);
      await putAll(store, previous.totals, [...profiles.values()], attributes);
      if (givingWay?.aborted === false) await this.rest(REST_FACTOR * (performance.now() - started), givingWay);
      else await nextTurn();
    }
    await countEvents(store, previous.trend, folded, commit);
    this.tallied = { ...previous, commit };
  }

  /**
   * Folds in this process's commits that follow on from the figures' last (own-commits.ts), and
   * returns the last commit the figures then reflect. The figures say so at once, before anything
   * is awaited: a read that fails after, or a second fold, must not count those commits again.
   */
  private foldOwn(): number {
    const tallied = this.tallied as Tallied;
    const folded = this.own.foldAfter(tallied.commit, tallied.rulesVersion, tallied.totals, tallied.trend);
    this.tallied = { ...tallied, commit: folded };
    return folded;
  }

  private async countAll(store: OverviewReads, rules: LoadedRules, commit: number): Promise<Tallied> {
    const attributes = personalAttributes(rules.file);
    const totals = new OverviewTotals(attributes);
    const trend = new TrendTally();
    const countProfiles = async () => {
      let batch: StoredProfile[] = [];
      for await (const profile of store.profiles()) {
        batch.push(profile);
        if (batch.length < BATCH) continue;
        await putAll(store, totals, batch, attributes);
        batch = [];
      }
      await putAll(store, totals, batch, attributes);
    };
    await Promise.all([countProfiles(), countEvents(store, trend, 0, commit)]);
    return { commit, totals, trend, rulesVersion: rules.version };
  }
}

/** Counts the events of the commits after `after` up to `upTo`: later ones are the next refresh's. */
async function countEvents(store: OverviewReads, trend: TrendTally, after: number, upTo: number): Promise<void> {
  trend.addCounts(await store.eventCounts(after, upTo));
}

async function putAll(
  store: OverviewReads,
  totals: OverviewTotals,
  profiles: readonly StoredProfile[],
  attributes: readonly string[],
): Promise<void> {
  if (profiles.length === 0) return;
  const records = await store.getRecords(profiles.flatMap((profile) => profile.records));
  for (const profile of profiles) {
    const held = profile.records
      .map((ref) => records.get(ref))
      .filter((record): record is PreparedRecord => record !== undefined);
    totals.put(profile.id, tallyProfile(profile, held, attributes));
  }
}
