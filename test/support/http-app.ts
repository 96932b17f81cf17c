/**
 * The HTTP API as the route tests use it: a real engine on a throw-away embedded store, the app built
 * with one key per scope, driven through fastify's inject.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../src/engine/engine.js';
import { type AppDeps, buildApp } from '../../src/http/app.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { openEngine, storeOf } from './engine.js';

export type Scope = 'admin' | 'read' | 'write' | 'report';

/** One API key per scope (each at least 20 characters, as the key parser wants). */
export const KEYS: Readonly<Record<Scope, string>> = {
  admin: 'admin-key-0123456789',
  read: 'read-key-0123456789a',
  write: 'write-key-0123456789',
  report: 'report-key-012345678',
};

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

export interface TestApp {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  readonly store: GraphStore;
  readonly folder: string;
  /** Sends a batch of one source's records through the API as the write key; fails unless 200. */
  ingest(source: string, records: readonly object[]): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions extends Partial<Omit<AppDeps, 'engine' | 'keys'>> {
  /** The scopes that get a key (all of them unless told). */
  readonly scopes?: readonly Scope[];
}

export async function openTestApp(name: string, options: TestAppOptions = {}): Promise<TestApp> {
  const { scopes = Object.keys(KEYS) as Scope[], ...deps } = options;
  const folder = await mkdtemp(join(tmpdir(), `idgraph-${name}-`));
  const engine = await openEngine(folder);
  const store = storeOf(engine);
  const app = await buildApp({
    audiences: store,
    ...deps,
    engine,
    keys: scopes.map((scope) => ({ key: KEYS[scope], scope })),
  });
  return {
    app,
    engine,
    store,
    folder,
    ingest: async (source, records) => {
      const response = await app.inject({
        method: 'POST',
        url: `/v1/sources/${source}/records`,
        headers: auth(KEYS.write),
        payload: { records },
      });
      if (response.statusCode !== 200)
        throw new Error(`ingest into ${source}: ${response.statusCode} ${response.body}`);
    },
    close: async () => {
      await app.close();
      await store.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
