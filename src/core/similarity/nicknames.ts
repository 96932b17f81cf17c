/**
 * Common English given-name variants (Robert/Bob/Rob/Bobby, Elizabeth/Liz/Beth...). Two names match
 * as nicknames when they share a group. Facts gathered from common usage; kept short on purpose:
 * a long list turns rare coincidences into merges.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'bert'],
  ['william', 'bill', 'billy', 'will', 'willie', 'liam'],
  ['richard', 'rick', 'ricky', 'dick', 'rich'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'jack', 'johnny', 'jon'],
  ['michael', 'mike', 'mikey', 'mick'],
  ['thomas', 'tom', 'tommy'],
  ['joseph', 'joe', 'joey'],
  ['charles', 'charlie', 'chuck'],
  ['edward', 'ed', 'eddie', 'ted', 'ned'],
  ['anthony', 'tony'],
  ['christopher', 'chris', 'kit'],
  ['daniel', 'dan', 'danny'],
  ['matthew', 'matt'],
  ['andrew', 'andy', 'drew'],
  ['joshua', 'josh'],
  ['nicholas', 'nick', 'nicky'],
  ['benjamin', 'ben', 'benny'],
  ['samuel', 'sam', 'sammy'],
  ['alexander', 'alex', 'sandy', 'xander'],
  ['steven', 'stephen', 'steve'],
  ['timothy', 'tim'],
  ['patrick', 'pat', 'paddy'],
  ['peter', 'pete'],
  ['raymond', 'ray'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donnie'],
  ['gerald', 'gerry', 'jerry'],
  ['lawrence', 'larry'],
  ['francis', 'frank', 'frankie'],
  ['henry', 'hank', 'harry'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge'],
  ['katherine', 'catherine', 'kate', 'katie', 'kathy', 'cathy', 'kat'],
  ['jennifer', 'jen', 'jenny'],
  ['patricia', 'pat', 'patty', 'trish'],
  ['susan', 'sue', 'susie', 'suzanne'],
  ['deborah', 'debbie', 'deb'],
  ['rebecca', 'becky', 'becca'],
  ['victoria', 'vicky', 'tori'],
  ['alexandra', 'alex', 'sandra', 'sandy', 'lexi'],
  ['christine', 'christina', 'chris', 'tina'],
  ['jessica', 'jess', 'jessie'],
  ['samantha', 'sam', 'sammy'],
  ['abigail', 'abby'],
  ['dorothy', 'dot', 'dotty'],
  ['barbara', 'barb', 'babs'],
  ['mohammed', 'muhammad', 'mohamed', 'mohammad', 'muhammed', 'mhd'],
];

const groupsOf = new Map<string, number[]>();
GROUPS.forEach((group, index) => {
  for (const name of group) groupsOf.set(name, [...(groupsOf.get(name) ?? []), index]);
});

/** Whether two normalized first names (matching keys) are variants of one name. */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return true;
  const left = groupsOf.get(a);
  const right = groupsOf.get(b);
  return left !== undefined && right !== undefined && left.some((group) => right.includes(group));
}
