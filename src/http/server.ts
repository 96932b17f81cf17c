/** Runs the API on a port until SIGINT/SIGTERM, then drains requests and closes the store. */
import closeWithGrace from 'close-with-grace';
import type { DestinationCatalog } from '../audience/destination-settings-file.js';
import type { Engine } from '../engine/engine.js';
import type { AudienceStorage } from '../store/graph-store.js';
import type { WriteKeySource } from '../tracking/write-keys.js';
import type { ApiKey } from './api-keys.js';
import { buildApp, type ReadCacheSettings } from './app.js';
import type { LogSettings } from './request-log.js';

export interface ServeOptions {
  readonly engine: Engine;
  readonly keys: readonly ApiKey[];
  /** The store's audiences (the store itself): every instance on one graph shares them. */
  readonly audiences: AudienceStorage;
  /** Where reports on large audiences write their working files. */
  readonly audienceWork?: string;
  readonly destinations: DestinationCatalog;
  readonly rateLimitPerMinute?: number;
  readonly segmentWriteKeys?: readonly WriteKeySource[];
  readonly readCache?: Partial<ReadCacheSettings>;
  /** The request and error log: level, and a file instead of standard output. */
  readonly log: LogSettings;
  readonly port: number;
  readonly host: string;
  readonly onListening: (address: string) => void;
  /** Runs after the server stopped taking requests, before the process exits (close the store). */
  readonly onShutdown: () => Promise<void>;
}

/** Resolves when the server has shut down. */
export async function serve(options: ServeOptions): Promise<void> {
  const app = await buildApp({
    engine: options.engine,
    keys: options.keys,
    audiences: options.audiences,
    ...(options.audienceWork ? { audienceWork: options.audienceWork } : {}),
    destinations: options.destinations,
    log: options.log,
    ...(options.rateLimitPerMinute ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
    ...(options.segmentWriteKeys ? { segmentWriteKeys: options.segmentWriteKeys } : {}),
    ...(options.readCache ? { readCache: options.readCache } : {}),
  });
  const address = await app.listen({ port: options.port, host: options.host });
  options.onListening(address);
  await new Promise<void>((resolve) => {
    closeWithGrace({ delay: 10_000 }, async ({ err }) => {
      if (err) app.log.error({ err: { type: err.name } }, 'shutting down after an error');
      await app.close();
      await options.onShutdown();
      resolve();
    });
  });
}
