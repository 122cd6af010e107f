import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

const OPEN = `status in ('reported', 'rectifying', 'pending_acceptance')`;

/**
 * SQLite breaks the ledger's ties by rowid (`dialect.ts tieBreaker`): every index of a rowid table
 * already ends with it, so the found-at and deadline indexes no longer carry the 36-character id in
 * each entry (~37 bytes × 1M × 5 indexes ≈ 150 MB at 1M hazards) and still answer "found_at, then
 * the tie" with no sort. PostgreSQL keeps its indexes (it breaks ties by id). Each index is
 * dropped and built again under its name in one transaction: a run cut short leaves it as it was.
 */
const INDEXES: [name: string, definition: string][] = [
  ['hazards_city_found_id_idx', 'on hazards (city_code, found_at)'],
  ['hazards_district_found_idx', 'on hazards (district_code, found_at)'],
  ['hazards_enterprise_found_idx', 'on hazards (enterprise_id, found_at)'],
  ['hazards_industry_found_idx', 'on hazards (city_code, industry_code, found_at)'],
  // No city column after the deadline: it would stand between the deadline and the rowid (a city reader's condition on it is checked on the 20 rows a page reads).
  ['hazards_open_deadline_idx', `on hazards (district_code, grade, (deadline is null), deadline) where ${OPEN}`],
];

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  for (const [name, definition] of INDEXES) {
    await db.transaction().execute(async (trx) => {
      await sql.raw(`drop index if exists ${name}`).execute(trx);
      await sql.raw(`create index ${name} ${definition}`).execute(trx);
    });
  }
}
