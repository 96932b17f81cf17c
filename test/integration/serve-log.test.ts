/**
 * `idgraph serve`'s log, read from the real process's standard output: one JSON line a request with
 * its route pattern, status and time, and no identifier a request carried, in its body or its URL,
 * whatever the answer (found, not found, refused, no such route).
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openEngine, storeOf } from '../support/engine.js';
import { startServe } from '../support/serve-child.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const KEY = 'serve-log-test-key-0123456789';
const EMAIL = 'lena.probe@example.org';
const PHONE_DIGITS = '7700900123';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

interface RequestLine {
  readonly reqId: string;
  readonly method: string;
  readonly route: string | null;
  readonly status: number;
  readonly ms: number;
  readonly msg: string;
  readonly level: number;
}

async function serveWithLog(env: Record<string, string> = {}) {
  const store = join(await tempDir(), 'store');
  const served = await startServe(['--store', store, '--rules', RULES], KEY, env);
  running.push(served.child);
  const call = async (method: string, path: string, body?: string, authorization = `Bearer ${KEY}`) => {
    const response = await fetch(`${served.url}${path}`, {
      method,
      headers: {
        authorization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    // An error's answer names its request; a success's does not.
    const answer = (await response.json()) as { requestId?: string };
    return { status: response.status, requestId: answer.requestId };
  };
  /**
   * Every line written, parsed, once `requests` request lines are out (the log is written without
   * waiting, so a line may follow its answer by a moment), and `also` holds: up to 10 s.
   */
  const logLines = async (
    requests: number,
    also: (lines: RequestLine[]) => boolean = () => true,
  ): Promise<RequestLine[]> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      // Whole lines only: the last may be half written.
      const lines = served
        .out()
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line) as RequestLine);
      const out = lines.filter((line) => line.msg === 'request').length >= requests && also(lines);
      if (out || Date.now() > deadline) return lines;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { served, call, logLines };
}

describe('the log of idgraph serve', () => {
  it('writes one line a request, with the route pattern, and never an identifier', async () => {
    const { served, call, logLines } = await serveWithLog();
    const record = { customer_id: 'LOG-1', email: EMAIL, phone: `+44${PHONE_DIGITS}`, first_name: 'Lena' };
    const answers = [
      await call('POST', '/v1/sources/crm/records', JSON.stringify({ records: [record] })),
      await call('POST', '/v1/lookup', JSON.stringify({ identifiers: [{ type: 'email', value: EMAIL }] })),
      await call('GET', `/v1/profiles/${encodeURIComponent(EMAIL)}`),
      await call('GET', `/v1/no-such-route/${encodeURIComponent(EMAIL)}`),
      await call(
        'POST',
        '/v1/lookup',
        JSON.stringify({ identifiers: [{ type: 'email', value: EMAIL, extra: EMAIL }] }),
      ),
      await call('POST', '/v1/sources/crm/records', `{"records": [{"email": "${EMAIL}"`),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 404, 400, 400]);

    const all = await logLines(answers.length);
    const lines = all.filter((line) => line.msg === 'request');
    // Besides the start-up line, nothing but the requests' lines: one each.
    expect(all.filter((line) => line.msg !== 'request').map((line) => line.msg.split(' at ')[0])).toEqual([
      'Server listening',
    ]);
    expect(lines.map((line) => [line.method, line.route, line.status])).toEqual([
      ['POST', '/v1/sources/:source/records', 200],
      ['POST', '/v1/lookup', 200],
      ['GET', '/v1/profiles/:id', 404],
      ['GET', null, 404],
      ['POST', '/v1/lookup', 400],
      ['POST', '/v1/sources/:source/records', 400],
    ]);
    // Each line is its own request's (an error's answer names it), timed, at info level.
    expect(new Set(lines.map((line) => line.reqId)).size).toBe(lines.length);
    expect(lines.slice(2).map((line) => line.reqId)).toEqual(answers.slice(2).map((answer) => answer.requestId));
    for (const line of lines) {
      expect(line.ms).toBeGreaterThanOrEqual(0);
      expect(line.level).toBe(30);
    }

    const everything = served.out() + served.log();
    for (const secret of [EMAIL, 'lena.probe', PHONE_DIGITS, 'Lena']) expect(everything).not.toContain(secret);
  });

  it("counts a tracking call's refused values by reason, never writing them", async () => {
    const writeKey = 'serve-log-write-key';
    const { served, call, logLines } = await serveWithLog({ IDGRAPH_SEGMENT_WRITE_KEYS: `${writeKey}:segment` });
    const identify = {
      messageId: 'log-msg-1',
      userId: 'user-lena-7',
      traits: { email: 'lena.probe@@example.org', phone: `+44${PHONE_DIGITS}`, firstName: 'Lena' },
    };
    const basic = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
    expect((await call('POST', '/segment/v1/identify', JSON.stringify(identify), basic)).status).toBe(200);

    const refused = (line: RequestLine) => line.msg === 'segment events dropped or values refused';
    const lines = await logLines(1, (all) => all.some(refused));
    expect(lines.filter((line) => line.msg === 'request').map((line) => [line.route, line.status])).toEqual([
      ['/segment/v1/identify', 200],
    ]);
    const warning = lines.find(refused) as RequestLine & { segment: { refusedValues: Record<string, number> } };
    expect(warning.level).toBe(40);
    expect(Object.values(warning.segment.refusedValues).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    const everything = served.out() + served.log();
    for (const secret of ['lena.probe', 'example.org', PHONE_DIGITS, 'user-lena-7', 'Lena']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('keeps only problems at IDGRAPH_LOG_LEVEL=warn', async () => {
    const { served, call } = await serveWithLog({ IDGRAPH_LOG_LEVEL: 'warn' });
    expect(
      (await call('POST', '/v1/lookup', JSON.stringify({ identifiers: [{ type: 'email', value: EMAIL }] }))).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(served.out()).toBe('');
  });
});

describe('the API log written to a file (as the benchmarks write it)', () => {
  it("writes a 5xx answer's line at error level, and the error's type but never its message", async () => {
    const folder = await tempDir();
    const file = join(folder, 'service.log');
    const engine = await openEngine(join(folder, 'store'));
    const app = await buildApp({
      engine,
      audiences: storeOf(engine),
      keys: [{ key: KEY, scope: 'admin' }],
      log: { level: 'info', file },
    });
    // An unexpected failure whose message quotes what it was given, as a library's error might.
    app.get('/v1/test-failure', async () => {
      throw new TypeError(`cannot read ${EMAIL}`);
    });
    try {
      const answer = await app.inject({
        method: 'GET',
        url: '/v1/test-failure',
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(answer.statusCode).toBe(500);
      expect(answer.body).not.toContain(EMAIL);

      // Written without waiting: read until the request's line is there, up to 10 s.
      const deadline = Date.now() + 10_000;
      let text = '';
      while (!text.includes('"msg":"request"') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        text = await readFile(file, 'utf8').catch(() => '');
      }
      const lines = text
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line) as RequestLine & { err?: { type?: string } });
      expect(lines.map((line) => [line.msg, line.level])).toEqual([
        ['request failed', 50],
        ['request', 50],
      ]);
      expect(lines[0]?.err?.type).toBe('TypeError');
      expect(lines[1]).toMatchObject({ method: 'GET', route: '/v1/test-failure', status: 500 });
      expect(text).not.toContain('lena.probe');
    } finally {
      await app.close();
      await storeOf(engine).close();
    }
  });
});
