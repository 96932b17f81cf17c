/**
 * Timestamps as databases print them (`2024-01-02 03:04:05.123456+00`, or without a zone) made ISO
 * 8601 (`2024-01-02T03:04:05.123456Z`), the text rows of a file carry and the mapping reads alike on
 * every Node version. A timestamp without a time zone is taken as UTC, as it is read the same
 * wherever the job runs. Anything else (`infinity`, a date before the Common Era) is left as it is.
 */
const DATABASE_TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

export function isoTimestamp(text: string): string {
  const match = DATABASE_TIMESTAMP.exec(text);
  if (!match) return text;
  const [, date, time, sign, hours, minutes = '00', seconds] = match;
  // An offset with seconds (historical local mean time) has no ISO 8601 form Date.parse accepts.
  if (seconds !== undefined && seconds !== '00') return text;
  const zone = sign === undefined || (hours === '00' && minutes === '00') ? 'Z' : `${sign}${hours}:${minutes}`;
  return `${date}T${time}${zone}`;
}
