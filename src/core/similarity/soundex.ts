/**
 * American Soundex (as described by the US National Archives, "The Soundex Indexing System"):
 * first letter kept, consonants coded 1-6, vowels separate equal codes, H and W do not.
 * Used only as a blocking key, so non-Latin names fall back to their first four characters.
 */
const CODES: Record<string, string> = {
  b: '1',
  f: '1',
  p: '1',
  v: '1',
  c: '2',
  g: '2',
  j: '2',
  k: '2',
  q: '2',
  s: '2',
  x: '2',
  z: '2',
  d: '3',
  t: '3',
  l: '4',
  m: '5',
  n: '5',
  r: '6',
};

export function soundex(input: string): string {
  const letters = input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (letters.length === 0) return input.slice(0, 4);
  let code = letters[0]?.toUpperCase() ?? '';
  let previous = CODES[letters[0] ?? ''] ?? '';
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const letter = letters[i] ?? '';
    const digit = CODES[letter] ?? '';
    if (digit && digit !== previous) code += digit;
    if (letter !== 'h' && letter !== 'w') previous = digit;
  }
  return code.padEnd(4, '0');
}
