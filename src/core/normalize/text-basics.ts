/** Small text helpers shared by the normalizers. */

/** Longest raw input any normalizer looks at; longer values are refused (TOO_LONG) before any work. */
export const MAX_INPUT_LENGTH = 512;

/**
 * The raw value as trimmed text, or undefined when it is empty. Numbers are accepted (CSV and JSON
 * exports often carry phones and IDs as numbers); anything else is not a value.
 */
export function rawText(raw: unknown): string | undefined {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) text = Number.isInteger(raw) ? raw.toFixed(0) : String(raw);
  else if (typeof raw === 'bigint') text = raw.toString();
  else return undefined;
  // Zero-width and other invisible format characters come from copy-paste and break equality.
  const cleaned = text.replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '').trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Removes combining marks after canonical decomposition: "Zoë" -> "Zoe". For lookups, not for values. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}
