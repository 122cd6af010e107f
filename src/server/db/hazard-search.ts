import { sql, type Kysely } from 'kysely';
import type { DB } from './schema';

// SQLite's hazard search index (migration 31): contentless FTS5, kept by triggers through zb_hazard_tokens (database.ts).

/**
 * Whether the index holds exactly the hazards' rows (by rowid); if not, it is made again from the rows.
 * The index knows hazards by rowid: `VACUUM` keeps a rowid table's rowids when the table has an
 * index (SQLite's transfer copy; hazards has several), and `ops/compact.ts` checks it after every run.
 */
export async function ensureHazardSearchIndex(db: Kysely<DB>): Promise<{ rebuilt: boolean }> {
  const { rows } = await sql<{ missing: number; extra: number }>`select
    (select count(*) from hazards h where not exists (select 1 from hazards_fts_docsize d where d.id = h.rowid)) as missing,
    (select count(*) from hazards_fts_docsize d where not exists (select 1 from hazards h where h.rowid = d.id)) as extra`.execute(db);
  if (Number(rows[0].missing) === 0 && Number(rows[0].extra) === 0) return { rebuilt: false };
  await db.transaction().execute(async (trx) => {
    await sql`delete from hazards_fts`.execute(trx);
    await sql`insert into hazards_fts (rowid, search_tokens) select h.rowid, zb_hazard_tokens(h.code, h.description, h.location, e.name, h.district_code) from hazards h join enterprises e on e.id = h.enterprise_id`.execute(trx);
  });
  return { rebuilt: true };
}
