/**
 * Serves the web console (built by `npm run build` into dist/console) at `/`. Its assets are files of
 * this package, never a CDN, so the console works offline; a Content-Security-Policy keeps the page
 * from loading or sending anything to another origin. The console itself talks only to /v1.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { registerHomeRoute } from './routes/home.js';

/** Where the build puts the console, seen from the compiled file (dist/http) and from the sources (src/http). */
const CANDIDATES = ['../console/', '../../dist/console/'].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export const CONSOLE_CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  // Chart.js and Cytoscape size their canvases through inline styles.
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function consoleAssetsFolder(): string | undefined {
  return CANDIDATES.find((folder) => existsSync(join(folder, 'index.html')));
}

export async function registerConsole(app: FastifyInstance, folder = consoleAssetsFolder()): Promise<void> {
  if (!folder || !existsSync(join(folder, 'index.html'))) {
    // Not built (a checkout without `npm run build`): the home page that leads to the API docs.
    registerHomeRoute(app);
    return;
  }
  await app.register(fastifyStatic, {
    root: folder,
    prefix: '/',
    // Only the files present at start-up get routes: anything else falls to the API's 404 answer.
    wildcard: false,
    index: ['index.html'],
    schemaHide: true,
    setHeaders: (response, path) => {
      response.header('content-security-policy', CONSOLE_CSP);
      response.header('x-content-type-options', 'nosniff');
      // Hashed asset names never change content; index.html must be revalidated to pick up a new build.
      response.header(
        'cache-control',
        path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
}
