/**
 * Sorts values by unsigned 32-bit keys with a radix sort (two passes of 16 bits), stable: equal
 * keys keep their values' order. For millions of (hash, index) pairs, where a comparison sort is
 * several times slower and a Map allocates an entry for each.
 */
export function sortByKey(keys: Uint32Array, values: Int32Array): { keys: Uint32Array; values: Int32Array } {
  if (keys.length !== values.length) throw new RangeError('keys and values differ in length');
  let fromKeys: Uint32Array = keys;
  let fromValues: Int32Array = values;
  let toKeys: Uint32Array = new Uint32Array(keys.length);
  let toValues: Int32Array = new Int32Array(values.length);
  for (const shift of [0, 16]) {
    // starts[digit + 1] counts the digit, then the prefix sums turn counts into where each digit starts.
    const starts = new Int32Array(0x10001);
    for (let index = 0; index < fromKeys.length; index++) {
      const digit = ((fromKeys[index] as number) >>> shift) & 0xffff;
      starts[digit + 1] = (starts[digit + 1] as number) + 1;
    }
    for (let digit = 0; digit < 0x10000; digit++) {
      starts[digit + 1] = (starts[digit + 1] as number) + (starts[digit] as number);
    }
    for (let index = 0; index < fromKeys.length; index++) {
      const key = fromKeys[index] as number;
      const digit = (key >>> shift) & 0xffff;
      const at = starts[digit] as number;
      starts[digit] = at + 1;
      toKeys[at] = key;
      toValues[at] = fromValues[index] as number;
    }
    [fromKeys, toKeys] = [toKeys, fromKeys];
    [fromValues, toValues] = [toValues, fromValues];
  }
  return { keys: fromKeys, values: fromValues };
}
