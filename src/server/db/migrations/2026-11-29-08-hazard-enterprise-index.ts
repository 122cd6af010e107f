import type { Kysely } from 'kysely';

/**
 * An enterprise's ledger, newest first, straight from an index. With (enterprise, status) only,
 * SQLite (which has no statistics here) chose to walk the whole city's found-at index and filter:
 * an enterprise user's first page took ~0.3 s at 300,000 hazards and grows with the city. The new
 * index answers the enterprise's lookups the old one did, so it replaces it (each index on the
 * ledger costs every insert). Re-import matching keeps (enterprise, description).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('hazards_enterprise_found_idx').on('hazards').columns(['enterprise_id', 'found_at', 'id']).execute();
  await db.schema.dropIndex('hazards_enterprise_idx').execute();
}
