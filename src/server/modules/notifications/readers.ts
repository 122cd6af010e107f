/**
 * Who in the authorities answers for a place: the district and street officers whose region holds
 * it, and the department officers whose department covers its industry there (or to whom it was
 * handed). Loaded once per job run; shared by the digests of every module.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

export interface Place {
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  department_id?: string | null;
}

export interface Officer {
  id: string;
  role: string;
  district_code: string | null;
  street_code: string | null;
  department_id: string | null;
}

export async function officerReaders(db: Kysely<DB>): Promise<{ officers: Officer[]; of(place: Place): string[] }> {
  const officers = (await db
    .selectFrom('users')
    .select(['id', 'role', 'district_code', 'street_code', 'department_id'])
    .where('status', '=', 'active')
    .where('role', 'in', ['city_officer', 'district_officer', 'street_officer', 'dept_officer'])
    .execute()) as Officer[];
  const deptIndustries = new Map<string, { region: string; codes: Set<string> }>();
  for (const r of await db.selectFrom('departments').innerJoin('department_industries as di', 'di.department_id', 'departments.id').select(['departments.id', 'departments.region_code', 'di.industry_code']).execute()) {
    const entry = deptIndustries.get(r.id) ?? { region: r.region_code, codes: new Set<string>() };
    entry.codes.add(r.industry_code);
    deptIndustries.set(r.id, entry);
  }
  const sectionOf = new Map((await db.selectFrom('industries').select(['code', 'parent_code']).where('level', '=', 'division').execute()).map((r) => [r.code, r.parent_code ?? '']));
  return {
    officers,
    of(p) {
      const readers: string[] = [];
      for (const o of officers) {
        const inRegion = o.street_code ? o.street_code === p.street_code : o.district_code ? o.district_code === p.district_code : true;
        if ((o.role === 'district_officer' || o.role === 'street_officer') && inRegion) readers.push(o.id);
        if (o.role === 'dept_officer' && o.department_id) {
          const d = deptIndustries.get(o.department_id);
          const covers = o.department_id === p.department_id || (!!d && (d.region === p.city_code || d.region === p.district_code) && (d.codes.has(p.industry_code) || d.codes.has(sectionOf.get(p.industry_code) ?? '')));
          if (covers) readers.push(o.id);
        }
      }
      return readers;
    },
  };
}
