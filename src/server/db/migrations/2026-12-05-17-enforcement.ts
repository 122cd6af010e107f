import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 精准执法 (#15): the frequency matrix (per scope and year, each change a new revision), key units,
 * annual plans, 双随机 draws (their pool, seed and result kept whole so anyone can recompute them),
 * inspections with their inspectors, item results and signature, declared conflicts of interest, the
 * catalogue of legal provisions, cases, and the quarterly figures kept in the writing transaction.
 *
 * Two pieces are shared machinery for every module from here on: `record_events` (the timeline of an
 * inspection, case, draw — later a tip, visit or accident — one shape, events in the writing
 * transaction) and `record_code_counters` (human codes such as JC-310115-2026-000001 per kind,
 * district and year).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;
  // Money in fen (分); a quarter's fines for a city pass what a 32-bit integer holds.
  const money = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('record_events')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('entity_type', t.text, (c) => c.notNull())
    .addColumn('entity_id', t.text, (c) => c.notNull())
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text, (c) => c.references('users.id'))
    .addColumn('actor_name', t.text, (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('comment', t.text)
    .addColumn('data_json', t.text)
    .addColumn('file_ids_json', t.text)
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('record_events_seq_uq').unique().on('record_events').columns(['entity_type', 'entity_id', 'seq']).execute();

  await db.schema
    .createTable('record_code_counters')
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('year', t.integer, (c) => c.notNull())
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('record_code_counters_pk', ['kind', 'district_code', 'year'])
    .modifyEnd(strict)
    .execute();

  await db.schema
    .createTable('enforcement_matrices')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('scope_level', t.text, (c) => c.notNull().check(sql`scope_level in ('city', 'district', 'department')`))
    .addColumn('scope_id', t.text, (c) => c.notNull())
    .addColumn('year', t.integer, (c) => c.notNull())
    .addColumn('revision', t.integer, (c) => c.notNull())
    .addColumn('cells_json', t.text, (c) => c.notNull())
    .addColumn('source_note', t.text, (c) => c.notNull())
    .addColumn('set_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('enforcement_matrices_uq').unique().on('enforcement_matrices').columns(['city_code', 'scope_level', 'scope_id', 'year', 'revision']).execute();

  await db.schema
    .createTable('key_units')
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('year', t.integer, (c) => c.notNull())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('added_by', t.text, (c) => c.references('users.id'))
    .addColumn('added_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('key_units_pk', ['district_code', 'year', 'enterprise_id'])
    .modifyEnd(strict)
    .execute();

  await db.schema
    .createTable('inspection_plans')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('department_id', t.text, (c) => c.references('departments.id'))
    .addColumn('owner_key', t.text, (c) => c.notNull())
    .addColumn('year', t.integer, (c) => c.notNull())
    .addColumn('matrix_json', t.text, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_by_name', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('inspection_plans_uq').unique().on('inspection_plans').columns(['district_code', 'owner_key', 'year']).execute();

  await db.schema
    .createTable('inspection_plan_items')
    .addColumn('plan_id', t.text, (c) => c.notNull().references('inspection_plans.id'))
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('planned', t.integer, (c) => c.notNull())
    .addColumn('months_json', t.text, (c) => c.notNull())
    .addColumn('key_unit', t.integer, (c) => c.notNull())
    .addColumn('done', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('inspection_plan_items_pk', ['plan_id', 'enterprise_id'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('inspection_plan_items_enterprise_idx').on('inspection_plan_items').columns(['enterprise_id']).execute();

  await db.schema
    .createTable('draws')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text)
    .addColumn('owner_district_code', t.text)
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('filter_json', t.text, (c) => c.notNull())
    .addColumn('count', t.integer, (c) => c.notNull())
    .addColumn('per_inspection', t.integer, (c) => c.notNull())
    .addColumn('date', t.date, (c) => c.notNull())
    .addColumn('seed', t.text, (c) => c.notNull())
    .addColumn('algorithm', t.text, (c) => c.notNull())
    .addColumn('pool_json', t.text, (c) => c.notNull())
    .addColumn('pool_size', t.integer, (c) => c.notNull())
    .addColumn('pool_hash', t.text, (c) => c.notNull())
    .addColumn('candidates_json', t.text, (c) => c.notNull())
    .addColumn('excluded_json', t.text, (c) => c.notNull())
    .addColumn('result_json', t.text, (c) => c.notNull())
    .addColumn('published', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_by_name', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('draws_city_idx').on('draws').columns(['city_code', 'created_at']).execute();

  await db.schema
    .createTable('inspections')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('type', t.text, (c) => c.notNull().check(sql`type in ('planned', 'random', 'tip', 'accident', 'complaint', 'campaign', 'follow_up')`))
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('planned', 'in_progress', 'finished')`))
    .addColumn('unannounced', t.integer, (c) => c.notNull())
    .addColumn('date', t.date, (c) => c.notNull())
    .addColumn('checklist_id', t.text, (c) => c.references('checklists.id'))
    .addColumn('checklist_version', t.integer)
    .addColumn('draw_id', t.text, (c) => c.references('draws.id'))
    .addColumn('follows_id', t.text, (c) => c.references('inspections.id'))
    .addColumn('note', t.text)
    .addColumn('signed_by', t.text)
    .addColumn('refused', t.integer, (c) => c.notNull())
    .addColumn('sign_note', t.text)
    .addColumn('findings', t.integer, (c) => c.notNull())
    .addColumn('major_findings', t.integer, (c) => c.notNull())
    .addColumn('started_at', t.timestamp)
    .addColumn('finished_at', t.timestamp)
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('inspections_code_uq').unique().on('inspections').column('code').execute();
  await db.schema.createIndex('inspections_district_idx').on('inspections').columns(['district_code', 'date']).execute();
  await db.schema.createIndex('inspections_city_idx').on('inspections').columns(['city_code', 'date']).execute();
  await db.schema.createIndex('inspections_enterprise_idx').on('inspections').columns(['enterprise_id', 'date']).execute();
  await db.schema.createIndex('inspections_draw_uq').unique().on('inspections').columns(['draw_id', 'enterprise_id']).where(sql.ref('draw_id'), 'is not', null).execute();

  await db.schema
    .createTable('inspection_inspectors')
    .addColumn('inspection_id', t.text, (c) => c.notNull().references('inspections.id'))
    .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('inspection_inspectors_pk', ['inspection_id', 'user_id'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('inspection_inspectors_user_idx').on('inspection_inspectors').columns(['user_id', 'inspection_id']).execute();

  await db.schema
    .createTable('inspection_results')
    .addColumn('inspection_id', t.text, (c) => c.notNull().references('inspections.id'))
    .addColumn('item_id', t.text, (c) => c.notNull())
    .addColumn('result', t.text, (c) => c.notNull().check(sql`result in ('ok', 'na', 'hazard')`))
    .addColumn('note', t.text)
    .addPrimaryKeyConstraint('inspection_results_pk', ['inspection_id', 'item_id'])
    .modifyEnd(strict)
    .execute();

  await db.schema
    .createTable('inspector_conflicts')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('declared_by', t.text, (c) => c.references('users.id'))
    .addColumn('declared_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('inspector_conflicts_uq').unique().on('inspector_conflicts').columns(['user_id', 'enterprise_id']).execute();
  await db.schema.createIndex('inspector_conflicts_enterprise_idx').on('inspector_conflicts').columns(['enterprise_id']).execute();

  await db.schema
    .createTable('legal_provisions')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('law', t.text, (c) => c.notNull())
    .addColumn('article', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('note', t.text)
    .addColumn('active', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('legal_provisions_uq').unique().on('legal_provisions').columns(['city_code', 'law', 'article']).execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('inspection_id', t.text, (c) => c.notNull().references('inspections.id'))
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('filed', 'decided', 'executed', 'closed')`))
    .addColumn('violation', t.text, (c) => c.notNull())
    .addColumn('provision_ids_json', t.text, (c) => c.notNull())
    .addColumn('hazard_ids_json', t.text, (c) => c.notNull())
    .addColumn('decision', t.text)
    .addColumn('circumstance', t.text)
    .addColumn('discretion_json', t.text)
    .addColumn('fine_fen', money)
    .addColumn('paid_fen', money, (c) => c.notNull())
    .addColumn('decided_on', t.date)
    .addColumn('paid_on', t.date)
    .addColumn('closed_on', t.date)
    .addColumn('document_no', t.text)
    .addColumn('appeal_status', t.text, (c) => c.notNull())
    .addColumn('filed_on', t.date, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('cases_code_uq').unique().on('cases').column('code').execute();
  await db.schema.createIndex('cases_district_idx').on('cases').columns(['district_code', 'filed_on']).execute();
  await db.schema.createIndex('cases_city_idx').on('cases').columns(['city_code', 'filed_on']).execute();
  await db.schema.createIndex('cases_enterprise_idx').on('cases').columns(['enterprise_id']).execute();
  await db.schema.createIndex('cases_inspection_idx').on('cases').columns(['inspection_id']).execute();

  // The quarterly bulletin's figures per district and quarter (the city sums its districts).
  await db.schema
    .createTable('enforcement_tallies')
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('quarter', t.text, (c) => c.notNull())
    .addColumn('inspections', t.integer, (c) => c.notNull())
    .addColumn('planned', t.integer, (c) => c.notNull())
    .addColumn('triggered', t.integer, (c) => c.notNull())
    .addColumn('unannounced', t.integer, (c) => c.notNull())
    .addColumn('hazards', t.integer, (c) => c.notNull())
    .addColumn('major_hazards', t.integer, (c) => c.notNull())
    // Of those hazards, closed and voided now (they move with the ledger's steps).
    .addColumn('findings_closed', t.integer, (c) => c.notNull())
    .addColumn('findings_voided', t.integer, (c) => c.notNull())
    .addColumn('cases', t.integer, (c) => c.notNull())
    .addColumn('decisions', t.integer, (c) => c.notNull())
    .addColumn('fines', t.integer, (c) => c.notNull())
    .addColumn('fine_fen', money, (c) => c.notNull())
    .addPrimaryKeyConstraint('enforcement_tallies_pk', ['city_code', 'district_code', 'quarter'])
    .modifyEnd(strict)
    .execute();
}
