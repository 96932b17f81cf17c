/**
 * The rate limiter's key for a request: its Authorization header hashed, so the limiter's store never
 * holds an API key. Hashing costs about as much as the rest of the limiter, and a service sees the
 * same few keys on every request, so hashes are remembered; a bounded number, so headers made up by
 * a client cannot grow the memory (when full, it starts again empty).
 */
import { createHash } from 'node:crypto';

export class HashedKeys {
  private readonly hashes = new Map<string, string>();

  constructor(private readonly capacity = 1_024) {}

  /** Hashes remembered now. */
  get size(): number {
    return this.hashes.size;
  }

  of(header: string): string {
    let hash = this.hashes.get(header);
    if (hash === undefined) {
      hash = createHash('sha256').update(header).digest('base64url').slice(0, 22);
      if (this.hashes.size >= this.capacity) this.hashes.clear();
      this.hashes.set(header, hash);
    }
    return hash;
  }
}
