/**
 * What operators watch, at `GET /metrics` in the Prometheus text format: requests and their latency
 * per route, commits and their latency, records written, profile events (merges, splits) per rule,
 * the read cache's hits, misses and drops, and, read from the store at each scrape, the last commit and
 * the number of shared values; with Node's own process metrics. Labels are route patterns and rule names, never a value a client sent.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import type { ReadSide } from '../queries/read-side.js';
import type { CommitCache } from '../store/read-cache/commit-cache.js';

/** Seconds: from a cached lookup (about a millisecond) to a large commit on Neo4j. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function registerMetrics(app: FastifyInstance, engine: Engine, read: () => ReadSide, cache: CommitCache): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'idgraph_' });

  const requests = new Counter({
    name: 'idgraph_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'idgraph_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const commits = new Counter({
    name: 'idgraph_commits_total',
    help: 'Commits this instance wrote (ingest batches, decisions, rules changes, erasures).',
    registers: [registry],
  });
  const commitLatency = new Histogram({
    name: 'idgraph_commit_duration_seconds',
    help: 'Time to write a commit durably to the store.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const records = new Counter({
    name: 'idgraph_records_written_total',
    help: 'Records written by this instance (new or changed).',
    registers: [registry],
  });
  const events = new Counter({
    name: 'idgraph_profile_events_total',
    help: 'Profile events this instance committed, by kind (merge, split, ...) and rule.',
    labelNames: ['kind', 'rule'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'idgraph_store_last_commit',
    help: 'The last commit in the store (all instances together).',
    registers: [registry],
    async collect() {
      this.set(await read().store.lastCommit());
    },
  });
  new Gauge({
    name: 'idgraph_shared_identifiers',
    help: 'Identifier values found shared by several people (no longer merge evidence).',
    registers: [registry],
    async collect() {
      this.set(await read().store.sharedCount());
    },
  });

  // The read cache keeps its own counts (it is in the way of every lookup): read at each scrape.
  const cacheCounter = (name: string, help: string, count: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(count());
      },
    });
  cacheCounter(
    'idgraph_read_cache_hits_total',
    'Hot reads (lookups, profiles, records) answered from the read cache.',
    () => cache.counts.hits,
  );
  cacheCounter(
    'idgraph_read_cache_misses_total',
    'Hot reads the read cache did not hold, read from the store.',
    () => cache.counts.misses,
  );
  cacheCounter(
    'idgraph_read_cache_drops_total',
    'Times the commit moved (this instance or another wrote) and the cached answers of the one before were dropped.',
    () => cache.counts.drops,
  );
  new Gauge({
    name: 'idgraph_read_cache_entries',
    help: 'Answers the read cache holds now.',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: 'idgraph_read_cache_commit',
    help: 'The latest commit this instance has seen (its own commits, and the poll of the commit counter).',
    registers: [registry],
    collect() {
      this.set(cache.commit);
    },
  });

  engine.onCommit((commit) => {
    commits.inc();
    commitLatency.observe(commit.seconds);
    records.inc(commit.records);
    for (const event of commit.events) events.inc({ kind: event.kind, rule: event.rule ?? 'none' });
  });

  // Each request's series looked up by a string key: prom-client's own lookup sorts and joins the
  // label names at every call, a cost paid on every request. Route patterns, methods and status
  // codes are few, so the maps stay small.
  const requestSeries = new Map<string, { inc(): void }>();
  const latencySeries = new Map<string, { observe(seconds: number): void }>();
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, so /v1/profiles/p_1 and /v1/profiles/p_2 count as one route.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    const routeKey = `${request.method} ${route}`;
    remembered(requestSeries, `${routeKey} ${status}`, () => requests.labels(request.method, route, status)).inc();
    remembered(latencySeries, routeKey, () => latency.labels(request.method, route)).observe(reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Metrics in the Prometheus text format: requests, commits, profile events, store figures.',
        tags: ['service'],
        description: 'Text exposition format 0.0.4; no API key needed (labels hold no identifiers).',
        security: [],
        response: {
          200: {
            description: 'The metrics, one sample per line.',
            content: { 'text/plain': { schema: z.string() } },
          },
        },
      },
      // The answer is text as prom-client writes it, not JSON to serialize.
      serializerCompiler: () => (payload) => String(payload),
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}

/** The value `key` has in `map`, made and kept the first time it is asked for. */
function remembered<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
