/** A tuned catalog survives the trip to a worker thread: as overrides of the built-in one. */
import { describe, expect, it } from 'vitest';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import { applyOverrides, overridesOf } from '../../../src/core/destinations/destination-overrides.js';

describe('overridesOf', () => {
  it('rebuilds a tuned catalog from the built-in one, field formats included', () => {
    const tuned = applyOverrides(DESTINATIONS, {
      meta: { priors: { email: { low: 0.1, mid: 0.2, high: 0.3 } }, minimum_matched_people: 7 },
      google: { work_email_factor: 0.9 },
    });
    if (!tuned.ok) throw new Error(tuned.problems.join('; '));
    const overrides = structuredClone(overridesOf(tuned.catalog));
    const rebuilt = applyOverrides(DESTINATIONS, overrides);
    expect(rebuilt).toEqual({ ok: true, catalog: tuned.catalog });
    expect(rebuilt.ok && rebuilt.catalog.meta.minimumMatchedPeople).toBe(7);
    expect(rebuilt.ok && rebuilt.catalog.meta.fields.email?.format).toBe(DESTINATIONS.meta.fields.email?.format);
  });
});
