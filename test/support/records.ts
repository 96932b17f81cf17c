import type { PreparedRecord } from '../../src/core/resolve/types.js';

/** Builds a prepared record for core tests: identifiers as `type=key`, attributes by name. */
export function record(
  ref: string,
  identifiers: readonly string[],
  attributes: Record<string, string> = {},
  ts = 0,
): PreparedRecord {
  const colon = ref.indexOf(':');
  return {
    ref,
    source: ref.slice(0, colon),
    recordId: ref.slice(colon + 1),
    ts,
    identifiers: identifiers.map((text) => {
      const [type, key] = text.split('=') as [string, string];
      return { type, key, value: key };
    }),
    attributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { key: value, value }])),
    fields: {},
  };
}
