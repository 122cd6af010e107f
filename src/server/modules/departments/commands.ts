import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { DepartmentInput } from '../../../shared/contracts/departments';
import { audit, transact, type ActorCtx } from '../../context';
import { classifyDbError } from '../../db/dialect';
import type { DB } from '../../db/schema';
import { AppError, fieldError } from '../../errors/app-error';
import { findRegion } from '../regions/repository';
import { listDepartments } from './repository';

/** Writes a department and its industries; shared by the admin command and the demo loader. */
export async function insertDepartment(db: Kysely<DB>, cityCode: string, input: { name: string; regionCode: string; industryCodes: string[] }, now: string) {
  const region = await findRegion(db, input.regionCode);
  if (!region || region.level === 'street') throw fieldError('UNKNOWN_REGION', 'regionCode', '部门所属区域应为本市或某个区', 'A department belongs to the city or a district');
  const known = await db.selectFrom('industries').select('code').where('code', 'in', input.industryCodes.length ? input.industryCodes : ['']).execute();
  const unknown = input.industryCodes.filter((c) => !known.some((k) => k.code === c));
  if (unknown.length) throw fieldError('UNKNOWN_INDUSTRY', 'industryCodes', `未知的行业代码：${unknown.join('、')}`, `Unknown industry code(s): ${unknown.join(', ')}`);
  const id = uuidv7();
  try {
    await db
      .insertInto('departments')
      .values({ id, city_code: cityCode, region_code: input.regionCode, district_code: region.level === 'district' ? region.code : null, name: input.name, created_at: now, updated_at: now })
      .execute();
  } catch (err) {
    if (classifyDbError(err)?.kind === 'unique') throw new AppError('DUPLICATE', '该区域已有同名部门', 'A department with this name already exists in this region');
    throw err;
  }
  if (input.industryCodes.length) {
    await db.insertInto('department_industries').values([...new Set(input.industryCodes)].map((c) => ({ department_id: id, industry_code: c }))).execute();
  }
  return id;
}

export async function createDepartment(ctx: ActorCtx, input: z.output<typeof DepartmentInput>) {
  return transact(ctx, async (tx) => {
    const id = await insertDepartment(tx.db, ctx.actor.cityCode, input, ctx.now().toISOString());
    const [dept] = await listDepartments(tx.db, { ids: [id] });
    await audit(tx, { action: 'department.created', entityType: 'department', entityId: id, after: dept });
    return dept;
  });
}
