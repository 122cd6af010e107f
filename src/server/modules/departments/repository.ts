import type { Kysely } from 'kysely';
import type { Department } from '../../../shared/contracts/departments';
import type { DB } from '../../db/schema';

export async function listDepartments(db: Kysely<DB>, f: { regionCode?: string; industryCode?: string; ids?: string[] }): Promise<Department[]> {
  let q = db
    .selectFrom('departments')
    .leftJoin('regions', 'regions.code', 'departments.region_code')
    .select(['departments.id', 'departments.name', 'departments.region_code', 'regions.name as region_name']);
  if (f.regionCode) q = q.where('departments.region_code', '=', f.regionCode);
  if (f.ids) q = q.where('departments.id', 'in', f.ids.length ? f.ids : ['']);
  if (f.industryCode) {
    const code = f.industryCode;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('department_industries')
          .leftJoin('industries', 'industries.code', 'department_industries.industry_code')
          .select('department_industries.department_id')
          .whereRef('department_industries.department_id', '=', 'departments.id')
          .where((e) => e.or([e('department_industries.industry_code', '=', code), e('industries.code', '=', code.length === 2 ? code : '-')])),
      ),
    );
  }
  const rows = await q.orderBy('departments.region_code').orderBy('departments.name').execute();
  const links = await db
    .selectFrom('department_industries')
    .select(['department_id', 'industry_code'])
    .where('department_id', 'in', rows.length ? rows.map((r) => r.id) : [''])
    .orderBy('industry_code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name,
    industryCodes: links.filter((l) => l.department_id === r.id).map((l) => l.industry_code),
  }));
}

export async function findDepartment(db: Kysely<DB>, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}
