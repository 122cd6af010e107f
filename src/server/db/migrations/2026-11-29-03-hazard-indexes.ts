import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

/** Indexes for the ledger's deep pages, grouped counts, closure trends and transfers. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema.createIndex('hazards_industry_found_idx').on('hazards').columns(['city_code', 'industry_code', 'found_at', 'id']).execute();
  await db.schema.createIndex('hazards_city_found_id_idx').on('hazards').columns(['city_code', 'found_at', 'id']).execute();
  await db.schema.createIndex('hazards_district_found_idx').on('hazards').columns(['district_code', 'found_at', 'id']).execute();
  await db.schema.createIndex('hazards_city_closed_idx').on('hazards').columns(['city_code', 'closed_at']).execute();
  await db.schema.createIndex('hazards_district_closed_idx').on('hazards').columns(['district_code', 'closed_at']).execute();
  await db.schema.createIndex('hazards_district_grade_status_idx').on('hazards').columns(['district_code', 'grade', 'status', 'deadline']).execute();
  await db.schema.createIndex('hazards_city_open_idx').on('hazards').columns(['city_code', 'status', 'district_code', 'grade']).execute();
  // Re-imports match a row without a code on enterprise + description (+ found day).
  await db.schema.createIndex('hazards_enterprise_description_idx').on('hazards').columns(['enterprise_id', 'description']).execute();
  await db.schema.createIndex('hazards_department_idx').on('hazards').columns(['department_id']).execute();
  await db.schema.createIndex('hazard_access_grantee_hazard_idx').on('hazard_access').columns(['grantee_type', 'grantee_id', 'hazard_id']).execute();

  // Full-text search over code, description, location and enterprise name, as bigram tokens
  // (see text/terms.ts), so two-character Chinese words are found through an index too.
  if (dialect === 'sqlite') {
    await sql`create virtual table hazards_fts using fts5(search_tokens, content='hazards', content_rowid='rowid', tokenize='unicode61')`.execute(db);
    await sql`create trigger hazards_fts_ai after insert on hazards begin
      insert into hazards_fts(rowid, search_tokens) values (new.rowid, new.search_tokens); end`.execute(db);
    await sql`create trigger hazards_fts_ad after delete on hazards begin
      insert into hazards_fts(hazards_fts, rowid, search_tokens) values ('delete', old.rowid, old.search_tokens); end`.execute(db);
    await sql`create trigger hazards_fts_au after update of search_tokens on hazards begin
      insert into hazards_fts(hazards_fts, rowid, search_tokens) values ('delete', old.rowid, old.search_tokens);
      insert into hazards_fts(rowid, search_tokens) values (new.rowid, new.search_tokens); end`.execute(db);
  } else {
    await sql`create index hazards_search_gin on hazards using gin (to_tsvector('simple', search_tokens))`.execute(db);
  }
}
