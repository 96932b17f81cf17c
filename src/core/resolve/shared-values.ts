/**
 * Shared identifier values: a family tablet, a household landline, a role mailbox. A value held by
 * `shared_after` or more distinct people stops being merge evidence.
 *
 * People are counted when the first rule that could use the value runs: its holders are grouped by
 * the profiles that stronger evidence has already formed, so each holder brings everything known
 * about its person (the name on the CRM record its email links to, say). Those groups are then
 * folded, in priority order, into the first group they do not contradict on a `distinct_people_by`
 * or never-merge field; what remains is the number of people. Person names that are close
 * (Jaro-Winkler >= 0.88: Jon/John, a typo) or nicknames of each other (Bob/Robert) are not a
 * contradiction.
 *
 * A different identifier (an email in `distinct_people_by`) is weaker evidence than a different
 * name: one person keeps a personal and a work address, or types a domain wrong. So it separates
 * two groups only when no attribute of theirs (a name, a birth date) agrees: two named Lindas with
 * two addresses are one person on their phone, while three addresses and no names on a family
 * tablet are still three people.
 */
import { jaroWinkler } from '../similarity/jaro-winkler.js';
import { areNicknames } from '../similarity/nicknames.js';

const SAME_NAME_SIMILARITY = 0.88;

/**
 * Above this many holders a value is shared without counting: one identifier on a thousand records
 * is a placeholder the junk list missed, and following it would pull unrelated people together.
 */
export const HUB_HOLDERS = 1000;

/** What is known of one group of holders: field -> matching keys. */
export type PersonSignature = ReadonlyMap<string, ReadonlySet<string>>;

export function countPeople(
  signatures: readonly PersonSignature[],
  personNameFields: ReadonlySet<string>,
  stopAt: number,
  identifierFields: ReadonlySet<string> = new Set(),
): number {
  const people: Map<string, Set<string>>[] = [];
  for (const signature of signatures) {
    const person = people.find((candidate) => compatible(candidate, signature, personNameFields, identifierFields));
    if (person) {
      for (const [field, keys] of signature) {
        const known = person.get(field);
        if (known) for (const key of keys) known.add(key);
        else person.set(field, new Set(keys));
      }
      continue;
    }
    people.push(new Map([...signature].map(([field, keys]) => [field, new Set(keys)])));
    if (people.length >= stopAt) return people.length;
  }
  return people.length;
}

function compatible(
  person: Map<string, Set<string>>,
  signature: PersonSignature,
  names: ReadonlySet<string>,
  identifiers: ReadonlySet<string>,
): boolean {
  let identifierDiffers = false;
  let attributeAgrees = false;
  for (const [field, keys] of signature) {
    const known = person.get(field);
    if (!known || keys.size === 0) continue;
    const fuzzy = names.has(field);
    let agrees = false;
    for (const key of keys) {
      if (known.has(key)) agrees = true;
      else if (fuzzy) {
        for (const other of known) {
          if (jaroWinkler(other, key) >= SAME_NAME_SIMILARITY || areNicknames(other, key)) agrees = true;
        }
      }
      if (agrees) break;
    }
    if (agrees) attributeAgrees ||= !identifiers.has(field);
    else if (identifiers.has(field)) identifierDiffers = true;
    else return false;
  }
  return !identifierDiffers || attributeAgrees;
}
