/**
 * Audience members in Neo4j (BENCH_ONLY=audience-neo4j; BENCH_AUDIENCE_NEO4J_MEMBERS, default
 * 1,000,000): a member file's worth of raw-identifier rows written as chunk nodes, streamed back in
 * order, replaced whole, and an erasure of ten rows, each timed, on the launcher's server (2 GB heap).
 * NEO4J_URI points at another server instead.
 */
import os from 'node:os';
import type { AudienceMember } from '../src/core/audience/members.js';
import { Neo4jStore } from '../src/store/neo4j/neo4j-store.js';
import { startNeo4j } from '../test/support/neo4j-server.js';
import { report } from './support.js';

function* members(count: number, tag: string): Iterable<AudienceMember> {
  for (let line = 1; line <= count; line++) {
    yield {
      kind: 'identifiers',
      line,
      values: { email: `person.${tag}${line}@example.com`, phone: `+4477009${line}` },
    };
  }
}

const definition = (rows: number) => ({
  id: 'bench',
  name: 'Benchmark audience',
  createdAt: new Date().toISOString(),
  suppress: [],
  rows,
  rowsRejected: 0,
  rejectedByReason: {},
});

export async function benchAudienceNeo4j(count: number): Promise<void> {
  const server = await startNeo4j({ heap: '2g', pageCacheMb: 1024 });
  const store = await Neo4jStore.open({
    uri: server.uri,
    user: process.env.NEO4J_USER,
    password: process.env.NEO4J_PASSWORD,
    database: process.env.NEO4J_DATABASE ?? 'neo4j',
  });
  const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
  const load = () => `load ${os.loadavg()[0]?.toFixed(1)}`;
  try {
    let started = performance.now();
    await store.putAudience(definition(count), members(count, 'a'), { replace: false });
    report(`audience in Neo4j: ${count.toLocaleString('en-US')} members written in ${seconds(started)} s (${load()})`);

    started = performance.now();
    let read = 0;
    let last = 0;
    for await (const batch of store.audienceMembers('bench')) {
      for (const member of batch) {
        if (member.line !== last + 1) throw new Error(`member ${member.line} after ${last}`);
        last = member.line;
      }
      read += batch.length;
    }
    report(
      `audience in Neo4j: ${read.toLocaleString('en-US')} members streamed back in order in ${seconds(started)} s`,
    );

    started = performance.now();
    await store.putAudience(definition(count), members(count, 'b'), { replace: true });
    report(
      `audience in Neo4j: replaced whole (write, switch, old chunks deleted) in ${seconds(started)} s (${load()})`,
    );

    started = performance.now();
    const lines = new Set(Array.from({ length: 10 }, (_, n) => 1 + Math.floor((n * count) / 10)));
    const dropped = await store.dropAudienceRows('bench', lines);
    report(`audience in Neo4j: erasure of ${dropped} rows (scan, rewrite their chunks) in ${seconds(started)} s`);
  } finally {
    await store.close();
    await server.stop();
  }
}
