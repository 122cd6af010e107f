import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 啄木鸟 experts (#16): an expert's appointment and specialties beside their account, the programmes
 * that must cover a list of enterprises in a period (each target's state kept in the writing
 * transaction, so coverage is read, not computed), and visits — one enterprise, one or more experts, a
 * window — whose findings go onto the ledger with the visit as their origin. Conflicts of interest
 * are the enforcement module's table, declared for any user who inspects.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;

  await db.schema
    .createTable('expert_profiles')
    .addColumn('user_id', t.text, (c) => c.primaryKey().references('users.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text)
    .addColumn('department_id', t.text, (c) => c.references('departments.id'))
    .addColumn('appointed_by', t.text, (c) => c.notNull())
    .addColumn('appointed_from', t.text, (c) => c.notNull())
    .addColumn('appointed_to', t.text, (c) => c.notNull())
    .addColumn('industries_json', t.text, (c) => c.notNull())
    .addColumn('categories_json', t.text, (c) => c.notNull())
    .addColumn('title', t.text)
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
    .addColumn('suspended_reason', t.text)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('expert_profiles_office_idx').on('expert_profiles').columns(['city_code', 'district_code']).execute();

  await db.schema
    .createTable('expert_programmes')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('department_id', t.text, (c) => c.references('departments.id'))
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('period_from', t.text, (c) => c.notNull())
    .addColumn('period_to', t.text, (c) => c.notNull())
    .addColumn('targets', t.integer, (c) => c.notNull())
    .addColumn('scheduled', t.integer, (c) => c.notNull())
    .addColumn('covered', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('expert_programmes_district_idx').on('expert_programmes').columns(['city_code', 'district_code']).execute();

  await db.schema
    .createTable('expert_targets')
    .addColumn('programme_id', t.text, (c) => c.notNull().references('expert_programmes.id'))
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('state', t.text, (c) => c.notNull().check(sql`state in ('not_yet', 'scheduled', 'covered')`))
    .addColumn('covered_on', t.text)
    .addPrimaryKeyConstraint('expert_targets_pk', ['programme_id', 'enterprise_id'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('expert_targets_enterprise_idx').on('expert_targets').columns(['enterprise_id']).execute();

  await db.schema
    .createTable('expert_visits')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('programme_id', t.text, (c) => c.notNull().references('expert_programmes.id'))
    .addColumn('window_from', t.text, (c) => c.notNull())
    .addColumn('window_to', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('assigned', 'in_progress', 'submitted', 'cancelled')`))
    .addColumn('checklist_id', t.text)
    .addColumn('checklist_version', t.integer)
    .addColumn('findings', t.integer, (c) => c.notNull())
    .addColumn('major_findings', t.integer, (c) => c.notNull())
    .addColumn('advice', t.text)
    .addColumn('started_at', t.timestamp)
    .addColumn('submitted_at', t.timestamp)
    .addColumn('feedback_rating', t.integer)
    .addColumn('feedback_note', t.text)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('expert_visits_code_uq').unique().on('expert_visits').columns(['code']).execute();
  await db.schema.createIndex('expert_visits_programme_idx').on('expert_visits').columns(['programme_id', 'enterprise_id']).execute();
  await db.schema.createIndex('expert_visits_enterprise_idx').on('expert_visits').columns(['enterprise_id']).execute();
  await db.schema.createIndex('expert_visits_district_idx').on('expert_visits').columns(['district_code', 'window_from']).execute();

  await db.schema
    .createTable('expert_visit_experts')
    .addColumn('visit_id', t.text, (c) => c.notNull().references('expert_visits.id'))
    .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('expert_visit_experts_pk', ['visit_id', 'user_id'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('expert_visit_experts_user_idx').on('expert_visit_experts').columns(['user_id']).execute();
}
