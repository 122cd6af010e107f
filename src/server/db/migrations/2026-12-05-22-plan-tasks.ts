import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 治本攻坚 the plan itself (#18): plans and their tree (actions and measures, as reference data);
 * tasks under measures with their units (lead and co-units, one row each, so that scope is a join)
 * and milestones; progress reports; the daily readings of the figures tasks bind to; units'
 * sub-plans and duty lists; leaders' meetings (their decisions are tasks); and enterprise
 * principals' 五带头 records. Dates are Shanghai dates as text (YYYY-MM-DD). Every table and index
 * `if not exists`: on SQLite migrations run outside a transaction, so a run cut short is finished by the next.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;

  await db.schema
    .createTable('plans')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('issuer', t.text, (c) => c.notNull())
    .addColumn('period_from', t.text, (c) => c.notNull())
    .addColumn('period_to', t.text, (c) => c.notNull())
    .addColumn('source_note', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('plans_code_uq').ifNotExists().unique().on('plans').columns(['city_code', 'code']).execute();

  // Actions (kind 'action', no 1–10) and measures (kind 'measure', no 1–30, action_no their action).
  await db.schema
    .createTable('plan_nodes')
    .ifNotExists()
    .addColumn('plan_id', t.text, (c) => c.notNull().references('plans.id'))
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('action', 'measure')`))
    .addColumn('no', t.integer, (c) => c.notNull())
    .addColumn('action_no', t.integer, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('body', t.text)
    .addPrimaryKeyConstraint('plan_nodes_pk', ['plan_id', 'kind', 'no'])
    .modifyEnd(strict)
    .execute();

  await db.schema
    .createTable('plan_subplans')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('plan_id', t.text, (c) => c.notNull().references('plans.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('unit_kind', t.text, (c) => c.notNull())
    .addColumn('unit_key', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('doc_no', t.text)
    .addColumn('published_on', t.text, (c) => c.notNull())
    .addColumn('file_id', t.text, (c) => c.references('files.id'))
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('plan_subplans_unit_idx').ifNotExists().on('plan_subplans').columns(['city_code', 'unit_key']).execute();

  await db.schema
    .createTable('plan_tasks')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('plan_id', t.text, (c) => c.notNull().references('plans.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('measure_no', t.integer)
    .addColumn('parent_id', t.text, (c) => c.references('plan_tasks.id'))
    .addColumn('subplan_id', t.text, (c) => c.references('plan_subplans.id'))
    .addColumn('origin_type', t.text)
    .addColumn('origin_id', t.text)
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text)
    .addColumn('source', t.text)
    .addColumn('lead_kind', t.text, (c) => c.notNull().check(sql`lead_kind in ('city', 'district', 'department')`))
    .addColumn('lead_key', t.text, (c) => c.notNull())
    .addColumn('owner_name', t.text)
    .addColumn('start_on', t.text)
    .addColumn('due_on', t.text)
    .addColumn('report_every', t.text, (c) => c.notNull())
    .addColumn('reported_status', t.text, (c) => c.notNull().check(sql`reported_status in ('not_started', 'on_track', 'at_risk', 'late', 'done')`))
    .addColumn('last_report_at', t.timestamp)
    .addColumn('done_on', t.text)
    // The earliest date still ahead of the task: the first open milestone or its due date (late when past).
    .addColumn('next_due_on', t.text)
    .addColumn('binding_key', t.text)
    .addColumn('binding_target', t.real)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('plan_tasks_measure_idx').ifNotExists().on('plan_tasks').columns(['plan_id', 'measure_no']).execute();
  await db.schema.createIndex('plan_tasks_lead_idx').ifNotExists().on('plan_tasks').columns(['city_code', 'lead_key']).execute();
  await db.schema.createIndex('plan_tasks_origin_idx').ifNotExists().on('plan_tasks').columns(['origin_type', 'origin_id']).execute();
  await db.schema.createIndex('plan_tasks_parent_idx').ifNotExists().on('plan_tasks').columns(['parent_id']).execute();

  // Every unit a task names (lead and co-units): who sees and who may act is a join on this.
  await db.schema
    .createTable('plan_task_units')
    .ifNotExists()
    .addColumn('task_id', t.text, (c) => c.notNull().references('plan_tasks.id'))
    .addColumn('role', t.text, (c) => c.notNull().check(sql`role in ('lead', 'co')`))
    .addColumn('unit_kind', t.text, (c) => c.notNull())
    .addColumn('unit_key', t.text, (c) => c.notNull())
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_task_units_pk', ['task_id', 'unit_key'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('plan_task_units_unit_idx').ifNotExists().on('plan_task_units').columns(['unit_key', 'task_id']).execute();

  await db.schema
    .createTable('plan_milestones')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('task_id', t.text, (c) => c.notNull().references('plan_tasks.id'))
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('due_on', t.text, (c) => c.notNull())
    .addColumn('done_on', t.text)
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('plan_milestones_task_idx').ifNotExists().on('plan_milestones').columns(['task_id']).execute();

  await db.schema
    .createTable('plan_reports')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('task_id', t.text, (c) => c.notNull().references('plan_tasks.id'))
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('period_key', t.text)
    .addColumn('note', t.text, (c) => c.notNull())
    .addColumn('milestone_id', t.text, (c) => c.references('plan_milestones.id'))
    .addColumn('file_ids_json', t.text)
    .addColumn('reported_by', t.text, (c) => c.references('users.id'))
    .addColumn('reported_by_name', t.text, (c) => c.notNull())
    .addColumn('reported_at', t.timestamp, (c) => c.notNull())
    .addColumn('reported_on', t.text, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('plan_reports_task_idx').ifNotExists().on('plan_reports').columns(['task_id', 'reported_at']).execute();

  // A bound figure's value on a day, kept by the plan-readings job (one row per task and day).
  await db.schema
    .createTable('plan_readings')
    .ifNotExists()
    .addColumn('task_id', t.text, (c) => c.notNull().references('plan_tasks.id'))
    .addColumn('on_date', t.text, (c) => c.notNull())
    .addColumn('binding_key', t.text, (c) => c.notNull())
    .addColumn('value', t.real)
    .addPrimaryKeyConstraint('plan_readings_pk', ['task_id', 'on_date'])
    .modifyEnd(strict)
    .execute();

  await db.schema
    .createTable('duty_lists')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('unit_kind', t.text, (c) => c.notNull())
    .addColumn('unit_key', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('duty', 'yearly')`))
    .addColumn('year', t.integer)
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('source_doc', t.text, (c) => c.notNull())
    .addColumn('file_id', t.text, (c) => c.references('files.id'))
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('duty_lists_unit_idx').ifNotExists().on('duty_lists').columns(['city_code', 'unit_key']).execute();
  await db.schema
    .createTable('duty_items')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('list_id', t.text, (c) => c.notNull().references('duty_lists.id'))
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('text', t.text, (c) => c.notNull())
    .addColumn('plan_task_ids_json', t.text)
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('duty_items_list_idx').ifNotExists().on('duty_items').columns(['list_id']).execute();

  await db.schema
    .createTable('meetings')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('unit_kind', t.text, (c) => c.notNull())
    .addColumn('unit_key', t.text, (c) => c.notNull())
    .addColumn('held_on', t.text, (c) => c.notNull())
    .addColumn('quarter', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('chair_name', t.text, (c) => c.notNull())
    .addColumn('chair_role', t.text, (c) => c.notNull())
    .addColumn('qualifies', t.integer, (c) => c.notNull())
    .addColumn('attendees_json', t.text, (c) => c.notNull())
    .addColumn('topics_json', t.text, (c) => c.notNull())
    .addColumn('minutes_file_id', t.text, (c) => c.references('files.id'))
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('meetings_unit_idx').ifNotExists().on('meetings').columns(['city_code', 'unit_key', 'held_on']).execute();
  await db.schema.createIndex('meetings_quarter_idx').ifNotExists().on('meetings').columns(['city_code', 'quarter']).execute();

  await db.schema
    .createTable('five_lead_records')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text)
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('year', t.integer, (c) => c.notNull())
    .addColumn('item_key', t.text, (c) => c.notNull())
    .addColumn('item_title', t.text, (c) => c.notNull())
    .addColumn('principal_name', t.text, (c) => c.notNull())
    .addColumn('happened_on', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('file_ids_json', t.text)
    .addColumn('state', t.text, (c) => c.notNull().check(sql`state in ('submitted', 'checked', 'returned')`))
    .addColumn('check_note', t.text)
    .addColumn('checked_by', t.text, (c) => c.references('users.id'))
    .addColumn('checked_by_name', t.text)
    .addColumn('checked_at', t.timestamp)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('five_lead_records_enterprise_idx').ifNotExists().on('five_lead_records').columns(['enterprise_id', 'year']).execute();
  await db.schema.createIndex('five_lead_records_district_idx').ifNotExists().on('five_lead_records').columns(['district_code', 'year']).execute();
}
