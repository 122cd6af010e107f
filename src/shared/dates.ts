/** Business dates are Shanghai dates (UTC+8, no daylight saving); a deadline ends at 24:00 that day. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Shanghai calendar date of an instant, as YYYY-MM-DD. */
export function shanghaiDate(now: Date): string {
  return shanghaiDateOfInstant(now.getTime());
}

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 in Shanghai → that day's date: a bulk job meets the same few hundred days again and again. */
const datesOfDays = new Map<number, string>();
/** The Shanghai calendar date (YYYY-MM-DD) of an instant in milliseconds since the epoch. */
export function shanghaiDateOfInstant(ms: number): string {
  const day = Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
  let date = datesOfDays.get(day);
  if (date === undefined) {
    if (datesOfDays.size >= 10_000) datesOfDays.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    datesOfDays.set(day, date);
  }
  return date;
}

/** The instant (ms since the epoch) the Shanghai day of an instant begins: arithmetic only, for a bulk job's every row. */
export function shanghaiDayStartOfInstant(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** A date `days` after (or before) another, both YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The same day a year before (2026-03-15 → 2025-03-15; 29 February → 28 February): "the last 12 months". */
export function yearBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const back = new Date(Date.UTC(y - 1, m - 1, d));
  if (back.getUTCMonth() !== m - 1) back.setUTCDate(0);
  return back.toISOString().slice(0, 10);
}
