/**
 * The second validation pass: a file of the right shape can still mean nothing (a rule on a field
 * no one declares, a fuzzy rule whose minimum score no pair can reach). Every problem is collected,
 * not only the first, so one run shows the whole list.
 */
import { maxAdjustmentOf } from '../resolve/term-frequencies.js';
import { DATE_CLOSENESS } from '../similarity/date-closeness.js';
import type { PathSegment, RuleProblemCode, Severity } from './problems.js';
import {
  BLOCKING_KEY_PATTERN,
  BLOCKING_TRANSFORMS,
  type Comparison,
  type FieldEntry,
  type RulesFile,
} from './schema.js';

export interface MeaningProblem {
  readonly path: PathSegment[];
  readonly message: string;
  readonly code: RuleProblemCode;
  readonly severity: Severity;
}

export function checkMeaning(file: RulesFile): MeaningProblem[] {
  const problems: MeaningProblem[] = [];
  const report = (path: PathSegment[], message: string, code: RuleProblemCode, severity: Severity = 'error') =>
    problems.push({ path, message, code, severity });

  const identifiers = file.identifiers;
  const attributes = file.attributes;
  const known = (name: string) => name in identifiers || name in attributes;
  const requireKnown = (path: PathSegment[], name: string) => {
    if (!known(name)) {
      report(path, `"${name}" is neither an identifier type nor an attribute`, 'RULES_UNKNOWN_REFERENCE');
    }
  };

  for (const name of Object.keys(attributes)) {
    if (name in identifiers) {
      report(
        ['attributes', name],
        `"${name}" is declared both as an identifier type and an attribute`,
        'RULES_NAME_CLASH',
      );
    }
  }
  for (const [name, config] of Object.entries(attributes)) {
    if (config.earliest !== undefined && config.normalizer !== 'date_of_birth') {
      report(
        ['attributes', name, 'earliest'],
        'earliest applies only to date_of_birth attributes',
        'RULES_NOT_APPLICABLE',
      );
    }
  }
  for (const [type, config] of Object.entries(identifiers)) {
    const opaque = config.normalizer === 'cookie' || config.normalizer === 'custom';
    if (!opaque && config.case !== undefined) {
      report(['identifiers', type, 'case'], 'case applies only to cookie and custom types', 'RULES_NOT_APPLICABLE');
    }
    if (config.normalizer !== 'phone' && config.line_types !== undefined) {
      report(['identifiers', type, 'line_types'], 'line_types applies only to phone types', 'RULES_NOT_APPLICABLE');
    }
    if (config.normalizer !== 'custom' && config.pattern !== undefined) {
      report(['identifiers', type, 'pattern'], 'pattern applies only to custom types', 'RULES_NOT_APPLICABLE');
    }
  }

  const mapped = new Set<string>();
  for (const [source, config] of Object.entries(file.sources)) {
    for (const [field, target] of Object.entries(config.fields)) {
      requireKnown(['sources', source, 'fields', field], target);
      mapped.add(target);
    }
    for (const [target, recipe] of Object.entries(config.derived ?? {})) {
      const at: PathSegment[] = ['sources', source, 'derived', target];
      requireKnown(at, target);
      mapped.add(target);
      const picks = [recipe.from, recipe.first_of, recipe.concat].filter((pick) => pick !== undefined).length;
      if (picks !== 1) report(at, 'give exactly one of from, first_of or concat', 'RULES_SHAPE');
    }
    const mapsPhone = [...Object.values(config.fields), ...Object.keys(config.derived ?? {})].some(
      (target) => identifiers[target]?.normalizer === 'phone',
    );
    if (mapsPhone && !config.country) {
      report(
        ['sources', source],
        'maps phone numbers but sets no country: numbers written without +country code will be refused (PHONE_NO_COUNTRY)',
        'RULES_NO_COUNTRY',
        'warning',
      );
    }
  }

  // A record without the field may follow the rule's values only while such records are few.
  const checkRecordsWithout = (rule: RulesFile['rules'][number], at: PathSegment[]) => {
    if (rule.kind !== 'deterministic' || !rule.records_without) return;
    const { field, max_share } = rule.records_without;
    const path = [...at, 'records_without'];
    requireKnown([...path, 'field'], field);
    if (rule.match.some((entry) => (typeof entry === 'string' ? entry : entry.field) === field)) {
      report(
        [...path, 'field'],
        `"${field}" is one of the rule's match fields: every record the rule links has it`,
        'RULES_NOT_APPLICABLE',
      );
    }
    if (!(max_share >= 0 && max_share <= 1)) report([...path, 'max_share'], 'must be from 0 to 1', 'RULES_RANGE');
  };

  const seenIds = new Map<string, number>();
  file.rules.forEach((rule, index) => {
    const at: PathSegment[] = ['rules', index];
    const first = seenIds.get(rule.id);
    if (first !== undefined)
      report([...at, 'id'], `rule id "${rule.id}" is already used by rules[${first}]`, 'RULES_DUPLICATE_ID');
    else seenIds.set(rule.id, index);

    const checkGuards = () =>
      (rule.must_not_differ ?? []).forEach((entry, position) => {
        checkFieldEntry(entry, [...at, 'must_not_differ', position]);
      });
    const checkFieldEntry = (entry: FieldEntry, path: PathSegment[]) => {
      const field = typeof entry === 'string' ? entry : entry.field;
      const fieldPath = typeof entry === 'string' ? path : [...path, 'field'];
      requireKnown(fieldPath, field);
      if (typeof entry !== 'string' && entry.comparator === 'jaro_winkler') {
        if (entry.min_similarity <= 0 || entry.min_similarity > 1) {
          report([...path, 'min_similarity'], 'must be above 0 and at most 1', 'RULES_RANGE');
        }
      }
      return field;
    };

    if (rule.kind === 'deterministic') {
      let exactFields = 0;
      rule.match.forEach((entry, position) => {
        const path = [...at, 'match', position];
        const field = checkFieldEntry(entry, path);
        const exact = typeof entry === 'string' || entry.comparator === 'exact';
        if (exact) exactFields++;
        else if (field in identifiers) {
          report(
            [...path, 'comparator'],
            `${entry.comparator} applies to attributes; "${field}" is an identifier type, compared exactly`,
            'RULES_NOT_APPLICABLE',
          );
        }
        if (known(field) && !mapped.has(field)) {
          report(
            path,
            `no source maps a field to "${field}": this rule never fires`,
            'RULES_UNKNOWN_REFERENCE',
            'warning',
          );
        }
      });
      if (exactFields === 0) {
        report(
          [...at, 'match'],
          'needs at least one field compared exactly (a bare name): records are grouped by those values before the others are compared',
          'RULES_NOT_APPLICABLE',
        );
      }
      checkGuards();
      checkRecordsWithout(rule, at);
      return;
    }
    checkGuards();
    rule.blocking.forEach((key, keyIndex) => {
      key.forEach((part, partIndex) => {
        const path = [...at, 'blocking', keyIndex, partIndex];
        const match = BLOCKING_KEY_PATTERN.exec(part);
        const transform = match?.[1];
        const field = match?.[2] ?? match?.[3] ?? part;
        requireKnown(path, field);
        if (transform && !(BLOCKING_TRANSFORMS as readonly string[]).includes(transform)) {
          report(
            path,
            `unknown transform "${transform}"; use one of ${BLOCKING_TRANSFORMS.join(', ')}`,
            'RULES_UNKNOWN_REFERENCE',
          );
        } else if (
          (transform === 'email_local' || transform === 'email_domain') &&
          identifiers[field]?.normalizer !== 'email'
        ) {
          report(path, `${transform} applies only to an email identifier type`, 'RULES_NOT_APPLICABLE');
        } else if (transform === 'year' && attributes[field]?.normalizer !== 'date_of_birth') {
          report(path, 'year applies only to a date_of_birth attribute', 'RULES_NOT_APPLICABLE');
        }
      });
    });
    rule.compare.forEach((comparison, position) => {
      requireKnown([...at, 'compare', position, 'field'], comparison.field);
      checkLevels(comparison, [...at, 'compare', position], report);
      if (comparison.max_adjustment !== undefined && comparison.term_frequency !== true) {
        report(
          [...at, 'compare', position, 'max_adjustment'],
          'applies only with term_frequency: true',
          'RULES_NOT_APPLICABLE',
          'warning',
        );
      }
    });
    if (rule.min_score <= 0) {
      report([...at, 'min_score'], 'must be above 0, or pairs with nothing in common would match', 'RULES_RANGE');
    }
    const best = rule.compare.reduce((sum, comparison) => sum + Math.max(0, bestWeight(comparison)), 0);
    if (best < rule.min_score) {
      report(
        [...at, 'min_score'],
        `${rule.min_score} cannot be reached: the best possible score is ${best}`,
        'RULES_UNREACHABLE_SCORE',
      );
    }
    if (rule.review_from !== undefined && rule.review_from >= rule.min_score) {
      report(
        [...at, 'review_from'],
        `must be below min_score (${rule.min_score}): the review band is the scores just short of a merge`,
        'RULES_RANGE',
      );
    }
  });

  const constraints = file.constraints;
  constraints.never_merge_on_conflict.forEach((field, index) => {
    requireKnown(['constraints', 'never_merge_on_conflict', index], field);
  });
  constraints.distinct_people_by.forEach((field, index) => {
    requireKnown(['constraints', 'distinct_people_by', index], field);
  });
  for (const [type, config] of Object.entries(identifiers)) {
    if (config.distinct_people_by === undefined) continue;
    config.distinct_people_by.forEach((field, index) => {
      requireKnown(['identifiers', type, 'distinct_people_by', index], field);
    });
    if (config.shared_after === undefined) {
      report(
        ['identifiers', type, 'distinct_people_by'],
        'applies only with shared_after: people are counted to decide whether a value is shared',
        'RULES_NOT_APPLICABLE',
        'warning',
      );
    }
  }
  return problems;
}

/** The most a comparison can add: a term-frequency comparison's agreement on a rare value counts too. */
function bestWeight(comparison: Comparison): number {
  const rare = comparison.term_frequency ? maxAdjustmentOf(comparison) : 0;
  if (comparison.comparator === 'exact') {
    return Math.max(comparison.weight + rare, comparison.else_weight, comparison.missing_weight ?? 0);
  }
  return Math.max(
    comparison.else_weight,
    comparison.missing_weight ?? 0,
    ...comparison.levels.map((level, index) => level.weight + (index === 0 ? rare : 0)),
  );
}

function checkLevels(
  comparison: Comparison,
  at: PathSegment[],
  report: (path: PathSegment[], message: string, code: RuleProblemCode) => void,
): void {
  if (comparison.comparator === 'jaro_winkler') {
    comparison.levels.forEach((level, index) => {
      if (level.min_similarity <= 0 || level.min_similarity > 1) {
        report([...at, 'levels', index, 'min_similarity'], 'must be above 0 and at most 1', 'RULES_RANGE');
      }
      const previous = comparison.levels[index - 1];
      if (previous && level.min_similarity >= previous.min_similarity) {
        report(
          [...at, 'levels', index, 'min_similarity'],
          'levels must go from the strictest (highest) down',
          'RULES_RANGE',
        );
      }
    });
  }
  if (comparison.comparator === 'date') {
    comparison.levels.forEach((level, index) => {
      const previous = comparison.levels[index - 1];
      if (previous && DATE_CLOSENESS.indexOf(level.within) <= DATE_CLOSENESS.indexOf(previous.within)) {
        report(
          [...at, 'levels', index, 'within'],
          `levels must go from the closest down, in the order ${DATE_CLOSENESS.join(', ')}`,
          'RULES_RANGE',
        );
      }
    });
  }
  if (comparison.comparator === 'levenshtein') {
    comparison.levels.forEach((level, index) => {
      const previous = comparison.levels[index - 1];
      if (previous && level.max_distance <= previous.max_distance) {
        report(
          [...at, 'levels', index, 'max_distance'],
          'levels must go from the strictest (smallest) up',
          'RULES_RANGE',
        );
      }
    });
  }
}
