import { sql, type Kysely } from 'kysely';

/**
 * 动态清零's working list — the open hazards of an area and grade, nearest deadline first (no
 * deadline last) — straight from an index, with no sort. The older indexes found the open rows but
 * not in deadline order: a district's first page sorted every open major hazard (~0.75 ms for
 * Pudong's 1,268 at 1M, most of one request's cost). Partial: only open hazards are kept, so it is
 * small (~5 % of the ledger) and costs only the writes of open rows. A query uses it when its
 * status filter is written with these very literals (repository.ts `OPEN_STATUS_SQL`). The district
 * leads (a district officer's scope names no city); the city comes last, so a city reader's
 * condition on it is answered from the index too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists hazards_open_deadline_idx on hazards (district_code, grade, (deadline is null), deadline, id, city_code) where status in ('reported', 'rectifying', 'pending_acceptance')`.execute(db);
}
