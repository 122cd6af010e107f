/**
 * 年度执法检查计划: a district (or a department, for its industries in a district) generates its year's
 * plan from the frequency matrix — per enterprise the planned count and months; every key unit
 * (重点检查单位) at least once — and watches coverage as the year goes: planned, done, overdue (a
 * planned month ended without the inspection), unplanned (triggered inspections done).
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import { PLANNED_TYPES, type KeyUnit, type KeyUnitQuery, type KeyUnitsInput, type Plan, type PlanInput, type PlanItemQuery, type PlanQuery } from '../../../shared/contracts/enforcement';
import { shanghaiDate } from '../../../shared/dates';
import { isValidUscc } from '../../../shared/uscc';
import { audit, transact, type ActorCtx } from '../../context';
import { enterpriseTextMatch } from '../../db/dialect';
import type { DB, KeyUnitsTable } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { directsEnforcement, officeRecordWhere } from '../../scope/scope';
import { findRegion } from '../regions/repository';
import { plannedCount, plannedMonths, resolveMatrix } from './matrix';
import { findDepartment } from '../departments/repository';
import { scopedEnterprises } from '../enterprises/repository';
import { departmentDivisions } from '../../auth/actor';

const CHUNK = 500;

function mayPlan(ctx: ActorCtx, districtCode: string) {
  const a = ctx.actor;
  return directsEnforcement(a) && (!a.districtCode || a.districtCode === districtCode);
}

/**
 * 重点检查单位 of a year in the caller's scope, each with its latest finished inspection in the window
 * (`from`–`to`, else the year); `covered` keeps those with one or those without.
 */
export async function listKeyUnits(ctx: ActorCtx, q: z.output<typeof KeyUnitQuery>): Promise<ListResult<KeyUnit>> {
  const from = q.from ?? `${q.year}-01-01`;
  const to = q.to ?? `${q.year}-12-31`;
  let base = scopedEnterprises(ctx.db, ctx.actor)
    .innerJoin('key_units as k', 'k.enterprise_id', 'enterprises.id')
    .where('k.city_code', '=', ctx.actor.cityCode)
    .where('k.year', '=', q.year);
  if (q.districtCode) base = base.where('k.district_code', '=', q.districtCode);
  type Eb = ExpressionBuilder<DB & { k: KeyUnitsTable }, 'enterprises' | 'k'>;
  const inWindow = (eb: Eb) => eb.selectFrom('inspections as i').whereRef('i.enterprise_id', '=', 'k.enterprise_id').where('i.status', '=', 'finished').where('i.date', '>=', from).where('i.date', '<=', to);
  const latest = (eb: Eb) => inWindow(eb).select((e) => e.fn.max('i.date').as('d'));
  if (q.covered !== undefined) base = base.where((eb) => (q.covered ? eb.exists(inWindow(eb).select('i.id')) : eb.not(eb.exists(inWindow(eb).select('i.id')))));
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base
    .select((eb) => ['enterprises.id', 'enterprises.name', 'enterprises.uscc', 'k.district_code', latest(eb).as('last')])
    .orderBy('k.district_code')
    .orderBy('enterprises.name')
    .orderBy('enterprises.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const items = rows.map((r) => ({ enterpriseId: r.id, enterpriseName: r.name, creditCode: r.uscc, districtCode: r.district_code, year: q.year, lastInspection: (r.last as string | null) ?? null }));
  return { items, total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** 重点检查单位: the office's list for a district and year, by id or 统一社会信用代码; every unknown row reported, nothing else lost. */
export async function addKeyUnits(ctx: ActorCtx, body: z.output<typeof KeyUnitsInput>) {
  if (!mayPlan(ctx, body.districtCode)) throw new AppError('FORBIDDEN', '只能设置本区的重点检查单位', 'You may set the key units of your own district');
  return transact(ctx, async (tx) => {
    const unknown: { row: number; value: string; message: string }[] = [];
    const found = new Map<string, number>();
    for (let i = 0; i < body.enterprises.length; i += CHUNK) {
      const part = body.enterprises.slice(i, i + CHUNK).map((v) => v.toUpperCase());
      const rows = await scopedEnterprises(tx.db, ctx.actor)
        .select(['id', 'uscc', 'district_code'])
        .where((eb) => eb.or([eb('id', 'in', part.map((p) => p.toLowerCase())), eb('uscc', 'in', part)]))
        .execute();
      part.forEach((v, k) => {
        const e = rows.find((r) => r.uscc === v || r.id === v.toLowerCase());
        const row = i + k + 1;
        if (!e) unknown.push({ row, value: body.enterprises[i + k], message: isValidUscc(v) ? '未找到该统一社会信用代码的企业，或不在您的管辖范围内' : '不是有效的企业编号或统一社会信用代码' });
        else if (e.district_code !== body.districtCode) unknown.push({ row, value: body.enterprises[i + k], message: '该企业不在所选区' });
        else found.set(e.id, row);
      });
    }
    const have = new Set(
      (await tx.db.selectFrom('key_units').select('enterprise_id').where('district_code', '=', body.districtCode).where('year', '=', body.year).execute()).map((r) => r.enterprise_id),
    );
    const fresh = [...found.keys()].filter((id) => !have.has(id));
    const at = ctx.now().toISOString();
    for (let i = 0; i < fresh.length; i += CHUNK) {
      await tx.db
        .insertInto('key_units')
        .values(fresh.slice(i, i + CHUNK).map((id) => ({ district_code: body.districtCode, year: body.year, enterprise_id: id, city_code: ctx.actor.cityCode, added_by: ctx.actor.userId, added_at: at })))
        .execute();
    }
    if (fresh.length) {
      // A plan of that year already made: the key units in it are flagged and get at least one inspection.
      await tx.db
        .updateTable('inspection_plan_items')
        .set((eb) => ({ key_unit: 1, planned: eb.case().when('planned', '<', 1).then(1).else(eb.ref('planned')).end() }))
        .where('enterprise_id', 'in', fresh.slice(0, 20_000))
        .where('plan_id', 'in', (eb) => eb.selectFrom('inspection_plans').select('id').where('district_code', '=', body.districtCode).where('year', '=', body.year))
        .execute();
    }
    await audit(tx, { action: 'enforcement.key_units_added', entityType: 'key_units', entityId: `${body.districtCode}:${body.year}`, districtCode: body.districtCode, after: { added: fresh.length, unknown: unknown.length } });
    return { added: fresh.length, already: found.size - fresh.length, total: have.size + fresh.length, unknown };
  });
}

export async function generatePlan(ctx: ActorCtx, body: z.output<typeof PlanInput>): Promise<Plan> {
  const a = ctx.actor;
  if (!mayPlan(ctx, body.districtCode)) throw new AppError('FORBIDDEN', '年度计划由本区、本部门或市级执法机构制定', 'Plans are made by the district, department or city');
  const departmentId = body.departmentId ?? (a.role === 'dept_officer' ? a.departmentId : null) ?? null;
  if (a.role === 'dept_officer' && departmentId !== a.departmentId) throw fieldError('VALIDATION_FAILED', 'departmentId', '只能制定本部门的计划', 'Plan for your own department');
  const district = await findRegion(ctx.db, body.districtCode);
  if (!district || district.level !== 'district') throw fieldError('UNKNOWN_REGION', 'districtCode', '区代码不存在', 'Unknown district');
  return transact(ctx, async (tx) => {
    const ownerKey = departmentId ?? 'district';
    const taken = await tx.db.selectFrom('inspection_plans').select('id').where('district_code', '=', body.districtCode).where('owner_key', '=', ownerKey).where('year', '=', body.year).executeTakeFirst();
    if (taken) throw new AppError('DUPLICATE', `${district.name}${departmentId ? '该部门' : ''} ${body.year} 年的执法检查计划已制定`, 'The plan of this year exists already', { errors: [{ path: 'year', code: 'duplicate', message: taken.id }] });
    const scope = departmentId ? { level: 'department' as const, id: departmentId } : { level: 'district' as const, id: body.districtCode };
    const { cells } = await resolveMatrix(tx.db, a.cityCode, scope, body.year);
    let ents = scopedEnterprises(tx.db, a).select(['id', 'risk_class', 'standardization_level']).where('district_code', '=', body.districtCode);
    if (departmentId) {
      const codes = await departmentDivisions(tx.db, departmentId);
      ents = ents.where('industry_code', 'in', codes.length ? codes : ['-']);
    }
    const rows = await ents.orderBy('id').execute();
    const keys = new Set((await tx.db.selectFrom('key_units').select('enterprise_id').where('district_code', '=', body.districtCode).where('year', '=', body.year).execute()).map((r) => r.enterprise_id));
    const id = uuidv7();
    await tx.db
      .insertInto('inspection_plans')
      .values({ id, city_code: a.cityCode, district_code: body.districtCode, department_id: departmentId, owner_key: ownerKey, year: body.year, matrix_json: JSON.stringify(cells), created_by: a.userId, created_by_name: a.displayName, created_at: ctx.now().toISOString() })
      .execute();
    const done = await doneByEnterprise(tx.db, body.districtCode, body.year);
    const items = rows.map((e) => {
      const key = keys.has(e.id);
      const n = plannedCount(cells, e, key);
      return { plan_id: id, enterprise_id: e.id, planned: n, months_json: JSON.stringify(plannedMonths(n, e.id)), key_unit: key ? 1 : 0, done: done.get(e.id) ?? 0 };
    });
    for (let i = 0; i < items.length; i += CHUNK) await tx.db.insertInto('inspection_plan_items').values(items.slice(i, i + CHUNK)).execute();
    await audit(tx, { action: 'inspection_plan.generated', entityType: 'inspection_plan', entityId: id, districtCode: body.districtCode, after: { year: body.year, departmentId, enterprises: items.length, planned: items.reduce((s, x) => s + x.planned, 0), keyUnits: keys.size } });
    return planDetail(tx, id);
  });
}

/** Planned and drawn inspections already done in a district's year, per enterprise (a plan made late counts them). */
async function doneByEnterprise(db: Kysely<DB>, districtCode: string, year: number) {
  const rows = await db
    .selectFrom('inspections')
    .select(['enterprise_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('district_code', '=', districtCode)
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .where('status', '=', 'finished')
    .where('type', 'in', [...PLANNED_TYPES])
    .groupBy('enterprise_id')
    .execute();
  return new Map(rows.map((r) => [r.enterprise_id, Number(r.n)]));
}

const scopedPlans = (ctx: ActorCtx) =>
  ctx.db.selectFrom('inspection_plans').where(officeRecordWhere<DB, 'inspection_plans'>(ctx.actor, { city: 'inspection_plans.city_code', district: 'inspection_plans.district_code', department: 'inspection_plans.department_id' }));

const findPlan = (ctx: ActorCtx, id: string) => scopedPlans(ctx).selectAll().where('id', '=', id).executeTakeFirst();

/** Months of a plan year that have ended by `today` (all for a past year, none for a future one). */
function monthsEnded(year: number, today: string): number {
  const y = Number(today.slice(0, 4));
  if (year < y) return 12;
  if (year > y) return 0;
  return Number(today.slice(5, 7)) - 1;
}

const overdueOf = (months: number[], done: number, ended: number) => Math.max(0, months.filter((m) => m <= ended).length - done);

export async function planDetail(ctx: ActorCtx, id: string): Promise<Plan> {
  const p = await findPlan(ctx, id);
  if (!p) throw notFound('执法检查计划', 'inspection plan');
  const items = await ctx.db.selectFrom('inspection_plan_items').select(['planned', 'months_json', 'key_unit', 'done']).where('plan_id', '=', id).execute();
  const ended = monthsEnded(p.year, shanghaiDate(ctx.now()));
  const byMonth = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, planned: 0, done: 0 }));
  let planned = 0;
  let done = 0;
  let overdue = 0;
  let keyUnits = 0;
  let keyCovered = 0;
  for (const it of items) {
    const months = JSON.parse(it.months_json) as number[];
    planned += it.planned;
    const counted = Math.min(it.done, it.planned);
    done += counted;
    overdue += overdueOf(months, it.done, ended);
    // The done ones fill the earliest planned months first.
    months.forEach((m, k) => {
      byMonth[m - 1].planned++;
      if (k < counted) byMonth[m - 1].done++;
    });
    if (it.key_unit) {
      keyUnits++;
      if (it.done > 0) keyCovered++;
    }
  }
  let unplannedQ = ctx.db
    .selectFrom('inspections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('district_code', '=', p.district_code)
    .where('date', '>=', `${p.year}-01-01`)
    .where('date', '<=', `${p.year}-12-31`)
    .where('status', '=', 'finished')
    .where('type', 'not in', [...PLANNED_TYPES]);
  if (p.department_id) {
    const codes = await departmentDivisions(ctx.db, p.department_id);
    unplannedQ = unplannedQ.where('industry_code', 'in', codes.length ? codes : ['-']);
  }
  const [{ n: unplanned }] = await unplannedQ.execute();
  const district = await findRegion(ctx.db, p.district_code);
  const dept = p.department_id ? await findDepartment(ctx.db, p.department_id) : undefined;
  return {
    id: p.id,
    year: p.year,
    districtCode: p.district_code,
    districtName: district?.name ?? p.district_code,
    departmentId: p.department_id,
    ownerName: dept?.name ?? district?.name ?? '',
    enterprises: items.length,
    planned,
    done,
    overdue,
    unplanned: Number(unplanned),
    keyUnits,
    keyUnitsCovered: keyCovered,
    byMonth,
    matrix: JSON.parse(p.matrix_json),
    createdAt: p.created_at,
    createdByName: p.created_by_name,
  };
}

export async function listPlans(ctx: ActorCtx, q: z.output<typeof PlanQuery>) {
  let base = scopedPlans(ctx).select('id');
  if (q.year) base = base.where('year', '=', q.year);
  if (q.districtCode) base = base.where('district_code', '=', q.districtCode);
  const ids = await base.orderBy('year', 'desc').orderBy('district_code').limit(200).execute();
  const items: Omit<Plan, 'byMonth' | 'matrix'>[] = [];
  for (const { id } of ids) {
    const { byMonth: _b, matrix: _m, ...rest } = await planDetail(ctx, id);
    items.push(rest);
  }
  return { items, total: items.length, page: 1, pageSize: items.length };
}

export async function planItems(ctx: ActorCtx, id: string, q: z.output<typeof PlanItemQuery>): Promise<ListResult<z.infer<typeof import('../../../shared/contracts/enforcement').PlanItem>>> {
  const p = await findPlan(ctx, id);
  if (!p) throw notFound('执法检查计划', 'inspection plan');
  const ended = monthsEnded(p.year, shanghaiDate(ctx.now()));
  let base = ctx.db.selectFrom('inspection_plan_items as i').innerJoin('enterprises', 'enterprises.id', 'i.enterprise_id').where('i.plan_id', '=', id);
  if (q.status === 'done') base = base.where((eb) => eb('i.done', '>=', eb.ref('i.planned'))).where('i.planned', '>', 0);
  if (q.status === 'key') base = base.where('i.key_unit', '=', 1);
  if (q.q) base = base.where((eb) => enterpriseTextMatch(ctx.dialect, eb as never, q.q!));
  const rows = await base
    .select(['i.enterprise_id', 'enterprises.name', 'enterprises.risk_class', 'enterprises.standardization_level', 'i.key_unit', 'i.planned', 'i.months_json', 'i.done'])
    .orderBy('i.key_unit', 'desc')
    .orderBy('i.planned', 'desc')
    .orderBy('i.enterprise_id')
    .execute();
  const all = rows
    .map((r) => {
      const months = JSON.parse(r.months_json) as number[];
      return { enterpriseId: r.enterprise_id, enterpriseName: r.name, riskClass: r.risk_class, standardizationLevel: r.standardization_level, keyUnit: r.key_unit === 1, planned: r.planned, months, done: r.done, overdue: overdueOf(months, r.done, ended) };
    })
    .filter((r) => q.status !== 'overdue' || r.overdue > 0);
  return { items: all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: all.length, page: q.page, pageSize: q.pageSize };
}
