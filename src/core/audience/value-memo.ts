/**
 * Remembers what a value came to, so a value seen again (the same first name on many people, a
 * record's email in both the before and the after view, one value across nine destinations) is
 * normalized once. Bounded: past its capacity the memo starts over, which costs time, never memory.
 */
export class ValueMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity = 400_000) {}

  get(key: string, compute: () => T): T {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}

/** The memo key of a raw value in its context: target (or field), country, raw text. */
export const valueKey = (name: string, country: string | undefined, raw: string): string =>
  `${name}\u0000${country ?? ''}\u0000${raw}`;
