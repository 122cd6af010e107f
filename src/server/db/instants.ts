/**
 * Instants stored as whole milliseconds since the Unix epoch (an integer column on both databases),
 * read and written by the code as the API's ISO-8601 strings in UTC. Columns kept so: a hazard
 * event's `at` (migration 36); a hazard's `found_at`, `closed_at`, `created_at`, `updated_at`
 * (migration 37; SQLite's page JSON formats them in SQL: `rowJson`'s `instant`). On SQLite the integer takes 6 bytes where the text took 24, in the
 * row and in every index holding it; the order and the comparisons are the same.
 */
export function storedInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${JSON.stringify(iso)}`);
  return ms;
}

/** A stored instant as the API writes it (`2026-11-29T04:00:00.000Z`). */
export const isoInstant = (ms: number): string => new Date(ms).toISOString();

/** The instant a Shanghai calendar day (`YYYY-MM-DD`; UTC+8, no daylight saving) begins. */
export const startOfShanghaiDay = (day: string): number => storedInstant(`${day}T00:00:00+08:00`);

/** `isoInstant` or null. */
export const isoInstantOrNull = (ms: number | null): string | null => (ms === null ? null : isoInstant(ms));
