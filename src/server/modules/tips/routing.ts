/** Where a tip goes: the department that supervises its enterprise's industry, and the officers its place answers to; and the columns its scope reads. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { officerReaders } from '../notifications/readers';

/** A tip's place as scope.ts `tipScopeWhere` reads it (the table aliased `t`). */
export const TIP_COLS = { city: 't.city_code', district: 't.district_code', street: 't.street_code', industry: 't.industry_code', enterpriseId: 't.enterprise_id', department: 't.department_id' };

/** The department that supervises an industry division in a district: the district's own before the city's. */
export async function routeDepartment(db: Kysely<DB>, cityCode: string, districtCode: string, industryCode: string | null): Promise<string | null> {
  if (!industryCode) return null;
  const section = await db.selectFrom('industries').select('parent_code').where('code', '=', industryCode).executeTakeFirst();
  const codes = [industryCode, ...(section?.parent_code ? [section.parent_code] : [])];
  const rows = await db
    .selectFrom('departments as d')
    .innerJoin('department_industries as di', 'di.department_id', 'd.id')
    .select(['d.id', 'd.region_code', 'di.industry_code'])
    .where('d.city_code', '=', cityCode)
    .where('d.region_code', 'in', [districtCode, cityCode])
    .where('di.industry_code', 'in', codes)
    .orderBy('d.id')
    .execute();
  // The district's first, then the one naming the division itself before a whole section's.
  const rank = (r: { region_code: string; industry_code: string }) => (r.region_code === districtCode ? 0 : 2) + (r.industry_code === industryCode ? 0 : 1);
  return rows.sort((a, b) => rank(a) - rank(b))[0]?.id ?? null;
}

/** The officers a tip's place answers to: its district's and street's, and the departments covering it. */
export async function tipHandlers(db: Kysely<DB>, t: { city_code: string; district_code: string; street_code: string | null; industry_code: string | null; department_id: string | null }): Promise<string[]> {
  const readers = await officerReaders(db);
  return readers.of({ city_code: t.city_code, district_code: t.district_code, street_code: t.street_code, industry_code: t.industry_code ?? '', department_id: t.department_id });
}

