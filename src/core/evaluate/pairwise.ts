/**
 * Pairwise accuracy of a predicted partition against the truth: a pair of records is a true match
 * when both are the same person, predicted when both are in one profile. Computed from cluster-size
 * counts (sum of C(n,2) over profile x person cells) rather than by listing pairs, so a million
 * records cost one pass. Records missing from either side are left out of both.
 */
export interface PairwiseScore {
  readonly records: number;
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly correctPairs: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly largestProfile: number;
  /** Profiles holding records of more than one person. */
  readonly impureProfiles: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

export function scorePairwise(
  predicted: ReadonlyMap<string, string>,
  truth: ReadonlyMap<string, string>,
): PairwiseScore {
  const profileSizes = new Map<string, number>();
  const personSizes = new Map<string, number>();
  const cellSizes = new Map<string, number>();
  const peoplePerProfile = new Map<string, Set<string>>();
  let records = 0;
  for (const [record, profile] of predicted) {
    const person = truth.get(record);
    if (person === undefined) continue;
    records++;
    profileSizes.set(profile, (profileSizes.get(profile) ?? 0) + 1);
    personSizes.set(person, (personSizes.get(person) ?? 0) + 1);
    const cell = `${profile}\u0000${person}`;
    cellSizes.set(cell, (cellSizes.get(cell) ?? 0) + 1);
    let people = peoplePerProfile.get(profile);
    if (!people) {
      people = new Set();
      peoplePerProfile.set(profile, people);
    }
    people.add(person);
  }
  let predictedPairs = 0;
  let truePairs = 0;
  let correctPairs = 0;
  let largestProfile = 0;
  for (const size of profileSizes.values()) {
    predictedPairs += pairs(size);
    largestProfile = Math.max(largestProfile, size);
  }
  for (const size of personSizes.values()) truePairs += pairs(size);
  for (const size of cellSizes.values()) correctPairs += pairs(size);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  let impureProfiles = 0;
  for (const people of peoplePerProfile.values()) if (people.size > 1) impureProfiles++;
  return { records, truePairs, predictedPairs, correctPairs, precision, recall, f1, largestProfile, impureProfiles };
}
