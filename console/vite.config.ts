import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The console is built into the package's dist/, which `idgraph serve` serves at `/`.
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  // `npm run console:dev`: the API of a local `idgraph serve` answers /v1 behind the dev server.
  server: { proxy: { '/v1': process.env.IDGRAPH_API ?? 'http://127.0.0.1:8080' } },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: here('../dist/console'),
    emptyOutDir: true,
    // Charts and the graph are loaded only on the pages that draw them.
    chunkSizeWarningLimit: 600,
    reportCompressedSize: true,
  },
});
