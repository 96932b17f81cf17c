/** `idgraph review list|show|decide` on the demo data, as a data steward uses them. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';

let folder: string;
let store: string;
/** The demo item the help's examples name. */
let demoItem: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'idgraph-review-cli-'));
  store = join(folder, 'store');
  const quickstart = await cli('quickstart', '--store', store);
  expect(quickstart.code).toBe(0);
  expect(quickstart.out).toMatch(/npx idgraph review list +# \d+ pair\(s\) for a steward to decide/);
  const help = await cli('review', 'show', '--help');
  demoItem = /idgraph review show (r_[0-9a-f]{20})/.exec(help.out)?.[1] as string;
}, 60_000);

afterAll(() => rm(folder, { recursive: true, force: true }));

describe('idgraph review', () => {
  it('lists the open items, a page at a time, as text and as JSON', async () => {
    const json = await cli('review', 'list', '--store', store, '--json');
    expect(json.code).toBe(0);
    const list = JSON.parse(json.out);
    expect(list.total).toBeGreaterThanOrEqual(3);
    expect(list.items.map((item: { id: string }) => item.id)).toContain(demoItem);
    expect(list.items.every((item: { status: string }) => item.status === 'open')).toBe(true);

    const page = await cli('review', 'list', '--store', store, '--limit', '2');
    const lines = page.out.trim().split('\n');
    expect(lines[0]).toBe(`${list.total} open review item(s), 1-2 shown`);
    expect(lines[1]).toMatch(/^r_[0-9a-f]{20} {2}\S+:\S+ {2}\S+:\S+ {2}name_postcode_dob {2}score [\d.]+ below 8$/);
    expect(lines.at(-1)).toBe('(more: --offset 2)');
    const rest = JSON.parse((await cli('review', 'list', '--store', store, '--offset', '2', '--json')).out);
    expect(rest.items).toEqual(list.items.slice(2));
    expect(
      JSON.parse((await cli('review', 'list', '--store', store, '--kind', 'refused', '--json')).out).items,
    ).toEqual(list.items.filter((item: { kind: string }) => item.kind === 'refused'));
    const badLimit = await cli('review', 'list', '--store', store, '--limit', '0');
    expect(badLimit.code).not.toBe(0);
    expect(badLimit.err).toContain('must be 1 to 500');
  });

  it('shows an item with its two records side by side', async () => {
    const text = await cli('review', 'show', demoItem, '--store', store);
    expect(text.code).toBe(0);
    const view = JSON.parse((await cli('review', 'show', demoItem, '--store', store, '--json')).out);
    expect(text.out).toContain(`${view.item.a}  `);
    expect(text.out).toMatch(/first_name \* +\S+ +\S+ +(same|differs)/);
    expect(text.out).toContain(`name_postcode_dob scores the pair ${view.scoring.score} now (merges from 8):`);
    expect(view.fields.length).toBeGreaterThan(2);
    const missing = await cli('review', 'show', 'r_00000000000000000000', '--store', store);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no review item r_00000000000000000000');
  });

  it('decides an item once, with the actor, through a manual decision', async () => {
    const decided = await cli('review', 'decide', demoItem, 'keep-apart', '--store', store, '--actor', 'user:kim');
    expect(decided.err).toBe('');
    expect(decided.out).toMatch(new RegExp(`^${demoItem} decided: keep_apart by user:kim \\(commit \\d+: 0 merge`));
    const list = JSON.parse((await cli('review', 'list', '--store', store, '--status', 'decided', '--json')).out);
    expect(list.items).toMatchObject([{ id: demoItem, decision: { action: 'keep_apart', actor: 'user:kim' } }]);
    const again = await cli('review', 'decide', demoItem, 'link', '--store', store);
    expect(again.code).toBe(1);
    expect(again.err).toContain('[REVIEW_ITEM_DECIDED]');
    const wrong = await cli('review', 'decide', demoItem, 'merge', '--store', store);
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('must be link or keep-apart');
  });
});
