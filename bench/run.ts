/**
 * `npm run bench`: prints the figures the README and issue notes quote. BENCH_RECORDS sets the
 * ingest size (default 1,000,000); BENCH_ONLY=ingest|accuracy runs one part.
 */
import { benchIngest, cleanup } from './ingest.js';
import { report } from './support.js';

const records = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const only = process.env.BENCH_ONLY;

report(`idgraph benchmarks on node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
if (!only || only === 'ingest') {
  const { folder } = await benchIngest(records);
  await cleanup(folder);
}
