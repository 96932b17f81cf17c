/** Wall time spent per phase of ingest, accumulated across commits, for benchmarks and summaries. */
export class PhaseTimings {
  readonly ms: Record<'parse' | 'normalize' | 'match' | 'write', number> = {
    parse: 0,
    normalize: 0,
    match: 0,
    write: 0,
  };

  measure<T>(phase: keyof PhaseTimings['ms'], work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.ms[phase] += performance.now() - start;
    }
  }

  async measureAsync<T>(phase: keyof PhaseTimings['ms'], work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.ms[phase] += performance.now() - start;
    }
  }
}
