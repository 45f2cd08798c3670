/**
 * The one date, time and duration formatter of the product: local time zone, the UI's language,
 * built on Intl (no library needed). Calendar dates (license expiry, maintenance) are whole days
 * and are shown as such; instants (last check, an event's time) in the local time zone.
 */
import type { Locale } from '../i18n.js';
import { isCalendarDate } from '../license/dates.js';

const TAG: Readonly<Record<Locale, string>> = { en: 'en-GB', de: 'de-DE' };
const DAY_MS = 86_400_000;

export interface FormatOptions {
  /** IANA zone for instants; the runtime's local zone by default. */
  readonly timeZone?: string;
  /** "Now" for relative times (default Date.now()). */
  readonly now?: number;
}

/** A calendar date "2026-06-30" → "30 Jun 2026" / "30.06.2026"; an instant → its local date. */
export function formatDate(locale: Locale, value: string, o: FormatOptions = {}): string {
  if (isCalendarDate(value)) return new Intl.DateTimeFormat(TAG[locale], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: 'medium', ...(o.timeZone ? { timeZone: o.timeZone } : {}) }).format(t);
}

/** An instant → local date and time, "28 Nov 2026, 08:01:05" / "28.11.2026, 08:01:05". */
export function formatDateTime(locale: Locale, value: string | number, o: FormatOptions = {}): string {
  const t = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(t)) return String(value);
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: 'medium', timeStyle: 'medium', ...(o.timeZone ? { timeZone: o.timeZone } : {}) }).format(t);
}

/** A license expiry: a date, or "never"/"unbefristet" for a perpetual license. */
export function formatExpiry(locale: Locale, value: string, o: FormatOptions = {}): string {
  return value === 'perpetual' ? PERPETUAL[locale] : formatDate(locale, value, o);
}
const PERPETUAL: Readonly<Record<Locale, string>> = { en: 'never', de: 'unbefristet' };

/** "in 17 days" / "in 17 Tagen", "2 hours ago" / "vor 2 Stunden": the largest whole unit. */
export function formatRelative(locale: Locale, value: string | number, o: FormatOptions = {}): string {
  const t = typeof value === 'number' ? value : isCalendarDate(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(t)) return String(value);
  const diff = t - (o.now ?? Date.now());
  const rtf = new Intl.RelativeTimeFormat(TAG[locale], { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs >= DAY_MS) return rtf.format(Math.round(diff / DAY_MS), 'day');
  if (abs >= 3_600_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  if (abs >= 60_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  return rtf.format(Math.round(diff / 1000), 'second');
}

/** A duration in milliseconds: "1 h 5 min", "12 s", "350 ms" (units as the language writes them). */
export function formatDuration(locale: Locale, ms: number): string {
  const unit = (n: number, u: 'hour' | 'minute' | 'second' | 'millisecond') => new Intl.NumberFormat(TAG[locale], { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
  if (ms < 1000) return unit(Math.round(ms), 'millisecond');
  const s = Math.round(ms / 1000);
  if (s < 60) return unit(s, 'second');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return m ? `${unit(h, 'hour')} ${unit(m, 'minute')}` : unit(h, 'hour');
  return rest ? `${unit(m, 'minute')} ${unit(rest, 'second')}` : unit(m, 'minute');
}

/** A number in the language's grouping ("1,234" / "1.234"). */
export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(TAG[locale]).format(n);
}

/** Items joined as the language lists them ("a, b and c" / "a, b und c"). */
export function formatList(locale: Locale, items: readonly string[]): string {
  return new Intl.ListFormat(TAG[locale], { type: 'conjunction', style: 'long' }).format(items);
}

export const languageTag = (locale: Locale): string => TAG[locale];
