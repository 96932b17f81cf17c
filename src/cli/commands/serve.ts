import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { audienceFolder } from '../../audience/audience-service.js';
import { DestinationSettingsError, loadDestinationCatalog } from '../../audience/destination-settings-file.js';
import type { Env } from '../../config/env.js';
import { Engine } from '../../engine/engine.js';
import { loadRulesText } from '../../engine/rules/load-rules.js';
import type { LoadedRules } from '../../engine/rules/loaded-rules.js';
import { type ApiKey, parseApiKeys } from '../../http/api-keys.js';
import { serve } from '../../http/server.js';
import { describeStore } from '../../store/open-store.js';
import type { WriteKeySource } from '../../tracking/write-keys.js';
import { readRulesFile, withStore } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { loadDemoData } from './quickstart.js';

const DEFAULT_RULES = new URL('../../../rules/default.yaml', import.meta.url).pathname;

interface ServeFlags {
  store?: string;
  rules?: string;
  port?: number;
  host?: string;
  demo?: boolean;
  destinations?: string;
}

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Run the HTTP API (routes under /v1, OpenAPI at /openapi.json, docs at /docs).')
    .option('--store <spec>', 'embedded store folder (default: IDGRAPH_STORE or .idgraph/store)')
    .option('--rules <file>', 'rules for an empty store (default: the stored rules, else rules/default.yaml)')
    .option('--port <n>', 'port (default: PORT or 8080)', parsePositiveInt)
    .option('--host <host>', 'interface (default: HOST or 127.0.0.1)')
    .option('--demo', 'load demo data first when the store is empty')
    .option('--destinations <file>', 'destination settings: priors, minimums (default: IDGRAPH_DESTINATIONS)')
    .addHelpText(
      'after',
      '\nAPI keys: IDGRAPH_API_KEYS="key:scope,..." or IDGRAPH_API_KEYS_FILE (scopes read, write, admin, report);\n' +
        'a key has at least 16 characters. Without any, one admin key is generated for this run and printed here.\n' +
        'Segment-spec tracking calls (POST /segment/v1/identify, track, page, screen, group, alias, batch):\n' +
        'IDGRAPH_SEGMENT_WRITE_KEYS="writeKey:source,..." names the source of the rules each write key\'s events go to\n' +
        '(rules/default.yaml has one, segment, keyed by messageId).\n' +
        'GET / links the interactive docs (/docs) and the OpenAPI document (/openapi.json).\n' +
        "Read cache: IDGRAPH_READ_CACHE_ENTRIES (default 50000, 0 turns it off); other instances' writes on one\n" +
        'Neo4j graph are seen within IDGRAPH_READ_CACHE_POLL_MS (default 100), or at once by a read sending the\n' +
        "Idgraph-Consistency header of the write's answer (waited for up to IDGRAPH_CONSISTENCY_WAIT_MS, default 5000).\n" +
        'While it runs, CLI reads (lookup, profile, history, explain, export) work on the same embedded store;\n' +
        'writes go through the API, or wait until the service is stopped.',
    )
    .action(async (options: ServeFlags) => {
      const { env } = io;
      const keys = await apiKeys(env, io);
      const destinations = await loadDestinationCatalog(options.destinations ?? env.IDGRAPH_DESTINATIONS).catch(
        (error: unknown) => {
          if (error instanceof DestinationSettingsError) throw new CliError(`${error.message} [${error.code}]`, 1);
          throw error;
        },
      );
      await withStore(options, io, async (store) => {
        const stored = await store.currentRules();
        const rules = options.rules
          ? await readRulesFile(options.rules, io)
          : stored
            ? readRulesFromStored(stored.text, io)
            : await readRulesFile(DEFAULT_RULES, io);
        const segmentWriteKeys = env.IDGRAPH_SEGMENT_WRITE_KEYS ?? [];
        requireTrackingSources(segmentWriteKeys, rules);
        const engine = new Engine(store, rules);
        if (options.demo && (await store.lastCommit()) === 0) await loadDemoData(engine, io);
        await serve({
          engine,
          keys,
          audiences: store,
          audienceWork: join(audienceFolder(options.store ?? env.IDGRAPH_STORE), '.work'),
          destinations,
          port: options.port ?? env.PORT ?? 8080,
          host: options.host ?? env.HOST ?? '127.0.0.1',
          log: { level: env.IDGRAPH_LOG_LEVEL },
          ...(env.IDGRAPH_RATE_LIMIT ? { rateLimitPerMinute: env.IDGRAPH_RATE_LIMIT } : {}),
          segmentWriteKeys,
          readCache: {
            ...(env.IDGRAPH_READ_CACHE_ENTRIES === undefined ? {} : { entries: env.IDGRAPH_READ_CACHE_ENTRIES }),
            ...(env.IDGRAPH_READ_CACHE_POLL_MS === undefined ? {} : { pollMs: env.IDGRAPH_READ_CACHE_POLL_MS }),
            ...(env.IDGRAPH_CONSISTENCY_WAIT_MS === undefined ? {} : { waitMs: env.IDGRAPH_CONSISTENCY_WAIT_MS }),
          },
          onShutdown: () => store.close(),
          onListening: (address) =>
            io.err(
              `idgraph API on ${address} (${describeStore(options.store ?? env.IDGRAPH_STORE)}); docs at ${address}/docs\n`,
            ),
        });
      });
    });
}

/** Each write key's source must be in the rules, keyed by messageId: else its events could not be recorded. */
function requireTrackingSources(keys: readonly WriteKeySource[], rules: LoadedRules): void {
  for (const source of new Set(keys.map((key) => key.source))) {
    const config = rules.file.sources[source];
    if (!config) {
      throw new CliError(
        `IDGRAPH_SEGMENT_WRITE_KEYS: no source "${source}" in the rules (sources: ${Object.keys(rules.file.sources).join(', ')})`,
        2,
      );
    }
    if (config.key !== 'messageId') {
      throw new CliError(
        `IDGRAPH_SEGMENT_WRITE_KEYS: source "${source}" must have key: messageId to take Segment events (it has ${config.key})`,
        2,
      );
    }
  }
}

function readRulesFromStored(text: string, io: CliIo): LoadedRules {
  const loaded = loadRulesText(text, 'stored rules');
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.err(`${problem}\n`);
    throw new CliError('the rules stored with the graph are invalid', 1);
  }
  return loaded.rules;
}

async function apiKeys(env: Env, io: CliIo): Promise<ApiKey[]> {
  try {
    const text = [
      env.IDGRAPH_API_KEYS ?? '',
      env.IDGRAPH_API_KEYS_FILE ? await readFile(env.IDGRAPH_API_KEYS_FILE, 'utf8') : '',
    ]
      .filter(Boolean)
      .join('\n');
    if (text.trim() !== '') return parseApiKeys(text);
  } catch (error) {
    throw new CliError(`API keys: ${(error as Error).message}`, 2);
  }
  const key = randomBytes(24).toString('base64url');
  io.err(`no API keys configured: this run's admin key is ${key}\n(set IDGRAPH_API_KEYS to choose your own)\n`);
  return [{ key, scope: 'admin' }];
}
