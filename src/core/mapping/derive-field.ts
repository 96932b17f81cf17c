/**
 * Derived fields of a source's mapping: a value computed from a record's raw fields, in a fixed
 * order (pick, regex, name part, transforms). Pure; `undefined` means the record has no such value,
 * which is never an error (a till receipt without a name simply has no first name).
 */
import type { DerivedField, DerivedTransform } from '../rules/schema.js';
import { namePart } from './name-parts.js';

export function deriveField(recipe: DerivedField, row: Readonly<Record<string, unknown>>): string | undefined {
  let value = pick(recipe, row);
  if (value !== undefined && recipe.regex !== undefined) value = capture(recipe.regex, value);
  if (value !== undefined && recipe.name_part !== undefined) value = namePart(value, recipe.name_part);
  for (const transform of recipe.transforms) {
    if (value === undefined) break;
    value = applyTransform(transform, value);
  }
  return value === undefined || value === '' ? undefined : value;
}

/** Fields the recipe reads, for keeping the raw values beside the record. */
export function fieldsRead(recipe: DerivedField): readonly string[] {
  return recipe.from !== undefined ? [recipe.from] : (recipe.first_of ?? recipe.concat ?? []);
}

function pick(recipe: DerivedField, row: Readonly<Record<string, unknown>>): string | undefined {
  if (recipe.from !== undefined) return readPath(row, recipe.from);
  if (recipe.first_of !== undefined) {
    for (const path of recipe.first_of) {
      const value = readPath(row, path);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  const parts = (recipe.concat ?? []).map((path) => readPath(row, path)).filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(recipe.separator);
}

/**
 * A field's text: the column of that exact name first (a CSV header `address.zip`), else the dotted
 * path through nested objects (NDJSON `{"address": {"zip": ...}}`). Objects and arrays are no text.
 */
export function readPath(row: Readonly<Record<string, unknown>>, path: string): string | undefined {
  let value: unknown = Object.hasOwn(row, path) ? row[path] : undefined;
  if (value === undefined && path.includes('.')) {
    value = row;
    for (const segment of path.split('.')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

const compiled = new Map<string, RegExp>();

function capture(source: string, value: string): string | undefined {
  let regex = compiled.get(source);
  if (!regex) {
    regex = new RegExp(source, 'u');
    compiled.set(source, regex);
  }
  const match = regex.exec(value);
  if (!match) return undefined;
  return match.length > 1 ? match[1] : match[0];
}

function applyTransform(transform: DerivedTransform, value: string): string {
  switch (transform) {
    case 'trim':
      return value.trim().replace(/\s+/gu, ' ');
    case 'lower':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    case 'digits':
      return value.replace(/\D/gu, '');
  }
}
