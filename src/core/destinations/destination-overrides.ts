/**
 * Per-destination settings a team tunes: the priors of each match key (calibrated against what the
 * platform reported for past uploads), the minimum audience size and the work-email factor.
 * The schema is the contract of the settings file; applying it never changes the built-in catalog.
 */
import { z } from 'zod';
import { DESTINATION_IDS, type DestinationId, type DestinationProfile } from './destination-profile.js';

const share = z.number().min(0).max(1);

const priorSchema = z
  .object({ low: share, mid: share, high: share })
  .strict()
  .refine((prior) => prior.low <= prior.mid && prior.mid <= prior.high, 'needs low <= mid <= high');

const destinationOverrideSchema = z
  .object({
    priors: z.record(z.string(), priorSchema).optional().describe('Match key name -> {low, mid, high}.'),
    minimum_matched_people: z.number().int().min(0).optional(),
    work_email_factor: share.optional(),
  })
  .strict();

export const destinationOverridesSchema = z
  .partialRecord(z.enum(DESTINATION_IDS), destinationOverrideSchema)
  .describe('Settings per destination, overriding the built-in defaults.');

export type DestinationOverrides = z.infer<typeof destinationOverridesSchema>;

/** The catalog with the overrides applied; a prior for a key the destination lacks is an error. */
export function applyOverrides(
  catalog: Readonly<Record<DestinationId, DestinationProfile>>,
  overrides: DestinationOverrides,
): { ok: true; catalog: Record<DestinationId, DestinationProfile> } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const result = { ...catalog };
  for (const id of DESTINATION_IDS) {
    const override = overrides[id];
    if (!override) continue;
    const base = catalog[id];
    const known = new Set(base.keys.map((key) => key.name));
    for (const name of Object.keys(override.priors ?? {})) {
      if (!known.has(name))
        problems.push(`${id}.priors.${name}: ${base.name} has no such key (${[...known].join(', ')})`);
    }
    result[id] = {
      ...base,
      keys: base.keys.map((key) => ({ ...key, prior: override.priors?.[key.name] ?? key.prior })),
      minimumMatchedPeople: override.minimum_matched_people ?? base.minimumMatchedPeople,
      workEmailFactor: override.work_email_factor ?? base.workEmailFactor,
    };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, catalog: result };
}

/**
 * Everything settings can change in a catalog, as overrides: plain data, unlike the catalog (its
 * field formats are functions), so a worker thread rebuilds the same catalog from the built-in one.
 */
export function overridesOf(catalog: Readonly<Record<DestinationId, DestinationProfile>>): DestinationOverrides {
  const overrides: DestinationOverrides = {};
  for (const id of DESTINATION_IDS) {
    const destination = catalog[id];
    overrides[id] = {
      priors: Object.fromEntries(destination.keys.map((key) => [key.name, { ...key.prior }])),
      minimum_matched_people: destination.minimumMatchedPeople,
      work_email_factor: destination.workEmailFactor,
    };
  }
  return overrides;
}
