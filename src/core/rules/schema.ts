/**
 * The shape of a match-rules file (first validation pass). The same schema produces the JSON Schema
 * that editors use (rules/idgraph-rules.schema.json), so the two cannot drift apart.
 * Meaning checks (references between sections, ranges that depend on each other) live in meaning.ts.
 */

import { z } from 'zod';
import { PHONE_LINE_TYPES } from '../normalize/phone-line-type.js';
import { DATE_CLOSENESS } from '../similarity/date-closeness.js';

/** Names of types, attributes, sources and rules: lowercase snake_case so they read well in Cypher and CSV. */
export const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const name = z.string().regex(NAME_PATTERN, 'must be lowercase snake_case (a-z, 0-9, _), starting with a letter');

export const IDENTIFIER_NORMALIZERS = ['email', 'phone', 'device_id', 'cookie', 'custom'] as const;
export const ATTRIBUTE_NORMALIZERS = ['person_name', 'postal_code', 'country', 'date_of_birth', 'text'] as const;
export const CASE_POLICIES = ['preserve', 'lower', 'upper'] as const;

const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

const blockedValues = z
  .object({
    values: z
      .array(z.string())
      .default([])
      .describe('Exact values refused as BLOCKED_VALUE (compared after normalization).'),
    patterns: z
      .array(regexSource)
      .default([])
      .describe('Regular expressions; a normalized value matching any of them is refused as BLOCKED_VALUE.'),
  })
  .strict();

export const identifierTypeSchema = z
  .object({
    normalizer: z.enum(IDENTIFIER_NORMALIZERS).describe('How raw values of this type are made canonical.'),
    case: z
      .enum(CASE_POLICIES)
      .optional()
      .describe('Case policy for cookie and custom types (default: preserve for cookie, lower for custom).'),
    pattern: regexSource.optional().describe('custom only: canonical values must match this regex (ID_PATTERN).'),
    line_types: z
      .array(z.enum(PHONE_LINE_TYPES))
      .min(1)
      .optional()
      .describe(
        "phone only: the line types accepted, by the numbering plans (mobile, fixed_line, fixed_line_or_mobile where a plan cannot tell, as in +1, voip...); other numbers are refused as PHONE_LINE_TYPE. A mobile is one person's, a landline a household's.",
      ),
    max_per_profile: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Distinct values one profile may hold; a merge that would exceed it is refused.'),
    shared_after: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe(
        'A value seen with this many distinct people counts as shared (family tablet, household phone, role mailbox) and stops being merge evidence.',
      ),
    blocked: blockedValues.optional(),
    distinct_people_by: z
      .array(name)
      .optional()
      .describe(
        'Attributes (or identifier types) whose differing values mean different people when counting who shares a value of this type; replaces constraints.distinct_people_by for this type.',
      ),
  })
  .strict();

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const attributeSchema = z
  .object({
    normalizer: z.enum(ATTRIBUTE_NORMALIZERS).describe('How raw values of this attribute are made canonical.'),
    earliest: isoDate
      .optional()
      .describe(
        'date_of_birth only: the earliest date accepted (default 1900-01-01); historical records want an earlier one. Dates after today are always refused.',
      ),
  })
  .strict();

const countrySetting = z.union([
  z
    .object({ fixed: z.string().describe('ISO 3166-1 alpha-2 code or a country name, e.g. GB or "United Kingdom".') })
    .strict(),
  z.object({ field: z.string().min(1).describe('Record field holding the country of the record.') }).strict(),
]);

/** Transforms a derived field applies last, in the order given. */
export const DERIVED_TRANSFORMS = ['trim', 'lower', 'upper', 'digits'] as const;
/** Parts of a full name a derived field can take (the name is split by a name parser). */
export const NAME_PARTS = ['title', 'first', 'middle', 'last', 'suffix'] as const;

const fieldPath = z
  .string()
  .min(1)
  .describe('A record field; a dotted path (shipping_address.zip) reads a nested object, or a column of that name.');

/**
 * A value computed from a record's fields, in a fixed order: pick (from, first_of or concat), then
 * regex, then name_part, then transforms. Exactly one of from, first_of and concat (meaning.ts).
 */
export const derivedFieldSchema = z
  .object({
    from: fieldPath.optional().describe('The field to read.'),
    first_of: z.array(fieldPath).min(1).optional().describe('The first of these fields that holds a value.'),
    concat: z
      .array(fieldPath)
      .min(1)
      .optional()
      .describe('These fields joined by `separator`; empty ones are left out.'),
    separator: z.string().default(' ').describe('concat only: put between the parts (default one space).'),
    regex: regexSource
      .optional()
      .describe(
        'Keep the first capture group of the first match (the whole match without a group); no match, no value.',
      ),
    name_part: z
      .enum(NAME_PARTS)
      .optional()
      .describe(
        'Read the value as a full name ("Dr Alice P. van der Berg", "PARKER, Alice") and keep this part; an initial alone gives no value.',
      ),
    transforms: z
      .array(z.enum(DERIVED_TRANSFORMS))
      .default([])
      .describe('Applied last, in order: trim, lower, upper, digits (keep digits only).'),
  })
  .strict();

export const sourceSchema = z
  .object({
    key: z.string().min(1).describe('Record field that identifies a record within this source.'),
    timestamp: z.string().min(1).optional().describe('Record field with the time the record was last updated.'),
    country: countrySetting.optional().describe('Default country for phone numbers and postal codes.'),
    priority: z
      .number()
      .int()
      .optional()
      .describe('Survivorship: a higher priority source wins attribute conflicts (default 0).'),
    fields: z
      .record(z.string().min(1), name)
      .default({})
      .describe('Record field -> identifier type or attribute name. Several fields may map to one type.'),
    derived: z
      .record(name, derivedFieldSchema)
      .optional()
      .describe(
        'Identifier type or attribute -> how to compute its value from the record (split a full name, a nested path, the first non-empty of several fields, a concatenation, a regex, transforms).',
      ),
  })
  .strict();

export const FIELD_COMPARATORS = ['exact', 'nickname', 'jaro_winkler'] as const;

/**
 * How a deterministic rule's field, or a guard's, decides that two values agree. Written as a bare
 * field name for `exact`, or as an object naming another comparator.
 */
export const fieldMatchSchema = z.discriminatedUnion('comparator', [
  z
    .object({ field: name, comparator: z.literal('exact') })
    .strict()
    .describe('The matching keys are equal.'),
  z
    .object({ field: name, comparator: z.literal('nickname') })
    .strict()
    .describe('Equal, or common variants of one first name (Richard/Rick, Elizabeth/Liz).'),
  z
    .object({
      field: name,
      comparator: z.literal('jaro_winkler'),
      min_similarity: z.number().describe('Jaro-Winkler similarity (above 0, at most 1) the two values must reach.'),
      nicknames: z.boolean().default(false).describe('Nicknames of one first name agree too.'),
    })
    .strict()
    .describe('Similar enough: typos (Jon/John, Smtih/Smith).'),
]);

const fieldEntry = z.union([name, fieldMatchSchema]);

// Optional rather than defaulted: a default would change the rules version of every existing file.
const mustNotDiffer = z
  .array(fieldEntry)
  .optional()
  .describe(
    "Guards: fields on which the two profiles being merged must not disagree (a missing value never blocks). A profile value that agrees with none of the other profile's values refuses the merge.",
  );

export const deterministicRuleSchema = z
  .object({
    id: name,
    kind: z.literal('deterministic'),
    description: z.string().optional(),
    match: z
      .array(fieldEntry)
      .min(1)
      .describe(
        'Identifier types and attributes that must all agree for two records to merge: a bare name must be equal after normalization; `{field, comparator}` agrees under that comparator.',
      ),
    must_not_differ: mustNotDiffer,
    records_without: z
      .object({
        field: name.describe('The attribute whose absence makes a record "nameless" (e.g. first_name).'),
        max_share: z
          .number()
          .describe(
            "The largest share (0 to 1) of the records holding the rule's values that may lack the field for those records to link.",
          ),
      })
      .strict()
      .optional()
      .describe(
        "Records without `field` link through this rule only where they are at most `max_share` of the records holding the rule's values (the same phone, say); records with it link as before. A household landline given without a name as often as with one may be another member's: its nameless receipts stay apart.",
      ),
  })
  .strict();

/** `field` or `transform(field)`, e.g. `soundex(last_name)`. */
export const BLOCKING_TRANSFORMS = ['prefix1', 'prefix3', 'soundex', 'email_local', 'email_domain', 'year'] as const;
export const BLOCKING_KEY_PATTERN = /^(?:([a-z0-9_]+)\(([a-z][a-z0-9_]*)\)|([a-z][a-z0-9_]*))$/;

const blockingKeyPart = z
  .string()
  .regex(BLOCKING_KEY_PATTERN, 'must be `field` or `transform(field)`, e.g. `soundex(last_name)`')
  .describe(`A field, or a transform of one: ${BLOCKING_TRANSFORMS.join(', ')}.`);

const weight = z.number().finite();

// Optional rather than defaulted: a default would change the rules version of every existing file.
const missingWeight = weight
  .optional()
  .describe(
    'Added when one side has no value (default 0: absence is no evidence). A small negative weight keeps a record without a surname from matching on first name and date alone.',
  );

/** How far a term-frequency adjustment may move a weight, either way, unless the comparison says. */
export const DEFAULT_MAX_ADJUSTMENT = 5;

// Optional rather than defaulted, as missing_weight: existing files keep their rules version.
const termFrequency = z
  .boolean()
  .optional()
  .describe(
    'Weigh an agreement by how rare the value is: when both values are the same, log2(u / p) is added to the weight, where p is the share of records holding that value and u the chance two records agree on the field (both counted from the data). A rare surname adds weight, "Smith" takes some away.',
  );
const maxAdjustment = z
  .number()
  .finite()
  .positive()
  .optional()
  .describe(`term_frequency only: the most the adjustment may add or take away (default ${DEFAULT_MAX_ADJUSTMENT}).`);

const exactComparison = z
  .object({
    field: name,
    comparator: z.literal('exact'),
    weight: weight.describe('Added to the score when the values are equal.'),
    else_weight: weight.default(0).describe('Added when both values are present and differ (usually negative).'),
    missing_weight: missingWeight,
    term_frequency: termFrequency,
    max_adjustment: maxAdjustment,
  })
  .strict();

const levenshteinComparison = z
  .object({
    field: name,
    comparator: z.literal('levenshtein'),
    levels: z
      .array(z.object({ max_distance: z.number().int().min(0), weight }).strict())
      .min(1)
      .describe('Checked in order; the first level whose max_distance the edit distance fits gives its weight.'),
    else_weight: weight.default(0),
    missing_weight: missingWeight,
    term_frequency: termFrequency,
    max_adjustment: maxAdjustment,
  })
  .strict();

const jaroWinklerComparison = z
  .object({
    field: name,
    comparator: z.literal('jaro_winkler'),
    levels: z
      .array(z.object({ min_similarity: z.number(), weight }).strict())
      .min(1)
      .describe('Checked in order; the first level whose min_similarity is reached gives its weight.'),
    nicknames: z
      .boolean()
      .default(false)
      .describe('First names: common variants (Robert/Bob, Elizabeth/Liz) count as similarity 1.'),
    else_weight: weight.default(0),
    missing_weight: missingWeight,
    term_frequency: termFrequency,
    max_adjustment: maxAdjustment,
  })
  .strict();

const dateComparison = z
  .object({
    field: name,
    comparator: z.literal('date'),
    levels: z
      .array(z.object({ within: z.enum(DATE_CLOSENESS), weight }).strict())
      .min(1)
      .describe(
        'Checked in order; the first level the two dates reach gives its weight: exact, typo (one digit differs, or day and month swapped), within_1_year, within_10_years.',
      ),
    else_weight: weight.default(0),
    missing_weight: missingWeight,
    term_frequency: termFrequency,
    max_adjustment: maxAdjustment,
  })
  .strict();

export const comparisonSchema = z.discriminatedUnion('comparator', [
  exactComparison,
  levenshteinComparison,
  jaroWinklerComparison,
  dateComparison,
]);

export const fuzzyRuleSchema = z
  .object({
    id: name,
    kind: z.literal('fuzzy'),
    description: z.string().optional(),
    blocking: z
      .array(z.array(blockingKeyPart).min(1))
      .min(1)
      .describe('Candidate pairs are records that agree on every part of at least one blocking key.'),
    compare: z.array(comparisonSchema).min(1),
    min_score: weight.describe('Pairs whose summed weights reach this score merge.'),
    // Optional rather than defaulted: a default would change the rules version of every existing file.
    review_from: weight
      .optional()
      .describe(
        'A review band below min_score: pairs scoring from this (inclusive) up to min_score do not merge; each becomes a review item for a data steward to link or keep apart. Must be below min_score.',
      ),
    must_not_differ: mustNotDiffer,
  })
  .strict();

export const ruleSchema = z.discriminatedUnion('kind', [deterministicRuleSchema, fuzzyRuleSchema]);

export const constraintsSchema = z
  .object({
    never_merge_on_conflict: z
      .array(name)
      .default([])
      .describe(
        'Identifier types or attributes of which one person has one value (a national ID, a date of birth): records with two different values never end in one profile.',
      ),
    distinct_people_by: z
      .array(name)
      .default([])
      .describe(
        'Attributes whose differing values mean two records belong to different people (e.g. first_name, dob). Used to count how many people share a value (shared_after), for every identifier type that sets no distinct_people_by of its own.',
      ),
    max_profile_records: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Cluster cap: a merge that would put more records than this in one profile is refused.'),
  })
  .strict();

export const SURVIVORSHIP_STRATEGIES = ['most_recent', 'source_priority', 'most_frequent'] as const;

export const rulesFileSchema = z
  .object({
    version: z.literal(1).describe('Version of the rules language.'),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    junk_values: z
      .object({
        builtin: z
          .boolean()
          .default(true)
          .describe('Use the built-in list of placeholder values (test@test.com, 0000000000, ...).'),
        values: z.array(z.string()).default([]),
        patterns: z.array(regexSource).default([]),
      })
      .strict()
      .optional()
      .describe('Placeholder values refused as JUNK_VALUE for every type.'),
    identifiers: z.record(name, identifierTypeSchema).describe('Identifier types: the values records are linked by.'),
    attributes: z
      .record(name, attributeSchema)
      .default({})
      .describe('Attributes used by rules and the golden record (names, postcodes, dates of birth).'),
    sources: z.record(name, sourceSchema).describe('Where records come from and how their fields map.'),
    rules: z.array(ruleSchema).min(1).describe('Match rules, in priority order.'),
    constraints: constraintsSchema.default({ never_merge_on_conflict: [], distinct_people_by: [] }),
    survivorship: z
      .object({ strategy: z.enum(SURVIVORSHIP_STRATEGIES).default('most_recent') })
      .strict()
      .default({ strategy: 'most_recent' })
      .describe('How the golden record picks one value per attribute.'),
  })
  .strict();

export type RulesFile = z.infer<typeof rulesFileSchema>;
export type IdentifierTypeConfig = z.infer<typeof identifierTypeSchema>;
export type AttributeConfig = z.infer<typeof attributeSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type DerivedField = z.infer<typeof derivedFieldSchema>;
export type NamePart = (typeof NAME_PARTS)[number];
export type DerivedTransform = (typeof DERIVED_TRANSFORMS)[number];
export type Rule = z.infer<typeof ruleSchema>;
export type DeterministicRule = z.infer<typeof deterministicRuleSchema>;
export type FuzzyRule = z.infer<typeof fuzzyRuleSchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
export type FieldMatch = z.infer<typeof fieldMatchSchema>;
export type FieldComparator = (typeof FIELD_COMPARATORS)[number];
export type FieldEntry = z.infer<typeof fieldEntry>;
export type BlockingTransform = (typeof BLOCKING_TRANSFORMS)[number];
