/**
 * How many distinct values a report met, and how many of them more than one person holds, without
 * keeping the values. A report of millions of people meets millions of normalized emails and
 * phones; a map from each string to its count would keep every string, and its entry, until the
 * report ends. This keeps a 64-bit fingerprint and a state byte per distinct value instead, in
 * typed arrays at most half full (18 to 36 bytes a value, and nothing for the garbage collector to
 * trace). Two values share a fingerprint with a chance of about n^2 / 2^65: one in a hundred
 * thousand at twenty million values, and then a count is off by one.
 */
/** A census as plain data, to pass between threads (typed arrays are copied as they are). */
export interface CensusState {
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  readonly seen: Uint8Array;
}

export class ValueCensus {
  private high = new Uint32Array(1024);
  private low = new Uint32Array(1024);
  /** 0: empty slot, 1: seen once, 2: seen more than once. */
  private seen = new Uint8Array(1024);
  private used = 0;
  private repeated = 0;

  /** Counts one holder of a value. */
  add(value: string): void {
    const [high, low] = fingerprint(value);
    this.addFingerprint(high, low);
  }

  private addFingerprint(high: number, low: number): void {
    const slot = this.find(high, low);
    const state = this.seen[slot] as number;
    if (state === 0) {
      this.high[slot] = high;
      this.low[slot] = low;
      this.seen[slot] = 1;
      this.used++;
      if (this.used * 2 > this.seen.length) this.grow();
    } else if (state === 1) {
      this.seen[slot] = 2;
      this.repeated++;
    }
  }

  /** What this census met, for `absorb` in another thread. */
  state(): CensusState {
    return { high: this.high, low: this.low, seen: this.seen };
  }

  /**
   * Adds what another census met, as if its values had been added here: a value both met, or one
   * either met twice, counts as shared. So censuses of parts of an audience combine into the whole.
   */
  absorb(other: CensusState): void {
    for (let slot = 0; slot < other.seen.length; slot++) {
      const times = other.seen[slot] as number;
      if (times === 0) continue;
      const high = other.high[slot] as number;
      const low = other.low[slot] as number;
      this.addFingerprint(high, low);
      if (times === 2) this.addFingerprint(high, low);
    }
  }

  /** Distinct values met. */
  get distinct(): number {
    return this.used;
  }

  /** Distinct values met more than once (held by several people). */
  get shared(): number {
    return this.repeated;
  }

  /** The slot holding this fingerprint, or the empty slot where it goes (linear probing). */
  private find(high: number, low: number): number {
    const mask = this.seen.length - 1;
    let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
    while (this.seen[slot] !== 0 && (this.high[slot] !== high || this.low[slot] !== low)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { high, low, seen } = this;
    this.high = new Uint32Array(seen.length * 2);
    this.low = new Uint32Array(seen.length * 2);
    this.seen = new Uint8Array(seen.length * 2);
    for (let old = 0; old < seen.length; old++) {
      if (seen[old] === 0) continue;
      const slot = this.find(high[old] as number, low[old] as number);
      this.high[slot] = high[old] as number;
      this.low[slot] = low[old] as number;
      this.seen[slot] = seen[old] as number;
    }
  }
}

/**
 * Two independent 32-bit hashes of the UTF-16 units, in one loop over them: FNV-1a (as fnv1a32
 * computes it), and a multiply-xorshift one.
 */
function fingerprint(value: string): [number, number] {
  let a = 0x811c9dc5;
  let b = value.length ^ 0x5bd1e995;
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  return [a >>> 0, (b ^ (b >>> 16)) >>> 0];
}
