/**
 * Remembers what a value came to, so a value seen again (the same first name on many people, a
 * record's email in both the before and the after view) is normalized once. Values are filed by
 * target, then country, then raw text: a lookup hashes strings that already exist instead of
 * building a key per value. A memo belongs to one set of evaluation settings, where the target
 * decides the field. Bounded: past its capacity the memo starts over, which costs time, never memory.
 */
export class ValueMemo<T> {
  private readonly byTarget = new Map<string, Map<string, Map<string, T>>>();
  private size = 0;

  constructor(private readonly capacity = 400_000) {}

  get(target: string, country: string | undefined, raw: string, compute: () => T): T {
    let byCountry = this.byTarget.get(target);
    if (byCountry === undefined) {
      byCountry = new Map();
      this.byTarget.set(target, byCountry);
    }
    let values = byCountry.get(country ?? '');
    if (values === undefined) {
      values = new Map();
      byCountry.set(country ?? '', values);
    }
    const known = values.get(raw);
    if (known !== undefined) return known;
    const value = compute();
    if (this.size >= this.capacity) {
      this.byTarget.clear();
      this.size = 0;
      return value;
    }
    values.set(raw, value);
    this.size++;
    return value;
  }
}
