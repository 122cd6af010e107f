import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 培训、整治与会商 (#20, actions 2, 3, 7): enterprise kinds (二级医院, 大型商业综合体 …: the training
 * focus populations name them beside industries); courses and attendance (an enterprise's principal,
 * safety manager, fire-safety person or worker, or an official alongside); special campaigns with
 * their targets and each target's check (findings go onto the ledger with the target as origin);
 * consultations (会商) on risk items, whose decisions are plan tasks. Every table and index `if not exists`.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;

  await db.schema
    .createTable('enterprise_kinds')
    .ifNotExists()
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('tagged_by', t.text, (c) => c.references('users.id'))
    .addColumn('tagged_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_kinds_pk', ['enterprise_id', 'kind'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('enterprise_kinds_kind_idx').ifNotExists().on('enterprise_kinds').columns(['kind', 'enterprise_id']).execute();

  await db.schema
    .createTable('courses')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text)
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('organiser', t.text, (c) => c.notNull())
    .addColumn('mode', t.text, (c) => c.notNull().check(sql`mode in ('main', 'city_branch', 'district_branch', 'other')`))
    .addColumn('starts_on', t.text, (c) => c.notNull())
    .addColumn('ends_on', t.text, (c) => c.notNull())
    .addColumn('hours', t.real, (c) => c.notNull())
    .addColumn('focus_year', t.integer)
    .addColumn('industries_json', t.text, (c) => c.notNull())
    .addColumn('audience_json', t.text, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('courses_city_idx').ifNotExists().on('courses').columns(['city_code', 'starts_on']).execute();
  await db.schema
    .createTable('course_attendance')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('course_id', t.text, (c) => c.notNull().references('courses.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text)
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text)
    .addColumn('enterprise_id', t.text, (c) => c.references('enterprises.id'))
    .addColumn('enterprise_key', t.text, (c) => c.notNull())
    .addColumn('person_name', t.text, (c) => c.notNull())
    .addColumn('role', t.text, (c) => c.notNull().check(sql`role in ('principal', 'safety_manager', 'fire_safety', 'worker', 'official')`))
    .addColumn('office_name', t.text)
    .addColumn('hours', t.real, (c) => c.notNull())
    .addColumn('passed', t.integer, (c) => c.notNull())
    .addColumn('recorded_by', t.text, (c) => c.references('users.id'))
    .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('course_attendance_person_uq').ifNotExists().unique().on('course_attendance').columns(['course_id', 'enterprise_key', 'person_name', 'role']).execute();
  await db.schema.createIndex('course_attendance_enterprise_idx').ifNotExists().on('course_attendance').columns(['enterprise_id', 'role']).execute();

  await db.schema
    .createTable('campaigns')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('topic', t.text, (c) => c.notNull().check(sql`topic in ('high_rise_fire', 'town_gas', 'factories_warehouses', 'waterway_traffic', 'problem_areas', 'other')`))
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('starts_on', t.text, (c) => c.notNull())
    .addColumn('ends_on', t.text, (c) => c.notNull())
    .addColumn('district_codes_json', t.text, (c) => c.notNull())
    .addColumn('checklist_json', t.text, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema
    .createTable('campaign_targets')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('campaign_id', t.text, (c) => c.notNull().references('campaigns.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text)
    .addColumn('enterprise_id', t.text, (c) => c.references('enterprises.id'))
    .addColumn('target_key', t.text, (c) => c.notNull())
    .addColumn('place_name', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('pending', 'checked')`))
    .addColumn('checked_on', t.text)
    .addColumn('checked_by_kind', t.text, (c) => c.check(sql`checked_by_kind in ('officer', 'expert', 'self_check')`))
    .addColumn('checked_by_name', t.text)
    .addColumn('results_json', t.text)
    .addColumn('note', t.text)
    .addColumn('added_by', t.text, (c) => c.references('users.id'))
    .addColumn('added_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('campaign_targets_uq').ifNotExists().unique().on('campaign_targets').columns(['campaign_id', 'target_key']).execute();
  await db.schema.createIndex('campaign_targets_district_idx').ifNotExists().on('campaign_targets').columns(['campaign_id', 'district_code', 'status']).execute();
  await db.schema.createIndex('campaign_targets_enterprise_idx').ifNotExists().on('campaign_targets').columns(['enterprise_id']).execute();

  await db.schema
    .createTable('consultations')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('unit_kind', t.text, (c) => c.notNull())
    .addColumn('unit_key', t.text, (c) => c.notNull())
    .addColumn('held_on', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('participants_json', t.text, (c) => c.notNull())
    .addColumn('risk_ids_json', t.text, (c) => c.notNull())
    .addColumn('summary', t.text, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('consultations_unit_idx').ifNotExists().on('consultations').columns(['city_code', 'unit_key', 'held_on']).execute();
}
