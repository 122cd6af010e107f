import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

/**
 * Three hazard indexes keep only the rows they can answer for. Every query that reads them names
 * the column with `=`, a range or `in`, which implies it is not null, so SQLite and PostgreSQL use
 * the partial index wherever they used the full one:
 *
 * - `hazards_department_idx` (`department_id`): only a hazard handed to a department has one (a
 *   transfer's target), nearly none of a ledger. The full index held an entry of nulls for every
 *   hazard; and, with no statistics, SQLite judged it no better than the city's indexes, so a
 *   department officer's scope (`department_id = ? and city_code = ?`) scanned the city's. Partial,
 *   the department's condition is read through it.
 * - `hazards_city_closed_idx`, `hazards_district_closed_idx` (`closed_at` by city, by district: the
 *   month's closures, the ledger's closed-from/to filter): open hazards, with no closing time, drop out.
 *
 * A bulk import writes one index entry fewer for every hazard, three fewer for every open one. Of
 * 100,000 import rows inserted with the 14 hazard indexes, index upkeep took ~1.9 s of CPU, and
 * these three as partial indexes saved ~0.2 s of it. Each index is dropped and made again under its
 * name in one transaction (on PostgreSQL, the migration's), so a run cut short leaves it as it was.
 */
const INDEXES: [name: string, definition: string][] = [
  ['hazards_department_idx', 'on hazards (department_id) where department_id is not null'],
  ['hazards_city_closed_idx', 'on hazards (city_code, closed_at) where closed_at is not null'],
  ['hazards_district_closed_idx', 'on hazards (district_code, closed_at) where closed_at is not null'],
];

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  for (const [name, definition] of INDEXES) {
    const remake = async (trx: Kysely<any>) => {
      await sql.raw(`drop index if exists ${name}`).execute(trx);
      await sql.raw(`create index ${name} ${definition}`).execute(trx);
    };
    // PostgreSQL runs each migration in a transaction of its own already.
    await (dialect === 'sqlite' ? db.transaction().execute(remake) : remake(db));
  }
}
