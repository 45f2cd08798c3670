/** Calendar arithmetic on ISO dates, in UTC: a license date means the whole UTC day. */
export const DAY_MS = 86_400_000;

export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isTimestamp(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) && isCalendarDate(s.slice(0, 10));
}

/** Start of the given day (UTC) in ms. */
export function startOfDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** First instant after the given day (UTC) in ms: a date "until" is inclusive. */
export function endOfDay(date: string): number {
  return startOfDay(date) + DAY_MS;
}

/** YYYY-MM-DD of an instant (UTC). */
export function toCalendarDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return toCalendarDate(startOfDay(date) + days * DAY_MS);
}

/** Whole days from `now` until the end of `date` (0 on its last day, negative once past). */
export function daysUntil(date: string, now: number): number {
  return Math.ceil((endOfDay(date) - now) / DAY_MS) - 1;
}
