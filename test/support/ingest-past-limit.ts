/**
 * Run by embedded-store-write-failure.test.ts under a file-size limit (`ulimit -f`): ingests three
 * batches into the store at argv[2], the middle one too large for the limit, and prints how each
 * ended. A write past the limit then fails part-way with EFBIG, as on a disk that fills up.
 */
import { openEngine, storeOf } from './engine.js';

// By default the signal ends the process; ignored, the write that passes the limit fails instead.
process.on('SIGXFSZ', () => undefined);

const folder = process.argv[2] as string;
const engine = await openEngine(folder);
const outcomes: { ok: boolean; code?: string }[] = [];
const batches = [
  [{ customer_id: 'before', email: 'ann.lee@shop.io' }],
  // Its raw field goes into the log entry whole (it is kept as read, though refused as a name).
  [{ customer_id: 'too-large', email: 'bo.sten@shop.io', first_name: 'x'.repeat(200_000) }],
  [{ customer_id: 'after', email: 'cy.diaz@shop.io' }],
];
for (const rows of batches) {
  try {
    await engine.ingest('crm', rows);
    outcomes.push({ ok: true });
  } catch (error) {
    outcomes.push({ ok: false, code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
  }
}
await storeOf(engine).close();
process.stdout.write(JSON.stringify(outcomes));
