import { distance } from 'fastest-levenshtein';

/** Edit distance (insertions, deletions, substitutions), from the maintained fastest-levenshtein package. */
export const levenshtein: (a: string, b: string) => number = distance;
