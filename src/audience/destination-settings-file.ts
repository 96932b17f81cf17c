/**
 * Reads the destination settings file (YAML or JSON; see rules/destinations.example.yaml) and
 * returns the catalog with it applied, or problems that name the file and the field.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { DESTINATIONS } from '../core/destinations/catalog.js';
import { applyOverrides, destinationOverridesSchema } from '../core/destinations/destination-overrides.js';
import type { DestinationId, DestinationProfile } from '../core/destinations/destination-profile.js';

export class DestinationSettingsError extends Error {
  readonly code = 'DESTINATION_SETTINGS_INVALID';
}

export type DestinationCatalog = Readonly<Record<DestinationId, DestinationProfile>>;

export async function loadDestinationCatalog(path: string | undefined): Promise<DestinationCatalog> {
  if (!path) return DESTINATIONS;
  const text = await readFile(path, 'utf8');
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new DestinationSettingsError(`${path}${line ? `:${line}` : ''}: not valid YAML or JSON`);
  }
  const parsed = destinationOverridesSchema.safeParse(document ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${path}: ${issue.path.join('.')}: ${issue.message}`);
    throw new DestinationSettingsError(problems.join('\n'));
  }
  const applied = applyOverrides(DESTINATIONS, parsed.data);
  if (!applied.ok) throw new DestinationSettingsError(applied.problems.map((p) => `${path}: ${p}`).join('\n'));
  return applied.catalog;
}
