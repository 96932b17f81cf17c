/**
 * Whole profiles erased one commit at a time through the engine, as `idgraph erase` and
 * `POST /v1/erasures` do, each timed from the call to its durable commit. Shared by the erasure
 * benchmarks of both stores (erasure-embedded.ts, erasure-neo4j.ts). An erasure holds the
 * single-writer commit, so every other write waits as long as it takes.
 */
import type { Engine } from '../src/engine/engine.js';

export interface ErasureTimes {
  /** The first erasure, which also reads what the engine needs to start (term counts). */
  readonly firstMs: number;
  /** The others, fastest first. */
  readonly ms: readonly number[];
  /** Records the timed erasures removed. */
  readonly records: number;
}

export async function timeErasures(engine: Engine, profileIds: readonly string[]): Promise<ErasureTimes> {
  const ms: number[] = [];
  let records = 0;
  let firstMs = 0;
  for (const [index, id] of profileIds.entries()) {
    const started = performance.now();
    const erased = await engine.erase([id], { actor: 'bench' });
    const took = performance.now() - started;
    if (index === 0) {
      firstMs = took;
      continue;
    }
    ms.push(took);
    records += erased.erasedRecords;
  }
  ms.sort((a, b) => a - b);
  return { firstMs, ms, records };
}

/** `median 176 ms, slowest 1283 ms over 20 profiles (44 records); the first, ..., 5590 ms`. */
export function describeErasures({ firstMs, ms, records }: ErasureTimes): string {
  const round = (value: number | undefined) => (value ?? 0).toFixed(0);
  return (
    `median ${round(ms[Math.floor(ms.length / 2)])} ms, slowest ${round(ms.at(-1))} ms over ${ms.length} profiles ` +
    `(${records} records); the first, with the engine's start-up reads, ${round(firstMs)} ms`
  );
}
