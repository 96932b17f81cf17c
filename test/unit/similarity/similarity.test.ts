import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from '../../../src/core/similarity/jaro-winkler.js';
import { levenshtein } from '../../../src/core/similarity/levenshtein.js';
import { areNicknames } from '../../../src/core/similarity/nicknames.js';
import { soundex } from '../../../src/core/similarity/soundex.js';

describe('jaroWinkler', () => {
  // Reference pairs from Winkler (1990) as commonly tabulated (e.g. the jaro-winkler npm README).
  it.each([
    { a: 'MARTHA', b: 'MARHTA', expected: 0.961 },
    { a: 'DWAYNE', b: 'DUANE', expected: 0.84 },
    { a: 'DIXON', b: 'DICKSONX', expected: 0.813 },
  ])('$a ~ $b = $expected', ({ a, b, expected }) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  it.each([
    { description: 'identical strings', a: 'smith', b: 'smith', expected: 1 },
    { description: 'nothing in common', a: 'abc', b: 'xyz', expected: 0 },
    { description: 'one side empty', a: '', b: 'anna', expected: 0 },
    { description: 'both empty', a: '', b: '', expected: 1 },
  ])('$description', ({ a, b, expected }) => {
    expect(jaroWinkler(a, b)).toBe(expected);
  });

  it('is symmetric and rewards a common prefix over plain Jaro', () => {
    expect(jaroWinkler('jonathan', 'jonathon')).toBeCloseTo(jaroWinkler('jonathon', 'jonathan'), 10);
    expect(jaroWinkler('jonathan', 'jonathon')).toBeGreaterThan(jaro('jonathan', 'jonathon'));
  });
});

describe('levenshtein', () => {
  it.each([
    { a: 'kitten', b: 'sitting', expected: 3 },
    { a: 'gmail.com', b: 'gmial.com', expected: 2 },
    { a: '', b: 'abc', expected: 3 },
    { a: 'same', b: 'same', expected: 0 },
  ])('$a -> $b = $expected', ({ a, b, expected }) => {
    expect(levenshtein(a, b)).toBe(expected);
  });
});

describe('soundex', () => {
  // Examples from the US National Archives' description of the Soundex system.
  it.each([
    { name: 'Robert', code: 'R163' },
    { name: 'Rupert', code: 'R163' },
    { name: 'Ashcraft', code: 'A261' },
    { name: 'Tymczak', code: 'T522' },
    { name: 'Pfister', code: 'P236' },
    { name: 'Lee', code: 'L000' },
    { name: 'Müller', code: 'M460' },
  ])('$name -> $code', ({ name, code }) => {
    expect(soundex(name)).toBe(code);
  });
});

describe('areNicknames', () => {
  it.each([
    { a: 'robert', b: 'bob', expected: true },
    { a: 'bobby', b: 'rob', expected: true },
    { a: 'elizabeth', b: 'liz', expected: true },
    { a: 'mohamed', b: 'muhammed', expected: true },
    { a: 'anna', b: 'anna', expected: true },
    { a: 'robert', b: 'richard', expected: false },
    { a: 'zoë', b: 'bob', expected: false },
  ])('$a ~ $b: $expected', ({ a, b, expected }) => {
    expect(areNicknames(a, b)).toBe(expected);
    expect(areNicknames(b, a)).toBe(expected);
  });
});
