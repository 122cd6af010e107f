/**
 * 啄木鸟计划: a programme is the list of enterprises a district (or a department in it) must have
 * visited by experts within a period — three years from its start unless told. Each target's state
 * (not yet, scheduled, covered) and the programme's counts are kept in the transaction that assigns,
 * submits or cancels a visit, so coverage is read, not computed; the projection of full coverage
 * extends the pace so far.
 */
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { Coverage, CoverageQuery, Programme, ProgrammeInput, Target, TargetQuery } from '../../../shared/contracts/experts';
import { addDays, shanghaiDate } from '../../../shared/dates';
import { normalizeUscc } from '../../../shared/uscc';
import { audit, transact, type ActorCtx } from '../../context';
import { enterpriseTextMatch, insertMany } from '../../db/dialect';
import type { DB, ExpertProgrammeRow } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { managesExperts, officeRecordWhere } from '../../scope/scope';
import { departmentDivisions } from '../../auth/actor';
import { scopedEnterprises } from '../enterprises/repository';
import { divisionsIn } from '../industries/repository';
import { findRegion, listRegions } from '../regions/repository';

const OFFICE_COLS = { city: 'expert_programmes.city_code', district: 'expert_programmes.district_code', department: 'expert_programmes.department_id' };

export function scopedProgrammes(db: Kysely<DB>, ctx: ActorCtx) {
  return db.selectFrom('expert_programmes').where(officeRecordWhere<DB, 'expert_programmes'>(ctx.actor, OFFICE_COLS) as never);
}

export async function findProgramme(ctx: ActorCtx, id: string) {
  return scopedProgrammes(ctx.db, ctx).selectAll().where('id', '=', id).executeTakeFirst();
}

/** The last day of a period of three years from `from` (2026-03-01 → 2029-02-28). */
export function threeYearsFrom(from: string): string {
  const [y, m, d] = from.split('-').map(Number);
  const end = new Date(Date.UTC(y + 3, m - 1, d));
  if (end.getUTCMonth() !== m - 1) end.setUTCDate(0);
  return addDays(end.toISOString().slice(0, 10), -1);
}

const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * When every target will be covered at the pace so far (covered ÷ days since the start): none before
 * the first coverage (no pace to extend), the day the last was covered once all are, and whether
 * that day falls inside the period.
 */
export function projectCoverage(p: { from: string; to: string; today: string; targets: number; covered: number; lastCoveredOn: string | null }): { pacePerMonth: number | null; projected: string | null; onTrack: boolean | null } {
  if (p.targets > 0 && p.covered >= p.targets) return { pacePerMonth: null, projected: p.lastCoveredOn, onTrack: p.lastCoveredOn !== null && p.lastCoveredOn <= p.to };
  const elapsed = days(p.from, p.today) + 1;
  if (p.covered === 0 || elapsed <= 0) return { pacePerMonth: null, projected: null, onTrack: null };
  const perDay = p.covered / elapsed;
  const projected = addDays(p.today, Math.ceil((p.targets - p.covered) / perDay));
  return { pacePerMonth: Math.round(perDay * 30 * 10) / 10, projected, onTrack: projected <= p.to };
}

async function presentAll(db: Kysely<DB>, rows: ExpertProgrammeRow[], today: string): Promise<Programme[]> {
  const names = new Map((await listRegions(db, { level: 'district' })).map((r) => [r.code, r.name]));
  const last = rows.length
    ? new Map(
        (await db.selectFrom('expert_targets').select(['programme_id', (eb) => eb.fn.max('covered_on').as('d')]).where('programme_id', 'in', rows.map((r) => r.id)).groupBy('programme_id').execute()).map((x) => [x.programme_id, (x.d as string | null) ?? null]),
      )
    : new Map<string, string | null>();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    districtCode: r.district_code,
    districtName: names.get(r.district_code) ?? r.district_code,
    departmentId: r.department_id,
    from: r.period_from,
    to: r.period_to,
    targets: r.targets,
    covered: r.covered,
    scheduled: r.scheduled,
    notYet: r.targets - r.covered - r.scheduled,
    ...(({ projected, onTrack }) => ({ projectedFullCoverage: projected, onTrack }))(projectCoverage({ from: r.period_from, to: r.period_to, today, targets: r.targets, covered: r.covered, lastCoveredOn: last.get(r.id) ?? null })),
    createdAt: r.created_at,
  }));
}

export async function listProgrammes(ctx: ActorCtx): Promise<ListResult<Programme>> {
  const rows = await scopedProgrammes(ctx.db, ctx).selectAll().orderBy('period_from', 'desc').orderBy('id').limit(500).execute();
  const items = await presentAll(ctx.db, rows, shanghaiDate(ctx.now()));
  return { items, total: items.length, page: 1, pageSize: items.length };
}

export async function programmeDetail(ctx: ActorCtx, id: string): Promise<Programme> {
  const r = await findProgramme(ctx, id);
  if (!r) throw notFound('啄木鸟计划', 'programme');
  return (await presentAll(ctx.db, [r], shanghaiDate(ctx.now())))[0];
}

/** The enterprises a programme names: the office's list (each unknown one reported), or the district's matching the filter. */
async function targetsOf(ctx: ActorCtx, body: z.output<typeof ProgrammeInput>, departmentId: string | null) {
  let q = scopedEnterprises(ctx.db, ctx.actor).select(['id', 'district_code', 'street_code', 'industry_code']).where('district_code', '=', body.districtCode);
  if (departmentId) q = q.where('industry_code', 'in', await departmentDivisions(ctx.db, departmentId));
  // The office's list, by id or by 统一社会信用代码 (a list pasted from its spreadsheet): every line it cannot take is reported.
  const list = body.enterpriseIds ? { field: 'enterpriseIds', col: 'id' as const, keys: body.enterpriseIds } : body.usccs ? { field: 'usccs', col: 'uscc' as const, keys: body.usccs.map(normalizeUscc) } : null;
  if (list) {
    const wanted = [...new Set(list.keys)];
    const found: { id: string; uscc: string; district_code: string; street_code: string | null; industry_code: string }[] = [];
    for (let i = 0; i < wanted.length; i += 500) found.push(...(await q.select('uscc').where(list.col, 'in', wanted.slice(i, i + 500)).execute()));
    const known = new Set(found.map((r) => r[list.col]));
    const errors = list.keys.flatMap((key, k) => (known.has(key) ? [] : [{ path: `${list.field}.${k}`, code: 'unknown_enterprise', message: `第 ${k + 1} 家企业${list.col === 'uscc' ? `（${key}）` : ''}不存在，或不在本区、不在您的管辖范围内` }]));
    if (errors.length) throw new AppError('VALIDATION_FAILED', `${errors.length} 家企业不能列入计划：${errors[0].message}`, 'Some enterprises cannot be targets', { errors: errors.slice(0, 200) });
    return found;
  }
  const f = body.filter ?? {};
  if (f.industries?.length) q = q.where('industry_code', 'in', divisionsIn(ctx.db, f.industries));
  if (f.riskClasses?.length) q = q.where('risk_class', 'in', f.riskClasses);
  if (f.streetCodes?.length) q = q.where('street_code', 'in', f.streetCodes);
  return q.orderBy('id').execute();
}

export async function createProgramme(ctx: ActorCtx, body: z.output<typeof ProgrammeInput>): Promise<Programme> {
  const a = ctx.actor;
  if (!managesExperts(a) || (a.districtCode && a.districtCode !== body.districtCode)) throw new AppError('FORBIDDEN', '啄木鸟计划由本区、本部门或市级单位制定', 'Programmes are set by the district, department or city');
  const departmentId = body.departmentId ?? (a.role === 'dept_officer' ? a.departmentId : null) ?? null;
  if (a.role === 'dept_officer' && departmentId !== a.departmentId) throw fieldError('VALIDATION_FAILED', 'departmentId', '只能制定本部门的计划', 'Set your own department’s programme');
  if ([body.enterpriseIds, body.usccs, body.filter].filter(Boolean).length > 1) throw fieldError('VALIDATION_FAILED', 'filter', '目标企业请二选一：上传名单或按条件筛选', 'Either a list or a filter');
  const district = await findRegion(ctx.db, body.districtCode);
  if (!district || district.level !== 'district') throw fieldError('UNKNOWN_REGION', 'districtCode', '区不存在', 'Unknown district');
  const to = body.to ?? threeYearsFrom(body.from);
  return transact(ctx, async (tx) => {
    const targets = await targetsOf(tx, body, departmentId);
    if (!targets.length) throw fieldError('VALIDATION_FAILED', body.enterpriseIds ? 'enterpriseIds' : body.usccs ? 'usccs' : 'filter', '没有符合条件的目标企业', 'No enterprise to cover');
    const id = uuidv7();
    const row = { id, city_code: a.cityCode, district_code: body.districtCode, department_id: departmentId, title: body.title, period_from: body.from, period_to: to, targets: targets.length, scheduled: 0, covered: 0, created_by: a.userId, created_at: ctx.now().toISOString() };
    await tx.db.insertInto('expert_programmes').values(row).execute();
    await insertMany(
      tx.db,
      tx.dialect,
      'expert_targets',
      targets.map((t) => ({ programme_id: id, enterprise_id: t.id, district_code: t.district_code, street_code: t.street_code, industry_code: t.industry_code, state: 'not_yet', covered_on: null })),
    );
    await audit(tx, { action: 'expert_programme.created', entityType: 'expert_programme', entityId: id, districtCode: body.districtCode, after: { title: body.title, from: body.from, to, targets: targets.length, departmentId } });
    return (await presentAll(tx.db, [row], shanghaiDate(ctx.now())))[0];
  });
}

/** Coverage as kept, by district, street or industry division, with the projection of full coverage. */
export async function programmeCoverage(ctx: ActorCtx, id: string, q: z.output<typeof CoverageQuery>): Promise<Coverage> {
  const p = await findProgramme(ctx, id);
  if (!p) throw notFound('啄木鸟计划', 'programme');
  const col = q.groupBy === 'district' ? 't.district_code' : q.groupBy === 'street' ? 't.street_code' : 't.industry_code';
  const rows = await sql<{ code: string | null; state: string; n: number }>`
    select ${sql.ref(col)} as code, t.state, count(*) as n from expert_targets t where t.programme_id = ${id} group by ${sql.ref(col)}, t.state`.execute(ctx.db);
  const last = await ctx.db.selectFrom('expert_targets').select((eb) => eb.fn.max('covered_on').as('d')).where('programme_id', '=', id).executeTakeFirst();
  const codes = [...new Set(rows.rows.map((r) => r.code ?? ''))];
  const names = new Map<string, string>();
  if (codes.length) {
    const table = q.groupBy === 'industry' ? 'industries' : 'regions';
    for (const r of await ctx.db.selectFrom(table).select(['code', 'name']).where('code', 'in', codes.filter(Boolean)).execute()) names.set(r.code, r.name);
  }
  const groups = codes
    .map((code) => {
      const of = (s: string) => Number(rows.rows.find((r) => (r.code ?? '') === code && r.state === s)?.n ?? 0);
      const covered = of('covered');
      const scheduled = of('scheduled');
      const notYet = of('not_yet');
      return { code, name: code ? (names.get(code) ?? code) : '未划分街道', targets: covered + scheduled + notYet, covered, scheduled, notYet };
    })
    .sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  const today = shanghaiDate(ctx.now());
  const projection = projectCoverage({ from: p.period_from, to: p.period_to, today, targets: p.targets, covered: p.covered, lastCoveredOn: (last?.d as string | null) ?? null });
  return {
    programmeId: id,
    from: p.period_from,
    to: p.period_to,
    asOf: today,
    targets: p.targets,
    covered: p.covered,
    scheduled: p.scheduled,
    notYet: p.targets - p.covered - p.scheduled,
    pacePerMonth: projection.pacePerMonth,
    projectedFullCoverage: projection.projected,
    onTrack: projection.onTrack,
    groupBy: q.groupBy,
    groups,
  };
}

/** A programme's target enterprises with their state (`state`: not yet, scheduled, covered; `q`: name or credit code). */
export async function programmeTargets(ctx: ActorCtx, id: string, q: z.output<typeof TargetQuery>): Promise<ListResult<Target>> {
  const p = await findProgramme(ctx, id);
  if (!p) throw notFound('啄木鸟计划', 'programme');
  let base = ctx.db.selectFrom('expert_targets as t').innerJoin('enterprises', 'enterprises.id', 't.enterprise_id').where('t.programme_id', '=', id);
  if (q.state) base = base.where('t.state', '=', q.state);
  if (q.q) base = base.where((eb) => enterpriseTextMatch(ctx.dialect, eb as never, q.q!));
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base
    .select(['t.enterprise_id', 'enterprises.name', 't.district_code', 't.street_code', 't.industry_code', 't.state', 't.covered_on'])
    .orderBy('t.state')
    .orderBy('enterprises.name')
    .orderBy('t.enterprise_id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const items = rows.map((r) => ({ enterpriseId: r.enterprise_id, enterpriseName: r.name, districtCode: r.district_code, streetCode: r.street_code, industryCode: r.industry_code, state: r.state, coveredOn: r.covered_on }));
  return { items, total: Number(n), page: q.page, pageSize: q.pageSize };
}
