/**
 * Splink beside idgraph in the accuracy bench (see bench/splink/README.md): the Python virtual
 * environment Splink runs in, made on first use and reused while it holds the pinned version, and one
 * Splink run per dataset, its clusters keyed as the truth files key records (source:recordId).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = (path: string) => new URL(path, import.meta.url).pathname;

const VENV = here('.venv-splink');
const PYTHON = join(VENV, 'bin', 'python');
const REQUIREMENTS = here('splink/requirements.txt');
const SCRIPT = here('splink/run_splink.py');

/** Pairs at or above this match probability are linked, then clustered by connected components. */
export const SPLINK_THRESHOLD = 0.9;

export interface SplinkModel {
  /** A module of bench/splink/models. */
  readonly model: 'febrl' | 'fake_1000' | 'senzing';
  readonly linkType: 'dedupe_only' | 'link_only' | 'link_and_dedupe';
}

export type SplinkSetup =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly reason: string };

export type SplinkClusters =
  | { readonly ok: true; readonly clusters: Map<string, string>; readonly seconds: number }
  | { readonly ok: false; readonly reason: string };

/** The venv with the pinned Splink, made (python3 -m venv, pip install) when missing or outdated. */
export async function setUpSplink(): Promise<SplinkSetup> {
  const pinned = pinnedVersion();
  if (!pinned) return { ok: false, reason: `${REQUIREMENTS} pins no splink==VERSION` };
  if ((await installedVersion()) === pinned) return { ok: true, version: pinned };
  try {
    if (!existsSync(PYTHON)) await run('python3', ['-m', 'venv', VENV]);
    await run(
      PYTHON,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS],
      // pip resolves and downloads Splink's dependencies (DuckDB, pandas...) on the first run.
      { timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    return { ok: false, reason: failure(error) };
  }
  const installed = await installedVersion();
  if (installed === pinned) return { ok: true, version: pinned };
  return { ok: false, reason: `pip finished but the venv holds splink ${installed ?? 'none'}, not ${pinned}` };
}

/** Splink's clusters for the dataset's files, keyed source:recordId, or why it could not run. */
export async function runSplink(
  files: readonly { readonly source: string; readonly file: string }[],
  model: SplinkModel,
): Promise<SplinkClusters> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-splink-'));
  const out = join(folder, 'clusters.csv');
  const started = performance.now();
  try {
    await run(
      PYTHON,
      [
        SCRIPT,
        ...['--model', model.model, '--link-type', model.linkType],
        ...['--threshold', String(SPLINK_THRESHOLD), '--out', out],
        ...files.map(({ source, file }) => `${source}=${file}`),
      ],
      // Splink logs each training step to stderr; it is shown only when the run fails.
      { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const seconds = (performance.now() - started) / 1000;
    return { ok: true, clusters: readClusters(out, await readFile(out, 'utf8')), seconds };
  } catch (error) {
    return { ok: false, reason: failure(error) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** source,record_id,cluster_id lines as a map from source:recordId to the cluster. */
function readClusters(path: string, text: string): Map<string, string> {
  const clusters = new Map<string, string>();
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== 'source,record_id,cluster_id')
    throw new Error(`${path}:1: expected the header source,record_id,cluster_id`);
  for (const [index, line] of lines.slice(1).entries()) {
    const fields = line.split(',');
    if (fields.length !== 3) throw new Error(`${path}:${index + 2}: expected 3 fields, found ${fields.length}`);
    const [source, recordId, cluster] = fields as [string, string, string];
    clusters.set(`${source}:${recordId}`, cluster);
  }
  return clusters;
}

function pinnedVersion(): string | undefined {
  return /^splink==(\S+)$/m.exec(readFileSync(REQUIREMENTS, 'utf8'))?.[1];
}

async function installedVersion(): Promise<string | undefined> {
  if (!existsSync(PYTHON)) return undefined;
  try {
    const { stdout } = await run(PYTHON, ['-c', 'import splink; print(splink.__version__)']);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** The last lines a failed command wrote (its own error, not Python's whole traceback, cut to one
 * screen line or so), or the error's message (spawn python3 ENOENT, a timeout). */
function failure(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr?.trim();
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const reason = stderr ? stderr.split('\n').slice(-3).join(' | ') : (message ?? 'unknown error');
  return reason.length > 300 ? `${reason.slice(0, 300)}...` : reason;
}
