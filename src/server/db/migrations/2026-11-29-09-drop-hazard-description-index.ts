import type { Kysely } from 'kysely';

/**
 * Re-imports match a row without a code on enterprise + description + found day; the lookup now
 * goes through (enterprise, found_at, id) with the day as a range, so the index over the long
 * description text goes: it cost every hazard insert ~0.5 s per 100,000 rows on either database.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('hazards_enterprise_description_idx').execute();
}
