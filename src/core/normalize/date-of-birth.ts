/**
 * Dates of birth to ISO 8601 (YYYY-MM-DD). Accepted: YYYY-MM-DD (also with / or . and a time part),
 * YYYYMMDD, day-month-year and month-day-year with / - . separators and 2- or 4-digit years, and
 * English month names ("15 Jan 1990", "January 15, 1990"). When day and month could be swapped
 * (03/04/1990), the order comes from the context: month first for the United States and a few
 * others that write dates that way, day first everywhere else. "Today" is passed in, never read.
 */
import { accept, type NormalizeResult, refuse } from './result.js';
import { rawText } from './text-basics.js';

export type DateOrder = 'DMY' | 'MDY';

export interface DateContext {
  readonly country?: string;
  readonly dateOrder?: DateOrder;
  /** YYYY-MM-DD; dates after it are refused (DOB_OUT_OF_RANGE). */
  readonly today?: string;
  /** YYYY-MM-DD; dates before it are refused (DOB_OUT_OF_RANGE). 1900-01-01 unless the rules say. */
  readonly earliest?: string;
}

const MONTH_FIRST_COUNTRIES = new Set(['US', 'PH', 'FM', 'MH', 'PW', 'BZ']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Customer data rarely holds a living person born earlier; historical records set their own. */
const DEFAULT_EARLIEST = '1900-01-01';

export function normalizeDateOfBirth(raw: unknown, context: DateContext = {}): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > 40) return refuse('TOO_LONG');
  const parts = parseDateParts(text.toLowerCase(), context);
  if (!parts) return refuse('DOB_INVALID');
  const [year, month, day] = parts;
  if (!isRealDate(year, month, day)) return refuse('DOB_INVALID');
  const iso = `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
  if (iso < (context.earliest ?? DEFAULT_EARLIEST) || (context.today !== undefined && iso > context.today)) {
    return refuse('DOB_OUT_OF_RANGE');
  }
  return accept(iso);
}

function parseDateParts(text: string, context: DateContext): [number, number, number] | undefined {
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ].*)?$/.exec(text);
  if (match) return [Number(match[1]), Number(match[2]), Number(match[3])];
  match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match) return [Number(match[1]), Number(match[2]), Number(match[3])];
  match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(text);
  if (match) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    const year = fullYear(match[3] as string, context);
    const order = first > 12 ? 'DMY' : second > 12 ? 'MDY' : dateOrderOf(context);
    return order === 'DMY' ? [year, second, first] : [year, first, second];
  }
  match = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,})\.?[\s-,]+(\d{4})$/.exec(text);
  if (match) {
    const month = monthNumber(match[2] as string);
    return month ? [Number(match[3]), month, Number(match[1])] : undefined;
  }
  match = /^([a-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(text);
  if (match) {
    const month = monthNumber(match[1] as string);
    return month ? [Number(match[3]), month, Number(match[2])] : undefined;
  }
  return undefined;
}

function dateOrderOf(context: DateContext): DateOrder {
  if (context.dateOrder) return context.dateOrder;
  return context.country && MONTH_FIRST_COUNTRIES.has(context.country.toUpperCase()) ? 'MDY' : 'DMY';
}

/** Two-digit years: a birth year cannot be in the future, so 00..(this year) are 20xx, the rest 19xx. */
function fullYear(text: string, context: DateContext): number {
  if (text.length === 4) return Number(text);
  const twoDigits = Number(text);
  const currentYear = context.today ? Number(context.today.slice(2, 4)) : 0;
  return twoDigits <= currentYear ? 2000 + twoDigits : 1900 + twoDigits;
}

function monthNumber(name: string): number | undefined {
  const index = MONTHS.indexOf(name.slice(0, 3));
  return index === -1 ? undefined : index + 1;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}

const pad = (n: number) => String(n).padStart(2, '0');
