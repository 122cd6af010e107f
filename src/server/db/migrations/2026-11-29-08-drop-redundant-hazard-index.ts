import type { Kysely } from 'kysely';

/**
 * `hazards_enterprise_idx` (enterprise, status) repeats the lead of `hazards_enterprise_description_idx`
 * (enterprise, description), which answers the same lookups (an enterprise's hazards are a few hundred
 * at most). Each index on the ledger costs every insert: an import of 100,000 rows spent ~1 s on this one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('hazards_enterprise_idx').execute();
}
