/**
 * A sum of probabilities that does not depend on the order of its terms. Floating-point addition
 * is not associative, so the same people met in another order (an audience grouped in parts, a
 * members file sorted differently) could move a rounded rate in its last digit. Each term is
 * rounded to a millionth and summed as an integer: exact for up to nine billion terms of 1.
 */
export class ExactSum {
  private total = 0;

  add(value: number): void {
    this.total += Math.round(value * 1e6);
  }

  /** The sum in millionths, to pass between threads; `addMicros` adds one sum to another exactly. */
  get micros(): number {
    return this.total;
  }

  addMicros(micros: number): void {
    this.total += micros;
  }

  get value(): number {
    return this.total / 1e6;
  }
}
