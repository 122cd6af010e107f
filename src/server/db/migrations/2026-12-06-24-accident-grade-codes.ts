import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';
import { createAccidents } from './2026-12-05-23-accidents';

/**
 * 特别重大事故 is `extraordinary` in the API (#19), not `especially_major`: the stored grade and the
 * threshold rule's key follow, so the record, the rule and the answer say the same word. SQLite
 * cannot alter a check, so its table is rebuilt (accidents are few), resumably; PostgreSQL swaps the check.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const grades = ['general', 'larger', 'major', 'extraordinary'];
  if (dialect === 'postgres') {
    await sql`alter table accidents drop constraint if exists accidents_grade_check`.execute(db);
    await sql`update accidents set grade = 'extraordinary' where grade = 'especially_major'`.execute(db);
    await sql`alter table accidents add constraint accidents_grade_check check (grade in ('general', 'larger', 'major', 'extraordinary'))`.execute(db);
  } else {
    // Resumable (SQLite migrations run outside a transaction): once the old table is set aside as
    // accidents_v1, a run cut short anywhere later starts again from it.
    const setAside = (await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'accidents_v1'`.execute(db)).rows[0].n > 0;
    if (!setAside) {
      for (const ix of ['accidents_district_idx', 'accidents_city_idx', 'accidents_enterprise_idx']) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
      await sql`alter table accidents rename to accidents_v1`.execute(db);
    }
    await sql`drop table if exists accidents`.execute(db);
    await createAccidents(db, dialect, grades);
    const cols = (await sql<{ name: string }>`select name from pragma_table_info('accidents_v1')`.execute(db)).rows.map((r) => r.name);
    const select = cols.map((c) => (c === 'grade' ? sql`case grade when 'especially_major' then 'extraordinary' else grade end` : sql.ref(c)));
    await sql`insert into accidents (${sql.join(cols.map((c) => sql.ref(c)))}) select ${sql.join(select)} from accidents_v1`.execute(db);
    await sql`drop table accidents_v1`.execute(db);
  }
  await sql`update rule_versions set value_json = replace(value_json, '"especially_major"', '"extraordinary"') where rule_key = 'accidents.grade_thresholds'`.execute(db);
}
