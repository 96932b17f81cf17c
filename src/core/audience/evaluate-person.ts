/**
 * One person seen by one destination: which of their values the platform would take (in its own
 * normalized form), which it would refuse and why, which the rules call junk, which match keys the
 * person has, and the chance the platform matches them: 1 - prod(1 - p_key) over their keys.
 */
import type { DestinationProfile } from '../destinations/destination-profile.js';
import { normalizeForDestination } from '../destinations/normalize-for-destination.js';
import type {
  DestinationContext,
  DestinationField,
  DestinationReason,
  DestinationValue,
} from '../destinations/types.js';
import type { ValueMemo } from '../value-memo.js';
import { isFreemail } from './email-kind.js';
import type { PersonValue } from './person.js';

export type JunkReason = 'JUNK_VALUE' | 'BLOCKED_VALUE';

export interface EvaluationSettings {
  readonly destination: DestinationProfile;
  /** Destination field fed by each rules target (identifier type or attribute). */
  readonly fieldOf: ReadonlyMap<string, DestinationField>;
  /** The rules file's verdict on a value: junk, blocked, or fine (undefined). */
  readonly junk: (value: PersonValue) => JunkReason | undefined;
  /** Whether valid values need their upload form (hash); reports only need the verdict. */
  readonly withUpload?: boolean;
  /** Outcomes of values already seen with these settings (see ValueMemo), for fields whose values repeat. */
  readonly memo?: ValueMemo<ValueVerdict>;
}

export interface FieldView {
  /** Normalized value -> the upload form (hash or clear value). */
  readonly valid: Map<string, string>;
  readonly invalid: { readonly reason: DestinationReason; readonly value: PersonValue }[];
  readonly junk: JunkReason[];
  /** Raw values seen, including those that normalized to a value already present. */
  raw: number;
  /** Values dropped because another value normalized to the same form. */
  collapsed: number;
}

export interface Likelihood {
  readonly low: number;
  readonly mid: number;
  readonly high: number;
}

export interface PersonView {
  readonly fields: Map<DestinationField, FieldView>;
  /** Names of the destination's match keys this person has. */
  readonly keys: readonly string[];
  readonly match: Likelihood;
  /** Has valid emails, none of them personal. */
  readonly workEmailOnly: boolean;
}

/**
 * Fields with nearly one value per person (identifiers): remembering their outcomes costs more than
 * it saves. The others repeat across people (first names, postcodes, countries) and are remembered.
 */
const ONE_PER_PERSON: ReadonlySet<DestinationField> = new Set(['email', 'phone', 'maid', 'x_handle', 'external_id']);

const NO_MATCH: Likelihood = { low: 0, mid: 0, high: 0 };

/** What one value comes to for one destination: junk by the rules, or the platform's verdict. */
export type ValueVerdict = JunkReason | DestinationValue;

/**
 * `verdicts`, when given, holds verdicts by value object and is filled in: a person's "before" view
 * is made of the same value objects as the "after" view, so evaluating the second reuses the first.
 */
export function evaluatePerson(
  values: readonly PersonValue[],
  settings: EvaluationSettings,
  verdicts?: Map<PersonValue, ValueVerdict>,
): PersonView {
  const fields = new Map<DestinationField, FieldView>();
  for (const value of values) {
    const field = settings.fieldOf.get(value.target);
    if (!field || !settings.destination.fields[field]) continue;
    let view = fields.get(field);
    if (!view) {
      view = { valid: new Map(), invalid: [], junk: [], raw: 0, collapsed: 0 };
      fields.set(field, view);
    }
    view.raw++;
    let result = verdicts?.get(value);
    if (result === undefined) {
      result =
        settings.memo && !ONE_PER_PERSON.has(field)
          ? settings.memo.get(value.target, value.country, value.raw, () => verdict(field, value, settings))
          : verdict(field, value, settings);
      verdicts?.set(value, result);
    }
    if (typeof result === 'string') view.junk.push(result);
    else if (!result.ok) view.invalid.push({ reason: result.reason, value });
    else if (view.valid.has(result.normalized)) view.collapsed++;
    else view.valid.set(result.normalized, result.upload);
  }
  const emails = fields.get('email');
  const workEmailOnly = emails !== undefined && emails.valid.size > 0 && ![...emails.valid.keys()].some(isFreemail);
  const keys = settings.destination.keys
    .filter((key) => key.fields.every((field) => (fields.get(field)?.valid.size ?? 0) > 0))
    .map((key) => key.name);
  return { fields, keys, match: likelihood(settings.destination, keys, workEmailOnly), workEmailOnly };
}

function verdict(field: DestinationField, value: PersonValue, settings: EvaluationSettings): ValueVerdict {
  // A value the rules accepted at ingest (see PersonValue.accepted) is neither junk nor blocked.
  const junk = value.accepted ? undefined : settings.junk(value);
  if (junk) return junk;
  return normalizeForDestination(
    settings.destination,
    field,
    value.raw,
    destinationContext(value),
    settings.withUpload ?? true,
  );
}

function destinationContext(value: PersonValue): DestinationContext {
  if (value.canonical === undefined) return value.country ? { country: value.country } : {};
  return value.country ? { country: value.country, canonical: value.canonical } : { canonical: value.canonical };
}

/** 1 - prod(1 - p) over the keys, for each end of the prior ranges. Assumes keys match independently. */
export function likelihood(
  destination: DestinationProfile,
  keys: readonly string[],
  workEmailOnly: boolean,
): Likelihood {
  if (keys.length === 0) return NO_MATCH;
  let missLow = 1;
  let missMid = 1;
  let missHigh = 1;
  for (const key of destination.keys) {
    if (!keys.includes(key.name)) continue;
    const factor = key.name === 'email' && workEmailOnly ? destination.workEmailFactor : 1;
    missLow *= 1 - key.prior.low * factor;
    missMid *= 1 - key.prior.mid * factor;
    missHigh *= 1 - key.prior.high * factor;
  }
  return { low: 1 - missLow, mid: 1 - missMid, high: 1 - missHigh };
}
