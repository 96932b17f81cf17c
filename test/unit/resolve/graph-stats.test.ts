import { describe, expect, it } from 'vitest';
import { GraphStatsBuilder } from '../../../src/core/profile/graph-stats.js';

const edge = (rule: string) => ({ a: 'x', b: 'y', rule, evidence: [] });

describe('GraphStatsBuilder', () => {
  it('buckets profile sizes, counts merges per rule and keeps the largest profiles', () => {
    const builder = new GraphStatsBuilder(2);
    builder.add({ id: 'p1', records: ['a'], edges: [] });
    builder.add({ id: 'p2', records: ['b', 'c', 'd'], edges: [edge('email'), edge('email')] });
    builder.add({ id: 'p3', records: Array.from({ length: 12 }, (_, i) => `r${i}`), edges: [edge('phone')] });
    builder.add({ id: 'p4', records: ['e', 'f'], edges: [edge('device_id')] });
    expect(builder.build(5)).toEqual({
      records: 18,
      profiles: 4,
      sharedIdentifiers: 5,
      sizeDistribution: { '1': 1, '2': 1, '3-5': 1, '6-10': 0, '11-50': 1, '51-200': 0, '201+': 0 },
      mergesPerRule: { email: 2, phone: 1, device_id: 1 },
      largestProfiles: [
        { profileId: 'p3', records: 12 },
        { profileId: 'p2', records: 3 },
      ],
    });
  });
});
