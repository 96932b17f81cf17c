/**
 * Manual decisions worked out before anything is written: which earlier decisions a link or
 * never-link supersedes, when a link is nothing new, and when a split or an unmerge is refused (with
 * the code the CLI prints and the API maps to a status).
 */
import { describe, expect, it } from 'vitest';
import type { ProfileEvent } from '../../../src/core/resolve/events.js';
import type { Decision, MergeEdge } from '../../../src/core/resolve/types.js';
import {
  pairDecision,
  splitDraft,
  unmergeAnchor,
  unmergeDraft,
} from '../../../src/engine/decisions/decision-drafts.js';

const link = (id: string, a: string, b: string): Decision => ({ id, kind: 'force_link', a, b });
const apart = (id: string, sideA: string[], sideB: string[]): Decision => ({ id, kind: 'keep_apart', sideA, sideB });
const edge = (a: string, b: string, rule = 'email'): MergeEdge => ({ a, b, rule, evidence: [] });

function event(kind: ProfileEvent['kind'], evidence: MergeEdge[]): ProfileEvent {
  return {
    id: 'e7-1',
    kind,
    at: '2026-12-06T10:00:00.000Z',
    actor: 'engine',
    rulesVersion: 'r1',
    before: ['p1', 'p2'],
    after: ['p1'],
    records: [],
    evidence,
  };
}

describe('pairDecision', () => {
  it('links a pair and supersedes what kept those two apart, from either side, and nothing else', () => {
    const existing = [
      apart('d1', ['crm:1'], ['web:2']),
      apart('d2', ['web:2', 'app:9'], ['crm:1']),
      apart('d3', ['crm:1'], ['app:9']),
    ];
    expect(pairDecision(existing, 'link', 'crm:1', 'web:2', false)).toEqual({
      draft: { kind: 'force_link', a: 'crm:1', b: 'web:2' },
      superseded: ['d1', 'd2'],
    });
  });

  it('keeps a pair apart and supersedes a force-link of that pair in either order, not of another', () => {
    const existing = [link('d1', 'web:2', 'crm:1'), link('d2', 'crm:1', 'app:9')];
    expect(pairDecision(existing, 'keep_apart', 'crm:1', 'web:2', false)).toEqual({
      draft: { kind: 'keep_apart', sideA: ['crm:1'], sideB: ['web:2'] },
      superseded: ['d1'],
    });
  });

  it('writes nothing for a link of a pair already force-linked, unless it closes a review item', () => {
    const existing = [link('d1', 'web:2', 'crm:1')];
    expect(pairDecision(existing, 'link', 'crm:1', 'web:2', false)).toBeUndefined();
    expect(pairDecision(existing, 'link', 'crm:1', 'web:2', true)).toEqual({
      draft: { kind: 'force_link', a: 'crm:1', b: 'web:2' },
      superseded: [],
    });
  });

  it('writes a link of a force-linked pair that a later decision keeps apart, superseding that one', () => {
    const existing = [link('d1', 'crm:1', 'web:2'), apart('d2', ['web:2'], ['crm:1'])];
    expect(pairDecision(existing, 'link', 'crm:1', 'web:2', false)?.superseded).toEqual(['d2']);
  });
});

describe('splitDraft', () => {
  const profile = { id: 'p1', records: ['app:3', 'crm:1', 'web:2'] };

  it('keeps the named records apart from the rest of the profile, in a stable order', () => {
    expect(splitDraft(profile, ['web:2', 'app:3'])).toEqual({
      kind: 'keep_apart',
      sideA: ['app:3', 'web:2'],
      sideB: ['crm:1'],
    });
  });

  it('refuses a record the profile does not hold, naming it', () => {
    expect(() => splitDraft(profile, ['crm:1', 'pos:8'])).toThrow(
      expect.objectContaining({ code: 'RECORD_NOT_FOUND', message: 'pos:8 is not in profile p1' }),
    );
  });

  it('refuses a split with nothing on one side', () => {
    expect(() => splitDraft(profile, [])).toThrow(expect.objectContaining({ code: 'NOTHING_TO_SPLIT' }));
    expect(() => splitDraft(profile, [...profile.records])).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_SPLIT' }),
    );
  });
});

describe('unmergeDraft', () => {
  it('cuts the merge evidence and keeps the two sides it leaves apart, re-resolving the whole profile', () => {
    const merge = event('merge', [edge('crm:1', 'web:2')]);
    const profile = {
      records: ['app:3', 'crm:1', 'orders:4', 'web:2'],
      edges: [edge('crm:1', 'web:2'), edge('crm:1', 'orders:4'), edge('web:2', 'app:3', 'phone')],
    };
    expect(unmergeAnchor(merge)).toEqual(edge('crm:1', 'web:2'));
    expect(unmergeDraft(merge, unmergeAnchor(merge), profile)).toEqual({
      draft: { kind: 'keep_apart', sideA: ['crm:1', 'orders:4'], sideB: ['app:3', 'web:2'] },
      records: profile.records,
    });
  });

  it('refuses when other evidence still holds the two sides together', () => {
    const merge = event('records_added', [edge('crm:1', 'web:2')]);
    const profile = {
      records: ['app:3', 'crm:1', 'web:2'],
      edges: [edge('crm:1', 'web:2'), edge('crm:1', 'app:3'), edge('app:3', 'web:2', 'phone')],
    };
    expect(() => unmergeDraft(merge, unmergeAnchor(merge), profile)).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_SPLIT', message: expect.stringContaining('held together') }),
    );
  });

  it('refuses when the records are no longer in one profile', () => {
    expect(() => unmergeDraft(event('merge', [edge('crm:1', 'web:2')]), edge('crm:1', 'web:2'), undefined)).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_SPLIT', message: expect.stringContaining('no longer together') }),
    );
  });

  it('refuses an event that is not a merge, or one that records no evidence', () => {
    expect(() => unmergeAnchor(event('split', [edge('crm:1', 'web:2')]))).toThrow(
      expect.objectContaining({ code: 'NOT_A_MERGE', message: 'event e7-1 is a split, not a merge' }),
    );
    expect(() => unmergeAnchor(event('merge', []))).toThrow(expect.objectContaining({ code: 'NOT_A_MERGE' }));
  });
});
