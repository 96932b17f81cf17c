/**
 * Remembers what a value came to, so a value seen again (the same first name on many people, a
 * record's email in both the before and the after view) is normalized once. Values are filed by
 * target, then country, then raw text: a lookup hashes strings that already exist instead of
 * building a key per value. A memo belongs to one set of evaluation settings, where the target
 * decides the field.
 *
 * Bounded in two generations: new values go to the young one; when it is full the old one is
 * dropped and the young one becomes old. A value found in the old generation moves back to the
 * young one, so frequent values (first names, a country's common domains) stay while one-off values
 * (most emails and phones) pass through. Small maps that are let go whole keep the garbage
 * collector's work low; one big map filled with one-off values and cleared would not.
 *
 * That suits one pass over people, where a value comes back soon if at all (reports for several
 * destinations share one pass, so they ask about a value one after another).
 */
type Generation<T> = Map<string, Map<string, Map<string, T>>>;

export class ValueMemo<T> {
  private young: Generation<T> = new Map();
  private old: Generation<T> = new Map();
  private youngSize = 0;
  private readonly generationSize: number;

  constructor(capacity = 200_000) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  get(target: string, country: string | undefined, raw: string, compute: () => T): T {
    const place = country ?? '';
    const young = valuesOf(this.young, target, place);
    const known = young.get(raw);
    if (known !== undefined) return known;
    const aged = this.old.get(target)?.get(place)?.get(raw);
    const value = aged !== undefined ? aged : compute();
    if (this.youngSize >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
      this.youngSize = 0;
      valuesOf(this.young, target, place).set(raw, value);
    } else young.set(raw, value);
    this.youngSize++;
    return value;
  }
}

function valuesOf<T>(generation: Generation<T>, target: string, place: string): Map<string, T> {
  let byCountry = generation.get(target);
  if (byCountry === undefined) {
    byCountry = new Map();
    generation.set(target, byCountry);
  }
  let values = byCountry.get(place);
  if (values === undefined) {
    values = new Map();
    byCountry.set(place, values);
  }
  return values;
}
