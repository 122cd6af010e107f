import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 生产安全事故 (#19): the accident registry — time, place, enterprise, GB 6441 category, casualties
 * and direct loss, the grade computed from them under the rule in force (and why), reporting
 * timeliness, 瞒报/谎报 with the tip that revealed it, and the investigation (its report files and
 * responsibility findings; the hazards it found are on the ledger with the accident as origin).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await createAccidents(db, dialect, ['general', 'larger', 'major', 'especially_major']);
}

/** The table and its indexes, with the grade codes its check admits (renamed by 2026-12-06-24). */
export async function createAccidents(db: Kysely<any>, dialect: DialectName, grades: readonly string[]): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;
  await db.schema
    .createTable('accidents')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text)
    .addColumn('enterprise_id', t.text, (c) => c.references('enterprises.id'))
    .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
    .addColumn('reported_at', t.timestamp, (c) => c.notNull())
    .addColumn('reported_late', t.integer, (c) => c.notNull())
    .addColumn('place', t.text, (c) => c.notNull())
    .addColumn('lng', t.real)
    .addColumn('lat', t.real)
    .addColumn('category', t.text, (c) => c.notNull())
    .addColumn('fire_or_road', t.integer, (c) => c.notNull())
    .addColumn('deaths', t.integer, (c) => c.notNull())
    .addColumn('missing', t.integer, (c) => c.notNull())
    .addColumn('serious_injuries', t.integer, (c) => c.notNull())
    .addColumn('loss_yuan', t.real, (c) => c.notNull())
    .addColumn('grade', t.text, (c) => c.notNull().check(sql`grade in (${sql.join(grades.map((g) => sql.lit(g)))})`))
    .addColumn('grade_reason', t.text, (c) => c.notNull())
    .addColumn('narrative', t.text, (c) => c.notNull())
    .addColumn('concealment', t.text, (c) => c.notNull().check(sql`concealment in ('none', 'concealed', 'false_report')`))
    .addColumn('concealment_note', t.text)
    .addColumn('tip_id', t.text, (c) => c.references('tips.id'))
    .addColumn('investigation', t.text, (c) => c.notNull().check(sql`investigation in ('pending', 'investigating', 'concluded')`))
    .addColumn('investigation_lead_by', t.text)
    .addColumn('responsibility', t.text)
    .addColumn('report_file_ids_json', t.text)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('accidents_district_idx').ifNotExists().on('accidents').columns(['district_code', 'occurred_at']).execute();
  await db.schema.createIndex('accidents_city_idx').ifNotExists().on('accidents').columns(['city_code', 'occurred_at']).execute();
  await db.schema.createIndex('accidents_enterprise_idx').ifNotExists().on('accidents').columns(['enterprise_id']).execute();
}
