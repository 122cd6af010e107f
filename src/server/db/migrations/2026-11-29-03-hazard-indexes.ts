import type { Kysely } from 'kysely';

/** Indexes for the ledger's deep pages by industry, text search by enterprise and closure trends. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('hazards_industry_found_idx').on('hazards').columns(['industry_code', 'found_at']).execute();
  await db.schema.createIndex('hazards_city_closed_idx').on('hazards').columns(['city_code', 'closed_at']).execute();
  await db.schema.createIndex('hazards_district_found_idx').on('hazards').columns(['district_code', 'found_at']).execute();
  await db.schema.createIndex('hazards_district_grade_status_idx').on('hazards').columns(['district_code', 'grade', 'status', 'deadline']).execute();
}
