import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 考核评估 (#19): the scheme per year as versioned configuration (each save a new row, the last in
 * force), the runs per period with their frozen results (a re-run is the next number), the office's
 * comments for each quarter's 季度点评, and the accountability records (点名、通报、约谈、移交) with
 * their follow-up. Every table and index `if not exists`.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;
  await db.schema
    .createTable('assessment_schemes')
    .ifNotExists()
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('year', t.integer, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('body_json', t.text, (c) => c.notNull())
    .addColumn('updated_by', t.text, (c) => c.references('users.id'))
    .addColumn('updated_by_name', t.text, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_schemes_pk', ['city_code', 'year', 'version'])
    .modifyEnd(strict)
    .execute();
  await db.schema
    .createTable('assessment_runs')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('scheme_year', t.integer, (c) => c.notNull())
    .addColumn('scheme_version', t.integer, (c) => c.notNull())
    .addColumn('scheme_json', t.text, (c) => c.notNull())
    .addColumn('period', t.text, (c) => c.notNull())
    .addColumn('period_from', t.text, (c) => c.notNull())
    .addColumn('period_to', t.text, (c) => c.notNull())
    .addColumn('number', t.integer, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('draft', 'published', 'superseded')`))
    .addColumn('computed_at', t.timestamp, (c) => c.notNull())
    .addColumn('as_at', t.timestamp, (c) => c.notNull())
    .addColumn('result_json', t.text, (c) => c.notNull())
    .addColumn('previous_run_id', t.text)
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_by_name', t.text, (c) => c.notNull())
    .addColumn('published_at', t.timestamp)
    .addColumn('published_by', t.text, (c) => c.references('users.id'))
    .addColumn('version', t.integer, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('assessment_runs_period_uq').ifNotExists().unique().on('assessment_runs').columns(['city_code', 'period', 'number']).execute();
  await db.schema
    .createTable('assessment_reviews')
    .ifNotExists()
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('quarter', t.text, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('body_json', t.text, (c) => c.notNull())
    .addColumn('updated_by_name', t.text, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_reviews_pk', ['city_code', 'quarter'])
    .modifyEnd(strict)
    .execute();
  await db.schema
    .createTable('accountability_records')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('target_kind', t.text, (c) => c.notNull().check(sql`target_kind in ('district', 'enterprise')`))
    .addColumn('enterprise_id', t.text, (c) => c.references('enterprises.id'))
    .addColumn('target_name', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('named', 'notice', 'interview', 'referral')`))
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('source_type', t.text)
    .addColumn('source_id', t.text)
    .addColumn('on_date', t.text, (c) => c.notNull())
    .addColumn('by_name', t.text, (c) => c.notNull())
    .addColumn('follow_up_due', t.text)
    .addColumn('follow_up_note', t.text)
    .addColumn('follow_up_file_ids_json', t.text)
    .addColumn('follow_up_at', t.timestamp)
    .addColumn('follow_up_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('accountability_district_idx').ifNotExists().on('accountability_records').columns(['city_code', 'district_code', 'on_date']).execute();
  await db.schema.createIndex('accountability_enterprise_idx').ifNotExists().on('accountability_records').columns(['enterprise_id']).execute();
}
