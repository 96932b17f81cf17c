/**
 * The first hour, as the README tells it: on a copy of the project (what a fresh clone holds, with
 * the installed node_modules), `npm start` serves the demo data; then every `sh` block of the
 * README runs in order, as written, in one bash with `set -euo pipefail`, beside the running
 * service; then the `Example:` lines of every command's `--help` run on a fresh copy of the demo
 * store. A block that fails names its line and shows the output.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { readEnv } from '../../src/config/env.js';
import { cli } from '../support/capture-io.js';
import { freePort } from '../support/free-port.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What a clone holds that the examples use (`npm start` builds the console too; tests are not needed). */
const COPIED = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md'];
const COPIED_FOLDERS = [
  'bin',
  'src',
  'console',
  'scripts',
  'rules',
  'graph/migrations',
  'bench/rules',
  'bench/datasets/febrl',
];
const KEY = 'readme-walkthrough-key-0001';
const WRITE_KEY = 'readme-walkthrough-write-key';

let project: string;
let port: number;
let service: ChildProcess | undefined;
let serviceLog = '';

/** The README's `sh` blocks, each with the line it starts on. */
function shellBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let at = 0; at < lines.length; at++) {
    if (lines[at] !== '```sh') continue;
    const start = at + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    at = end;
  }
  return blocks;
}

async function bash(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string = project,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], { cwd, env, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'idgraph-readme-'));
  for (const file of COPIED) await cp(join(ROOT, file), join(project, file));
  for (const folder of COPIED_FOLDERS) {
    await mkdir(join(project, folder, '..'), { recursive: true });
    await cp(join(ROOT, folder), join(project, folder), { recursive: true });
  }
  await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'));
  port = await freePort();
  // `npm start` as the README says (its prestart builds dist/ in the copy), with the README's keys.
  service = spawn('npm', ['start'], {
    cwd: project,
    env: {
      ...process.env,
      KEY,
      WRITE_KEY,
      IDGRAPH_API_KEYS: `${KEY}:admin`,
      IDGRAPH_SEGMENT_WRITE_KEYS: `${WRITE_KEY}:segment`,
      PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    service?.stderr?.on('data', (chunk: Buffer) => {
      serviceLog += chunk.toString();
      if (serviceLog.includes('idgraph API on')) resolve();
    });
    service?.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${serviceLog}`)));
  });
}, 240_000);

afterAll(async () => {
  // npm start runs node under npm: end the whole group.
  if (service?.pid) process.kill(-service.pid, 'SIGTERM');
  await rm(project, { recursive: true, force: true });
});

describe('the README', () => {
  it('runs every sh block as written, in order, beside the service npm start runs', async () => {
    const readme = await readFile(join(project, 'README.md'), 'utf8');
    const blocks = shellBlocks(readme);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const env = freshEnv({ KEY, WRITE_KEY, PORT: String(port) });
    let script = '';
    for (const block of blocks) {
      // Each block appended to the ones before, so `export` lines carry on as in one terminal.
      script += `\n${block.code}`;
      const { code, output } = await bash(script, env);
      expect(code, `README.md block at line ${block.line} failed:\n${output.slice(-4000)}`).toBe(0);
      if (block.code.includes('curl')) expect(output).toMatch(/"profileId":"p_7761a780711df4bf24a0"/);
      // A tracking call answers as Segment's API does.
      if (block.code.includes('/segment/v1/')) expect(output).toContain('{"success":true}');
      // The next run repeats the blocks before it: keep only their exports and reruns that are safe.
      script = exportsOf(script);
    }
    // The load went to a store of its own: the demo store the service holds was not mixed with it.
    const demo = await bash('npx idgraph export records --store .idgraph/store | wc -l', env);
    const mine = await bash('npx idgraph export records --store .idgraph/mine | wc -l', env);
    expect(Number(demo.output.trim())).toBeGreaterThan(6000);
    expect(Number(mine.output.trim())).toBeLessThan(Number(demo.output.trim()) * 3);
    expect(demo.output.trim()).not.toBe(mine.output.trim());
  }, 600_000);

  it('runs every --help example as written, each on a copy of the demo store with the files it names', async () => {
    const examples = await helpExamples();
    expect(examples.length).toBeGreaterThanOrEqual(11);
    // `idgraph` as an installed command: the copy's bin on the PATH.
    const shims = join(project, '.shims');
    await mkdir(shims, { recursive: true });
    await symlink(join(project, 'bin', 'idgraph.js'), join(shims, 'idgraph'));
    await chmod(join(project, 'bin', 'idgraph.js'), 0o755);
    const env = freshEnv({ PATH: `${shims}:${process.env.PATH}` });
    const data = join(project, '.example-data');
    expect((await bash(`idgraph synth --out ${data} --people 300 --seed 3`, env)).code).toBe(0);
    let ran = 0;
    for (const [index, { command, example }] of examples.entries()) {
      if (NEEDS_NEO4J.has(command)) continue;
      const work = join(project, `.example-${index}`);
      await mkdir(join(work, '.idgraph'), { recursive: true });
      // The demo store npm start filled, without the lock of the service that holds it.
      await cp(join(project, '.idgraph', 'store'), join(work, '.idgraph', 'store'), {
        recursive: true,
        filter: (source) => !source.endsWith('LOCK'),
      });
      for (const name of ['rules', 'bench']) await symlink(join(project, name), join(work, name));
      for (const source of ['crm', 'web', 'app', 'orders']) {
        await cp(join(data, `${source}.ndjson`), join(work, `${source}.ndjson`));
      }
      const premise = PREMISES[command] ?? '';
      const setup = await bash(premise, env, work);
      expect(setup.code, `premise of ${command}: ${setup.output.slice(-2000)}`).toBe(0);
      for (const line of example.split('\n')) {
        const { code, output } = await bash(line, env, work);
        const refusal = REFUSALS[line];
        expect(code, `\`idgraph ${command} --help\` example failed: ${line}\n${output.slice(-3000)}`).toBe(
          refusal ? 1 : 0,
        );
        if (refusal) expect(output).toContain(refusal);
      }
      ran++;
    }
    expect(ran).toBe(examples.length - examples.filter(({ command }) => NEEDS_NEO4J.has(command)).length);
  }, 600_000);
});

/** Every command's `--help`, with the `Example:`/`Examples:` block after it. */
async function helpExamples(): Promise<{ command: string; example: string }[]> {
  const found: { command: string; example: string }[] = [];
  const program = buildProgram({ out: () => undefined, err: () => undefined, env: readEnv() });
  const visit = async (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      const subPath = [...path, sub.name()];
      const help = await cli(...subPath, '--help');
      const lines = help.out.split('\n');
      for (let at = 0; at < lines.length; at++) {
        if (!/^Examples?\b.*:$/.test(lines[at] as string)) continue;
        // The lines of one Examples block run in order, in one folder (synth, then ingest what it wrote).
        const block: string[] = [];
        for (let next = at + 1; lines[next]?.startsWith('  idgraph '); next++)
          block.push((lines[next] as string).trim());
        if (block.length > 0) found.push({ command: subPath.join(' '), example: block.join('\n') });
      }
      await visit(sub, subPath);
    }
  };
  await visit(program, []);
  return found;
}

/** What an example takes for granted besides the demo store: files and audiences it names. */
const PREMISES: Record<string, string> = {
  'audience create': [
    'idgraph export records | head -201 | cut -d, -f1,2 > members.csv',
    "idgraph export records | sed -n '1p;202,301p' | cut -d, -f1,2 > buyers.csv",
    'idgraph audience create recent-buyers --from buyers.csv',
  ].join('\n'),
};
/** Example lines that show a refusal: they exit 1 with this reason, as their help text says. */
const REFUSALS: Record<string, string> = {
  'idgraph normalize device_id 00000000-0000-0000-0000-000000000000': '"reason":"MAID_ZEROED"',
};
/** Examples that need a server these tests do not start. */
const NEEDS_NEO4J = new Set(['graph migrate']);

/** The environment of a new terminal: no store or rules chosen beforehand. */
function freshEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.IDGRAPH_STORE;
  delete env.IDGRAPH_RULES;
  return env;
}

/** The `export NAME=...` lines of a script: what the next block needs of the ones before. */
function exportsOf(script: string): string {
  return script
    .split('\n')
    .filter((line) => /^export [A-Z_]+=/.test(line))
    .join('\n');
}
