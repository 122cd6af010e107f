import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

type AnyDb = Kysely<any>;

/** The tokens of a hazard, as the SQLite triggers derive them (db/database.ts registers the function). */
const TOKENS = sql.raw(`zb_hazard_tokens(new.code, new.description, new.location, (select e.name from enterprises e where e.id = new.enterprise_id), new.district_code)`);

/**
 * SQLite kept every hazard's search tokens twice: in the row (210 bytes a hazard at 1M: 8 % of the
 * file) and in the FTS5 index built from it. The index is now contentless (deletes by rowid, SQLite
 * ≥ 3.43) and its triggers derive the tokens from the row and the enterprise's name through the same
 * function the application uses (`text/terms.ts hazardSearchTokens`), so the row keeps none: the
 * column stays (one schema for both databases) and holds '' on SQLite. Writers store it through
 * `dialect.ts storedSearchTokens`; an enterprise rename re-derives its hazards' tokens by touching
 * the column. PostgreSQL is unchanged: its GIN index reads the column.
 *
 * One transaction on SQLite: the index is rebuilt from the stored tokens, then the column emptied.
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await db.transaction().execute(async (trx) => {
    for (const t of ['hazards_fts_ai', 'hazards_fts_ad', 'hazards_fts_au']) await sql`drop trigger if exists ${sql.ref(t)}`.execute(trx);
    await sql`drop table if exists hazards_fts`.execute(trx);
    await sql`create virtual table hazards_fts using fts5(search_tokens, content='', contentless_delete=1, tokenize='unicode61')`.execute(trx);
    await sql`insert into hazards_fts (rowid, search_tokens) select rowid, search_tokens from hazards`.execute(trx);
    await sql`update hazards set search_tokens = '' where search_tokens <> ''`.execute(trx);
    await createSearchTriggers(trx);
  });
}

export async function createSearchTriggers(db: AnyDb): Promise<void> {
  await sql`create trigger hazards_fts_ai after insert on hazards begin
    insert into hazards_fts (rowid, search_tokens) values (new.rowid, ${TOKENS}); end`.execute(db);
  await sql`create trigger hazards_fts_ad after delete on hazards begin
    delete from hazards_fts where rowid = old.rowid; end`.execute(db);
  // search_tokens among the columns: a write that touches it (an enterprise renamed) re-derives the tokens.
  await sql`create trigger hazards_fts_au after update of code, description, location, enterprise_id, district_code, search_tokens on hazards begin
    delete from hazards_fts where rowid = old.rowid;
    insert into hazards_fts (rowid, search_tokens) values (new.rowid, ${TOKENS}); end`.execute(db);
}
