// Tests stay quiet: a stray console call usually means a debugging leftover or, worse, a raw
// identifier about to reach a log. Code that must print takes an output stream instead.
import { beforeEach } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;

beforeEach(() => {
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      throw new Error(`console.${method} called in a test: ${args.map(String).join(' ').slice(0, 200)}`);
    };
  }
});
