import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { columnTypes, type DialectName } from '../dialect';
import { widenCheck } from '../widen-check';

/**
 * 风险清单与人员资格 (#20, actions 2, 3, 7, 8): the city safety risk list (items with their method,
 * inputs, computed score and level, measures; the enterprises they concern; the hazards linked to
 * them), the assessment rounds and each district's submission; workers' and principals'
 * certificates (the ID number sealed, only its mask in clear) with the enterprise's declared special
 * operations and the hazard a lapsed certificate puts on the ledger (once per certificate); the
 * standardization record per enterprise and the benchmark list. The hazard source `system` (系统核验)
 * is added to the ledger's CHECK list for those hazards. Every table and index `if not exists`.
 */
export async function up(db: Kysely<any>, dialect: DialectName, database: Pick<Database, 'unsafeSchema'>): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;

  await widenCheck(db, dialect, database, {
    table: 'hazards',
    column: 'source',
    before: "'transfer', 'other')",
    after: "'transfer', 'other', 'system')",
    values: ['self_check', 'routine_inspection', 'enforcement_inspection', 'expert_inspection', 'tip', 'third_party', 'accident_investigation', 'transfer', 'other', 'system'],
    marker: 'accident_investigation',
  });

  await db.schema
    .createTable('risk_items')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('place', t.text)
    .addColumn('lng', t.real)
    .addColumn('lat', t.real)
    .addColumn('polygon_json', t.text)
    .addColumn('method', t.text, (c) => c.notNull().check(sql`method in ('matrix', 'ls', 'lec')`))
    .addColumn('inputs_json', t.text, (c) => c.notNull())
    .addColumn('score', t.real, (c) => c.notNull())
    .addColumn('level', t.text, (c) => c.notNull().check(sql`level in ('red', 'orange', 'yellow', 'blue')`))
    .addColumn('rule_from', t.text, (c) => c.notNull())
    .addColumn('measures_json', t.text, (c) => c.notNull())
    .addColumn('review_on', t.text)
    .addColumn('round_id', t.text)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('risk_items_district_idx').ifNotExists().on('risk_items').columns(['district_code', 'level', 'id']).execute();
  await db.schema.createIndex('risk_items_city_idx').ifNotExists().on('risk_items').columns(['city_code', 'level', 'id']).execute();
  await db.schema.createIndex('risk_items_round_idx').ifNotExists().on('risk_items').columns(['round_id', 'district_code']).execute();
  await db.schema
    .createTable('risk_item_enterprises')
    .ifNotExists()
    .addColumn('risk_id', t.text, (c) => c.notNull().references('risk_items.id'))
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addPrimaryKeyConstraint('risk_item_enterprises_pk', ['risk_id', 'enterprise_id'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('risk_item_enterprises_ent_idx').ifNotExists().on('risk_item_enterprises').columns(['enterprise_id', 'risk_id']).execute();
  await db.schema
    .createTable('risk_hazards')
    .ifNotExists()
    .addColumn('risk_id', t.text, (c) => c.notNull().references('risk_items.id'))
    .addColumn('hazard_id', t.text, (c) => c.notNull().references('hazards.id'))
    .addColumn('linked_by', t.text, (c) => c.references('users.id'))
    .addColumn('linked_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_hazards_pk', ['risk_id', 'hazard_id'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('risk_hazards_hazard_idx').ifNotExists().on('risk_hazards').columns(['hazard_id', 'risk_id']).execute();
  await db.schema
    .createTable('risk_rounds')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('period_from', t.text, (c) => c.notNull())
    .addColumn('period_to', t.text, (c) => c.notNull())
    .addColumn('district_codes_json', t.text, (c) => c.notNull())
    .addColumn('min_items', t.integer, (c) => c.notNull())
    .addColumn('needs_report', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema
    .createTable('risk_round_submissions')
    .ifNotExists()
    .addColumn('round_id', t.text, (c) => c.notNull().references('risk_rounds.id'))
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('report_file_id', t.text, (c) => c.references('files.id'))
    .addColumn('note', t.text)
    .addColumn('items', t.integer, (c) => c.notNull())
    .addColumn('submitted_by', t.text, (c) => c.references('users.id'))
    .addColumn('submitted_by_name', t.text, (c) => c.notNull())
    .addColumn('submitted_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_round_submissions_pk', ['round_id', 'district_code'])
    .modifyEnd(strict)
    .execute();

  await db.schema
    .createTable('enterprise_operations')
    .ifNotExists()
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('operation', t.text, (c) => c.notNull())
    .addColumn('declared_by', t.text, (c) => c.references('users.id'))
    .addColumn('declared_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_operations_pk', ['enterprise_id', 'operation'])
    .modifyEnd(strict)
    .execute();
  await db.schema
    .createTable('certificates')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('special_operation', 'principal', 'safety_manager')`))
    .addColumn('operation', t.text)
    .addColumn('holder_name', t.text, (c) => c.notNull())
    .addColumn('id_mask', t.text, (c) => c.notNull())
    .addColumn('id_key_id', t.text, (c) => c.notNull())
    .addColumn('id_sealed', t.text, (c) => c.notNull())
    .addColumn('number', t.text, (c) => c.notNull())
    .addColumn('issuer', t.text, (c) => c.notNull())
    .addColumn('valid_from', t.text, (c) => c.notNull())
    .addColumn('valid_to', t.text, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('certificates_enterprise_idx').ifNotExists().on('certificates').columns(['enterprise_id', 'valid_to']).execute();
  await db.schema.createIndex('certificates_district_idx').ifNotExists().on('certificates').columns(['district_code', 'valid_to']).execute();
  await db.schema.createIndex('certificates_city_idx').ifNotExists().on('certificates').columns(['city_code', 'valid_to']).execute();
  // A renewal (复审/换证) often keeps its number: numbers repeat; the same holder's same certificate for the same period is one.
  await db.schema.createIndex('certificates_holder_idx').ifNotExists().on('certificates').columns(['enterprise_id', 'kind', 'holder_name', 'id_mask']).execute();
  await db.schema
    .createTable('certificate_lapses')
    .ifNotExists()
    .addColumn('certificate_id', t.text, (c) => c.primaryKey().references('certificates.id'))
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('hazard_id', t.text, (c) => c.notNull().references('hazards.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('closed_at', t.timestamp)
    .addColumn('renewed_by', t.text, (c) => c.references('certificates.id'))
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('certificate_lapses_enterprise_idx').ifNotExists().on('certificate_lapses').columns(['enterprise_id', 'closed_at']).execute();

  await db.schema
    .createTable('standardizations')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('level', t.text, (c) => c.notNull().check(sql`level in ('level1', 'level2', 'level3', 'small')`))
    .addColumn('certificate_no', t.text, (c) => c.notNull())
    .addColumn('issuer', t.text, (c) => c.notNull())
    .addColumn('valid_from', t.text, (c) => c.notNull())
    .addColumn('valid_to', t.text, (c) => c.notNull())
    .addColumn('review_on', t.text)
    .addColumn('note', t.text)
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_by_name', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('standardizations_enterprise_idx').ifNotExists().on('standardizations').columns(['enterprise_id', 'created_at']).execute();
  await db.schema
    .createTable('benchmark_enterprises')
    .ifNotExists()
    .addColumn('enterprise_id', t.text, (c) => c.primaryKey().references('enterprises.id'))
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('since', t.text, (c) => c.notNull())
    .addColumn('named_by', t.text, (c) => c.references('users.id'))
    .addColumn('named_by_name', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
}
