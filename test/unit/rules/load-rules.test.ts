import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type LoadRulesResult, loadRules } from '../../../src/core/rules/load.js';
import type { RuleProblem } from '../../../src/core/rules/problems.js';

const rulesDir = new URL('../../../rules/', import.meta.url);
const defaultText = readFileSync(new URL('default.yaml', rulesDir), 'utf8');

const MINIMAL = `version: 1
identifiers:
  email:
    normalizer: email
sources:
  crm:
    key: id
    fields:
      mail: email
rules:
  - id: email
    kind: deterministic
    match: [email]
`;

function problems(result: LoadRulesResult): Pick<RuleProblem, 'line' | 'column' | 'code' | 'path'>[] {
  if (result.ok) throw new Error('expected problems');
  return result.problems
    .filter((problem) => problem.severity === 'error')
    .map(({ line, column, code, path }) => ({ line, column, code, path }));
}

describe('loadRules', () => {
  it('accepts the default rules and every example', () => {
    const examples = readdirSync(new URL('examples/', rulesDir)).filter((name) => name.endsWith('.yaml'));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const text of [
      defaultText,
      ...examples.map((name) => readFileSync(new URL(`examples/${name}`, rulesDir), 'utf8')),
    ]) {
      const result = loadRules(text);
      expect(result.ok ? [] : result.problems).toEqual([]);
    }
  });

  it('applies defaults the file leaves out', () => {
    const result = loadRules(MINIMAL);
    if (!result.ok) throw new Error('minimal rules should load');
    expect(result.rules.constraints).toEqual({ never_merge_on_conflict: [], distinct_people_by: [] });
    expect(result.rules.survivorship.strategy).toBe('most_recent');
  });

  it('locates a shape error at its line and column', () => {
    const text = MINIMAL.replace('    normalizer: email', '    normalizer: emial');
    expect(problems(loadRules(text))).toEqual([
      { line: 4, column: 17, code: 'RULES_SHAPE', path: 'identifiers.email.normalizer' },
    ]);
  });

  it('points an unknown key at the key itself', () => {
    const text = MINIMAL.replace('    key: id', '    key: id\n    kee: x');
    expect(problems(loadRules(text))).toEqual([
      { line: 8, column: 5, code: 'RULES_UNKNOWN_FIELD', path: 'sources.crm.kee' },
    ]);
  });

  it('collects several problems at once, in file order', () => {
    const text = MINIMAL.replace('version: 1', 'version: 2').replace('    kind: deterministic', '    kind: magic');
    const found = problems(loadRules(text));
    expect(found.map((problem) => problem.line)).toEqual([1, 12]);
    expect(found.map((problem) => problem.path)).toEqual(['version', 'rules[0].kind']);
  });

  it('reports YAML syntax errors with their position', () => {
    const found = problems(loadRules('version: 1\nidentifiers: [\n'));
    expect(found[0]?.code).toBe('RULES_YAML_SYNTAX');
    expect(found[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports an alias without its anchor at the alias, rather than throwing', () => {
    expect(problems(loadRules('version: 1\nname: x\nidentifiers: *nope\n'))).toEqual([
      { line: 3, column: 14, code: 'RULES_YAML_SYNTAX', path: '' },
    ]);
    expect(problems(loadRules('*a'))).toEqual([{ line: 1, column: 1, code: 'RULES_YAML_SYNTAX', path: '' }]);
  });

  it.each([
    {
      description: 'unknown field in a rule',
      edit: (text: string) => text.replace('match: [email]', 'match: [emails]'),
      expected: { line: 13, column: 13, code: 'RULES_UNKNOWN_REFERENCE', path: 'rules[0].match[0]' },
    },
    {
      description: 'unknown target in a source',
      edit: (text: string) => text.replace('mail: email', 'mail: e_mail'),
      expected: { line: 9, column: 13, code: 'RULES_UNKNOWN_REFERENCE', path: 'sources.crm.fields.mail' },
    },
    {
      description: 'duplicate rule id',
      edit: (text: string) => `${text}  - id: email\n    kind: deterministic\n    match: [email]\n`,
      expected: { line: 14, column: 9, code: 'RULES_DUPLICATE_ID', path: 'rules[1].id' },
    },
    {
      description: 'case on an email type',
      edit: (text: string) => text.replace('    normalizer: email', '    normalizer: email\n    case: upper'),
      expected: { line: 5, column: 11, code: 'RULES_NOT_APPLICABLE', path: 'identifiers.email.case' },
    },
    {
      description: 'earliest on an attribute that is not a date of birth',
      edit: (text: string) => `${text}attributes:\n  city: { normalizer: text, earliest: 1800-01-01 }\n`,
      expected: { line: 15, column: 39, code: 'RULES_NOT_APPLICABLE', path: 'attributes.city.earliest' },
    },
    {
      description: 'a constraint on an undeclared field',
      edit: (text: string) => `${text}constraints:\n  never_merge_on_conflict: [ssn]\n`,
      expected: {
        line: 15,
        column: 29,
        code: 'RULES_UNKNOWN_REFERENCE',
        path: 'constraints.never_merge_on_conflict[0]',
      },
    },
  ])('meaning: $description', ({ edit, expected }) => {
    expect(problems(loadRules(edit(MINIMAL)))).toEqual([expected]);
  });

  describe('derived fields', () => {
    const withDerived = (derived: string) =>
      MINIMAL.replace('attributes', 'attributes')
        .replace('rules:\n', 'attributes:\n  first_name: { normalizer: person_name }\nrules:\n')
        .replace('      mail: email\n', `      mail: email\n    derived:\n${derived}`);

    it('accepts a name split, a nested path, first_of, concat, a regex and transforms', () => {
      const result = loadRules(
        withDerived(
          '      first_name: { from: customer_name, name_part: first, transforms: [trim] }\n' +
            '      email: { first_of: [contact.email, backup_email], regex: "<(.+)>", transforms: [lower] }\n',
        ),
      );
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.rules.sources.crm?.derived?.first_name).toEqual({
          from: 'customer_name',
          name_part: 'first',
          separator: ' ',
          transforms: ['trim'],
        });
      }
    });

    it.each([
      {
        description: 'a bad regex',
        derived: '      email: { from: notes, regex: "(unclosed" }\n',
        expected: { line: 11, column: 36, code: 'RULES_SHAPE', path: 'sources.crm.derived.email.regex' },
      },
      {
        description: 'an unknown transform',
        derived: '      email: { from: notes, transforms: [trim, shout] }\n',
        expected: { line: 11, column: 48, code: 'RULES_SHAPE', path: 'sources.crm.derived.email.transforms[1]' },
      },
      {
        description: 'an unknown name part',
        derived: '      first_name: { from: name, name_part: given }\n',
        expected: { line: 11, column: 44, code: 'RULES_SHAPE', path: 'sources.crm.derived.first_name.name_part' },
      },
      {
        description: 'an undeclared target',
        derived: '      nickname: { from: name }\n',
        expected: { line: 11, column: 17, code: 'RULES_UNKNOWN_REFERENCE', path: 'sources.crm.derived.nickname' },
      },
      {
        description: 'two ways to pick the value',
        derived: '      email: { from: a, concat: [b, c] }\n',
        expected: { line: 11, column: 14, code: 'RULES_SHAPE', path: 'sources.crm.derived.email' },
      },
    ])('refuses $description, located', ({ derived, expected }) => {
      expect(problems(loadRules(withDerived(derived)))).toEqual([expected]);
    });
  });

  it('refuses a fuzzy rule whose min_score cannot be reached and levels out of order', () => {
    const text = `${MINIMAL}  - id: fuzzy
    kind: fuzzy
    blocking: [[email_domain(email)]]
    compare:
      - field: email
        comparator: jaro_winkler
        levels: [{ min_similarity: 0.8, weight: 2 }, { min_similarity: 0.9, weight: 1 }]
    min_score: 5
`;
    const found = problems(loadRules(text));
    expect(found.map((problem) => [problem.code, problem.path])).toEqual([
      ['RULES_RANGE', 'rules[1].compare[0].levels[1].min_similarity'],
      ['RULES_UNREACHABLE_SCORE', 'rules[1].min_score'],
    ]);
  });

  it('refuses a review band that does not start below min_score, located, and a band that is not a number', () => {
    const fuzzy = (band: string) => `${MINIMAL}  - id: fuzzy
    kind: fuzzy
    blocking: [[email_domain(email)]]
    compare:
      - { field: email, comparator: exact, weight: 6 }
    min_score: 5
    review_from: ${band}
`;
    expect(loadRules(fuzzy('3')).ok).toBe(true);
    expect(problems(loadRules(fuzzy('5')))).toEqual([
      { line: 20, column: 18, code: 'RULES_RANGE', path: 'rules[1].review_from' },
    ]);
    const result = loadRules(fuzzy('5'));
    if (!result.ok) expect(result.problems[0]?.message).toContain('below min_score (5)');
    expect(problems(loadRules(fuzzy('high')))).toEqual([
      { line: 20, column: 18, code: 'RULES_SHAPE', path: 'rules[1].review_from' },
    ]);
  });

  it('refuses a transform that does not fit the field', () => {
    const text =
      MINIMAL.replace('attributes', 'attributes').replace(
        'rules:\n',
        'attributes:\n  dob: { normalizer: date_of_birth }\nrules:\n',
      ) +
      '  - id: f\n    kind: fuzzy\n    blocking: [[year(email)], [email_local(dob)]]\n    compare:\n      - { field: dob, comparator: exact, weight: 5 }\n    min_score: 5\n';
    const found = problems(loadRules(text));
    expect(found.map((problem) => problem.code)).toEqual(['RULES_NOT_APPLICABLE', 'RULES_NOT_APPLICABLE']);
  });

  it('warns, without failing, when phones have no country to fall back on', () => {
    const text = MINIMAL.replace(
      '  email:\n    normalizer: email',
      '  email:\n    normalizer: email\n  phone:\n    normalizer: phone',
    ).replace('      mail: email', '      mail: email\n      tel: phone');
    const result = loadRules(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings.map((warning) => warning.code)).toEqual(['RULES_NO_COUNTRY']);
  });

  it('refuses a copy of the default rules with mistakes appended, locating each', () => {
    const broken = `${defaultText}  extra: true\n`;
    const result = loadRules(broken);
    expect(result.ok).toBe(false);
    const lines = defaultText.split('\n').length;
    expect(problems(result)).toEqual([
      { line: lines, column: 3, code: 'RULES_UNKNOWN_FIELD', path: 'survivorship.extra' },
    ]);
  });

  describe('guards and compared fields', () => {
    const GUARDED = `version: 1
identifiers:
  phone: { normalizer: phone, shared_after: 3, distinct_people_by: [first_name] }
attributes:
  first_name: { normalizer: person_name }
sources:
  crm:
    key: id
    country: { fixed: GB }
    fields: { tel: phone, name: first_name }
rules:
  - id: phone
    kind: deterministic
    match:
      - phone
      - { field: first_name, comparator: nickname }
    must_not_differ:
      - { field: first_name, comparator: jaro_winkler, min_similarity: 0.9 }
`;

    it('accepts match fields with a comparator, guards and a per-type distinct_people_by', () => {
      const result = loadRules(GUARDED);
      expect(result.ok && result.warnings).toEqual([]);
      if (!result.ok) return;
      expect(result.rules.rules[0]).toMatchObject({
        match: ['phone', { field: 'first_name', comparator: 'nickname' }],
        must_not_differ: [{ field: 'first_name', comparator: 'jaro_winkler', min_similarity: 0.9, nicknames: false }],
      });
    });

    it.each([
      {
        description: 'an unknown comparator',
        edit: (text: string) => text.replace('comparator: nickname', 'comparator: nick'),
        expected: [{ line: 16, column: 42, code: 'RULES_SHAPE', path: 'rules[0].match[1].comparator' }],
      },
      {
        description: 'a guard that is neither a name nor an object',
        edit: (text: string) =>
          text.replace(
            '      - { field: first_name, comparator: jaro',
            '      - 7\n      - { field: first_name, comparator: jaro',
          ),
        expected: [{ line: 18, column: 9, code: 'RULES_SHAPE', path: 'rules[0].must_not_differ[0]' }],
      },
      {
        description: 'a similarity out of range',
        edit: (text: string) => text.replace('min_similarity: 0.9', 'min_similarity: 1.5'),
        expected: [{ line: 18, column: 72, code: 'RULES_RANGE', path: 'rules[0].must_not_differ[0].min_similarity' }],
      },
      {
        description: 'a guard on an undeclared field',
        edit: (text: string) => text.replace('{ field: first_name, comparator: jaro', '{ field: dob, comparator: jaro'),
        expected: [
          { line: 18, column: 18, code: 'RULES_UNKNOWN_REFERENCE', path: 'rules[0].must_not_differ[0].field' },
        ],
      },
      {
        description: 'a comparator on an identifier type',
        edit: (text: string) =>
          text.replace('      - phone\n', '      - phone\n      - { field: phone, comparator: nickname }\n'),
        expected: [{ line: 16, column: 37, code: 'RULES_NOT_APPLICABLE', path: 'rules[0].match[1].comparator' }],
      },
      {
        description: 'a rule with no field compared exactly',
        edit: (text: string) => text.replace('      - phone\n', ''),
        expected: [{ line: 15, column: 7, code: 'RULES_NOT_APPLICABLE', path: 'rules[0].match' }],
      },
      {
        description: 'people told apart by an undeclared field',
        edit: (text: string) => text.replace('distinct_people_by: [first_name]', 'distinct_people_by: [dob]'),
        expected: [
          { line: 3, column: 69, code: 'RULES_UNKNOWN_REFERENCE', path: 'identifiers.phone.distinct_people_by[0]' },
        ],
      },
    ])('locates $description', ({ edit, expected }) => {
      expect(problems(loadRules(edit(GUARDED)))).toEqual(expected);
    });

    // The phone rule again without its first-name match, limiting the nameless records it links.
    const LIMITED = GUARDED.replace('      - { field: first_name, comparator: nickname }\n', '').concat(
      '    records_without: { field: first_name, max_share: 0.34 }\n',
    );

    it('accepts records_without on a deterministic rule', () => {
      const result = loadRules(LIMITED);
      expect(result.ok && result.warnings).toEqual([]);
      if (!result.ok) return;
      expect(result.rules.rules[0]).toMatchObject({ records_without: { field: 'first_name', max_share: 0.34 } });
    });

    it.each([
      {
        description: 'a share above 1',
        edit: (text: string) => text.replace('max_share: 0.34', 'max_share: 34'),
        expected: [{ line: 18, column: 54, code: 'RULES_RANGE', path: 'rules[0].records_without.max_share' }],
      },
      {
        description: 'an undeclared field',
        edit: (text: string) => text.replace('{ field: first_name, max_share', '{ field: dob, max_share'),
        expected: [{ line: 18, column: 31, code: 'RULES_UNKNOWN_REFERENCE', path: 'rules[0].records_without.field' }],
      },
      {
        description: 'a field the rule matches on',
        edit: (text: string) => text.replace('{ field: first_name, max_share', '{ field: phone, max_share'),
        expected: [{ line: 18, column: 31, code: 'RULES_NOT_APPLICABLE', path: 'rules[0].records_without.field' }],
      },
      {
        description: 'a missing share',
        edit: (text: string) => text.replace(', max_share: 0.34', ''),
        expected: [{ line: 18, column: 22, code: 'RULES_SHAPE', path: 'rules[0].records_without.max_share' }],
      },
    ])('locates records_without with $description', ({ edit, expected }) => {
      expect(problems(loadRules(edit(LIMITED)))).toEqual(expected);
    });
  });

  it('gives a version that ignores formatting and comments but not meaning', () => {
    const version = (text: string) => {
      const result = loadRules(text);
      if (!result.ok) throw new Error('should load');
      return result.version;
    };
    const base = version(defaultText);
    expect(version(defaultText.replace(/ *#.*$/gm, ''))).toBe(base);
    expect(version(defaultText.replace('match: [email]', 'match:\n      - email'))).toBe(base);
    expect(version(defaultText.replace('min_score: 8', 'min_score: 9'))).not.toBe(base);
  });
});
