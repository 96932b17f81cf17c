/**
 * Placeholder values: what forms and exports put where a real value is missing (test@test.com,
 * 0000000000, "n/a"). Left in, each one joins thousands of unrelated people into one profile, so
 * they are refused as JUNK_VALUE. Checked on canonical values, so every spelling of a placeholder is
 * caught once it is normalized. The rules file adds its own values and patterns (junk_values for
 * every type, `blocked` per type: BLOCKED_VALUE).
 */

/** Words that stand for "no value" in any field. */
const PLACEHOLDER_WORDS = new Set([
  'test',
  'testing',
  'unknown',
  'none',
  'null',
  'nil',
  'na',
  'n/a',
  'n.a.',
  'not available',
  'no',
  'nobody',
  'noname',
  'no name',
  'anonymous',
  'anon',
  'guest',
  'customer',
  'asdf',
  'qwerty',
  'xxx',
  'xx',
  'x',
  'abc',
  'dummy',
  'fake',
  'sample',
  'default',
  'undefined',
  'blank',
  'empty',
  '-',
  '--',
  '?',
  '.',
  'tbd',
  'tba',
]);

/** Local parts that mean "no address" whatever the domain. */
const PLACEHOLDER_LOCAL_PARTS = new Set([
  'test',
  'noemail',
  'no-email',
  'no.email',
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'none',
  'nobody',
  'null',
  'na',
  'unknown',
  'dummy',
  'fake',
  'asdf',
  'xxx',
  'email',
  'mail',
  'abc',
  'a',
  'x',
]);

/**
 * Domains that cannot hold a customer's mailbox: reserved for documentation and testing (RFC 2606,
 * RFC 6761) or typed to get past a form.
 */
const PLACEHOLDER_DOMAINS = new Set([
  'example.com',
  'example.org',
  'example.net',
  'test.com',
  'test.test',
  'noemail.com',
  'none.com',
  'email.invalid',
  'asdf.com',
  'null.com',
  'unknown.com',
  'nomail.com',
  'fake.com',
  'dummy.com',
  'xxx.com',
  'aaa.com',
]);
const RESERVED_TLDS = /\.(test|example|invalid|localhost|local)$/;

export function isJunkEmail(canonical: string): boolean {
  const at = canonical.lastIndexOf('@');
  const local = canonical.slice(0, at);
  const domain = canonical.slice(at + 1);
  if (PLACEHOLDER_DOMAINS.has(domain) || RESERVED_TLDS.test(domain)) return true;
  if (PLACEHOLDER_LOCAL_PARTS.has(local)) return true;
  // "aaaa@aaaa.com", "x@x.com": one repeated character, or the local part repeating the domain name.
  if (/^(.)\1*$/.test(local) && local.length <= 4) return true;
  return domain.split('.')[0] === local && PLACEHOLDER_WORDS.has(local);
}

const DIGIT_RUNS = ['01234567890', '12345678901', '98765432109', '09876543210'];

/**
 * A national number (without country code) that is a placeholder: one digit repeated (0000000000),
 * or a straight run of digits (1234567890, 123456789, 9876543210).
 */
export function isJunkNationalNumber(national: string): boolean {
  if (/^(\d)\1+$/.test(national)) return true;
  return national.length >= 7 && DIGIT_RUNS.some((run) => run.startsWith(national));
}

/** Canonical (lowercase, hyphenated) advertising ID: all-F is the other "no ID" value seen in the wild. */
export function isJunkDeviceId(id: string): boolean {
  return /^[f-]+$/.test(id) || /^([0-9a-f])\1{7}-\1{4}-\1{4}-\1{4}-\1{12}$/.test(id);
}

export function isPlaceholderText(canonical: string): boolean {
  return PLACEHOLDER_WORDS.has(canonical.trim().toLowerCase());
}

/** Exact values and patterns from a rules file, compiled once. */
export interface ValueList {
  readonly values: ReadonlySet<string>;
  readonly patterns: readonly RegExp[];
}

export function compileValueList(values: readonly string[], patterns: readonly string[]): ValueList {
  return {
    values: new Set(values.map((value) => value.trim().toLowerCase())),
    patterns: patterns.map((source) => new RegExp(source, 'iu')),
  };
}

export function listed(list: ValueList, ...candidates: string[]): boolean {
  return candidates.some(
    (candidate) => list.values.has(candidate.toLowerCase()) || list.patterns.some((pattern) => pattern.test(candidate)),
  );
}
