/**
 * `GET /`: a small page that leads to the API's documentation, so a browser pointed at the service
 * finds something. Kept apart so that a console served at `/` can replace it.
 */
import type { FastifyInstance } from 'fastify';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>idgraph API</title></head>
<body>
<h1>idgraph API</h1>
<ul>
<li><a href="docs">Interactive API documentation</a> (/docs)</li>
<li><a href="openapi.json">OpenAPI document</a> (/openapi.json)</li>
<li><a href="v1/health">Health</a> (/v1/health)</li>
</ul>
<p>Every route under /v1 but the health check needs <code>Authorization: Bearer &lt;key&gt;</code>.</p>
</body>
</html>
`;

export function registerHomeRoute(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
}
