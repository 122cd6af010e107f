import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 自查计划与记录 (#14): a schedule assigns a checklist to enterprises (resolved when it is made)
 * with a frequency; a round is one enterprise's self-check for one period, at most one per
 * schedule, enterprise and period (the key that makes generation idempotent across processes).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('selfcheck_schedules')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('checklist_id', t.text, (c) => c.notNull().references('checklists.id'))
    .addColumn('owner_level', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.text, (c) => c.notNull())
    .addColumn('frequency', t.text, (c) => c.notNull().check(sql`frequency in ('shift', 'daily', 'weekly', 'monthly', 'quarterly', 'half_yearly')`))
    .addColumn('start_date', t.date, (c) => c.notNull())
    .addColumn('filter_json', t.text)
    .addColumn('created_by', t.text, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema
    .createTable('selfcheck_schedule_targets')
    .addColumn('schedule_id', t.text, (c) => c.notNull().references('selfcheck_schedules.id'))
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addPrimaryKeyConstraint('selfcheck_schedule_targets_pk', ['schedule_id', 'enterprise_id'])
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema
    .createTable('selfcheck_rounds')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('schedule_id', t.text, (c) => c.references('selfcheck_schedules.id'))
    .addColumn('checklist_id', t.text, (c) => c.notNull().references('checklists.id'))
    .addColumn('checklist_version', t.integer, (c) => c.notNull())
    .addColumn('period', t.text, (c) => c.notNull())
    .addColumn('period_start', t.date, (c) => c.notNull())
    .addColumn('due_date', t.date, (c) => c.notNull())
    .addColumn('submitted_at', t.timestamp)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.createIndex('selfcheck_rounds_period_uq').unique().on('selfcheck_rounds').columns(['schedule_id', 'enterprise_id', 'period']).execute();
  await db.schema.createIndex('selfcheck_rounds_enterprise_idx').on('selfcheck_rounds').columns(['enterprise_id', 'due_date']).execute();
  await db.schema.createIndex('selfcheck_rounds_district_idx').on('selfcheck_rounds').columns(['district_code', 'due_date']).execute();
}
