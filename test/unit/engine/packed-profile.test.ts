/** The bulk path's profiles and creation events: their JSON, made from the edges' JSON, is the objects'. */
import { describe, expect, it } from 'vitest';
import type { MergeEdge } from '../../../src/core/resolve/types.js';
import { PackedProfile, ProfileCreatedEvent } from '../../../src/engine/bulk-load/packed-profile.js';

const edges: MergeEdge[] = [
  { a: 'crm:1', b: 'web:"2"', rule: 'email', evidence: [{ field: 'email', values: ['ann@x.io'] }] },
  {
    a: 'crm:1',
    b: 'app:3',
    rule: 'name_postcode_dob',
    evidence: [
      { field: 'first_name', values: ['ann', 'anne'], comparator: 'jaro_winkler', similarity: 0.953, weight: 4 },
    ],
    score: 9,
  },
];

describe('PackedProfile and ProfileCreatedEvent', () => {
  it('write the JSON of the plain profile and event', () => {
    const records = ['crm:1', 'web:"2"', 'app:3'];
    const profile = new PackedProfile('p_1', 7, records, JSON.stringify(edges), 'email');
    expect(profile.json).toBe(JSON.stringify({ id: 'p_1', seq: 7, records, edges }));
    expect(JSON.stringify(profile)).toBe(profile.json);
    expect(profile.edges).toEqual(edges);

    const event = new ProfileCreatedEvent('e3-1', '2026-12-01T10:00:00.000Z', 'v1', profile);
    const plain = {
      id: 'e3-1',
      kind: 'profile_created',
      at: '2026-12-01T10:00:00.000Z',
      actor: 'engine',
      rulesVersion: 'v1',
      before: [],
      after: ['p_1'],
      records,
      rule: 'email',
      evidence: edges,
    };
    expect(event.json).toBe(JSON.stringify(plain));
    expect(JSON.stringify(event)).toBe(event.json);
    expect(event.evidence).toEqual(edges);
  });

  it('leave the rule out of the event of a profile without edges', () => {
    const profile = new PackedProfile('p_2', 0, ['crm:9'], '[]', undefined);
    const event = new ProfileCreatedEvent('e1-1', '2026-12-01T10:00:00.000Z', 'v1', profile);
    expect(JSON.parse(event.json)).not.toHaveProperty('rule');
    expect(event.json).toBe(JSON.stringify(event.toJSON()));
    expect(profile.json).toBe('{"id":"p_2","seq":0,"records":["crm:9"],"edges":[]}');
  });
});
