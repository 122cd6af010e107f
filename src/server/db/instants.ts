/**
 * Instants stored as whole milliseconds since the Unix epoch (an integer column on both databases),
 * read and written by the code as the API's ISO-8601 strings in UTC. Columns kept so: a hazard
 * event's `at` (migration 36). On SQLite the integer takes 6 bytes where the text took 24, in the
 * row and in every index holding it; the order and the comparisons are the same.
 */
export function storedInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${JSON.stringify(iso)}`);
  return ms;
}

/** A stored instant as the API writes it (`2026-11-29T04:00:00.000Z`). */
export const isoInstant = (ms: number): string => new Date(ms).toISOString();
