import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

/**
 * SQLite: the hazard search index's insert trigger stands aside for rows whose writer indexes them
 * itself (`hazard-search.ts insertHazards`, an import's hazards: one statement for the index instead of a
 * trigger, a JavaScript call and an enterprise lookup per row). Such rows hold a marker in
 * `search_tokens` instead of ''; no row holds tokens either way. The update and delete triggers are
 * unchanged. One transaction. PostgreSQL: nothing (its GIN index reads the column).
 * The marker ('-', `SEARCH_INDEXED_BY_WRITER`) is written out here, as landed: a migration does not
 * follow later code (hazard-search.test.ts fails if the two part).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await db.transaction().execute(async (trx) => {
    await sql`drop trigger if exists hazards_fts_ai`.execute(trx);
    await sql`create trigger hazards_fts_ai after insert on hazards when new.search_tokens is not '-' begin
      insert into hazards_fts (rowid, search_tokens) values (new.rowid, zb_hazard_tokens(new.code, new.description, new.location, (select e.name from enterprises e where e.id = new.enterprise_id), new.district_code)); end`.execute(trx);
  });
}
