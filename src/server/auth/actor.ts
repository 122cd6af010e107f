import type { Kysely } from 'kysely';
import type { Role } from '../../shared/roles';
import type { DB, UserRow } from '../db/schema';
import type { Actor } from '../scope/scope';

/** The division codes a department supervises: its own division codes plus every division of its sections. */
export async function departmentDivisions(db: Kysely<DB>, departmentId: string): Promise<string[]> {
  const codes = db.selectFrom('department_industries').select('industry_code').where('department_id', '=', departmentId);
  const rows = await db
    .selectFrom('industries')
    .select('code')
    .where('level', '=', 'division')
    .where((eb) => eb.or([eb('code', 'in', codes), eb('parent_code', 'in', codes)]))
    .orderBy('code')
    .execute();
  return rows.map((r) => r.code);
}

/** 啄木鸟: the enterprises an expert is assigned to visit (visits not cancelled), read with each request. */
export async function assignedEnterprises(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('expert_visit_experts as e')
    .innerJoin('expert_visits as v', 'v.id', 'e.visit_id')
    .select('v.enterprise_id')
    .distinct()
    .where('e.user_id', '=', userId)
    .where('v.status', '<>', 'cancelled')
    .execute();
  return rows.map((r) => r.enterprise_id);
}

export async function actorFromUser(db: Kysely<DB>, user: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role' | 'region_code' | 'city_code' | 'district_code' | 'street_code' | 'department_id' | 'enterprise_id'>, via: Actor['via']): Promise<Actor> {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role as Role,
    regionCode: user.region_code,
    cityCode: user.city_code,
    districtCode: user.district_code,
    streetCode: user.street_code,
    departmentId: user.department_id,
    enterpriseId: user.enterprise_id,
    industryCodes: user.role === 'dept_officer' && user.department_id ? await departmentDivisions(db, user.department_id) : [],
    ...(user.role === 'expert' ? { assignedEnterpriseIds: await assignedEnterprises(db, user.id) } : {}),
    via,
  };
}
