import type { Kysely } from 'kysely';

/**
 * The cockpit tallies change shape (`modules/dashboard/tallies.ts`): overdue is kept by the
 * deadline's day, month and year with the deadline as the period, and the area (A) and source (S)
 * groupings gain city-wide copies. The figures follow from the ledger, so nothing is converted: the
 * tallies are marked unbuilt and the next start rebuilds them from the ledger in one transaction
 * (`ensureTallies`, before the server answers), as it does for a new database.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('tally_state').execute();
}
