/**
 * 专家库: an expert's appointment (who appointed them, from when to when), specialties (industry
 * divisions, hazard categories) and standing, beside their `expert` account; the office that keeps
 * them (the city, a district, a department); their record of quality, read from their visits and
 * what became of their findings. An officer may suspend an expert; a lapsed or suspended expert
 * cannot be assigned.
 */
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { CandidateQuery, Expert, ExpertCandidate, ExpertDetail, ExpertInput, ExpertPatch, ExpertQuery } from '../../../shared/contracts/experts';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { likeContains } from '../../db/dialect';
import type { DB, ExpertProfileRow } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { expertPoolWhere, keepsOfficeRecord, managesExperts, officeFor } from '../../scope/scope';
import { findEnterprise, scopedEnterprises } from '../enterprises/repository';

const POOL_COLS = { city: 'p.city_code', district: 'p.district_code', department: 'p.department_id', user: 'p.user_id' };

export function scopedPool(db: Kysely<DB>, ctx: ActorCtx) {
  return db
    .selectFrom('expert_profiles as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .where(expertPoolWhere<DB, 'expert_profiles'>(ctx.actor, POOL_COLS) as never);
}

/** Appointed on this day (not before the start, not after the end). */
export const appointedOn = (p: Pick<ExpertProfileRow, 'appointed_from' | 'appointed_to'>, day: string) => p.appointed_from <= day && day <= p.appointed_to;

type Row = ExpertProfileRow & { display_name: string; username: string };

function present(r: Row, today: string, division?: string): Expert {
  return {
    userId: r.user_id,
    name: r.display_name,
    username: r.username,
    districtCode: r.district_code,
    departmentId: r.department_id,
    appointedBy: r.appointed_by,
    appointedFrom: r.appointed_from,
    appointedTo: r.appointed_to,
    title: r.title,
    industries: JSON.parse(r.industries_json) as string[],
    categories: JSON.parse(r.categories_json) as string[],
    status: r.status,
    suspendedReason: r.suspended_reason,
    lapsed: !appointedOn(r, today),
    matchesSpecialty: division === undefined ? null : (JSON.parse(r.industries_json) as string[]).includes(division),
    version: r.version,
  };
}

export async function findExpert(ctx: ActorCtx, userId: string): Promise<Row | undefined> {
  return scopedPool(ctx.db, ctx).selectAll('p').select(['u.display_name', 'u.username']).where('p.user_id', '=', userId).executeTakeFirst();
}

export async function listExperts(ctx: ActorCtx, q: z.output<typeof ExpertQuery>): Promise<ListResult<Expert>> {
  const today = shanghaiDate(ctx.now());
  let base = scopedPool(ctx.db, ctx);
  if (q.districtCode) base = base.where('p.district_code', '=', q.districtCode);
  if (q.status) base = base.where('p.status', '=', q.status);
  if (q.assignable) base = base.where('p.status', '=', 'active').where('p.appointed_from', '<=', today).where('p.appointed_to', '>=', today).where('u.status', '=', 'active');
  if (q.q) {
    const p = likeContains(q.q);
    base = base.where(sql<boolean>`(u.display_name like ${p} escape '\\' or p.appointed_by like ${p} escape '\\')`);
  }
  if (q.industry) base = base.where(sql<boolean>`p.industries_json like ${`%"${q.industry.slice(0, 2)}"%`}`);
  let division: string | undefined;
  if (q.enterpriseId) {
    const ent = await findEnterprise(ctx.db, ctx.actor, q.enterpriseId);
    if (!ent) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    base = base.where('p.user_id', 'not in', (eb) => eb.selectFrom('inspector_conflicts').select('user_id').where('enterprise_id', '=', ent.id));
    division = ent.industry_code.slice(0, 2);
  }
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  // For an enterprise, those specialised in its division come first.
  const rows = await base
    .selectAll('p')
    .select(['u.display_name', 'u.username'])
    .orderBy(sql`case when ${division ? sql`p.industries_json like ${`%"${division}"%`}` : sql`1 = 0`} then 0 else 1 end`)
    .orderBy('u.display_name')
    .orderBy('p.user_id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: rows.map((r) => present(r, today, division)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** Per expert: visits, findings and what became of them, enterprises' feedback. */
async function quality(db: Kysely<DB>, userId: string): Promise<ExpertDetail['quality']> {
  const visits = db.selectFrom('expert_visit_experts as ve').innerJoin('expert_visits as v', 'v.id', 've.visit_id').where('ve.user_id', '=', userId).where('v.status', '<>', 'cancelled');
  const v = await visits
    .select((eb) => [
      eb.fn.countAll<number>().as('visits'),
      eb.fn.sum<number>(eb.case().when('v.status', '=', 'submitted').then(1).else(0).end()).as('submitted'),
      eb.fn.sum<number>('v.findings').as('findings'),
      eb.fn.sum<number>('v.major_findings').as('major'),
      eb.fn.count<number>('v.feedback_rating').as('feedbacks'),
      eb.fn.avg<number>('v.feedback_rating').as('rating'),
    ])
    .executeTakeFirstOrThrow();
  const states = await visits
    .innerJoin('hazard_origins as o', (j) => j.onRef('o.origin_id', '=', 'v.id').on('o.origin_type', '=', 'expert_visit'))
    .innerJoin('hazards as h', 'h.id', 'o.hazard_id')
    .select(['h.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('h.status', 'in', ['closed', 'voided'])
    .groupBy('h.status')
    .execute();
  const of = (s: string) => Number(states.find((r) => r.status === s)?.n ?? 0);
  return {
    visits: Number(v.visits),
    submitted: Number(v.submitted ?? 0),
    findings: Number(v.findings ?? 0),
    majorFindings: Number(v.major ?? 0),
    confirmed: of('closed'),
    voided: of('voided'),
    feedbackCount: Number(v.feedbacks),
    feedbackAverage: v.rating === null || v.rating === undefined ? null : Math.round(Number(v.rating) * 10) / 10,
  };
}

export async function expertDetail(ctx: ActorCtx, userId: string): Promise<ExpertDetail> {
  const r = await findExpert(ctx, userId);
  if (!r) throw notFound('专家', 'expert');
  return { ...present(r, shanghaiDate(ctx.now())), quality: await quality(ctx.db, userId), conflicts: await conflictsOf(ctx, userId) };
}

/** An expert's declared conflicts, of the enterprises the caller sees. */
async function conflictsOf(ctx: ActorCtx, userId: string) {
  const rows = await scopedEnterprises(ctx.db, ctx.actor)
    .innerJoin('inspector_conflicts as c', 'c.enterprise_id', 'enterprises.id')
    .select(['c.id', 'c.enterprise_id', 'enterprises.name', 'c.reason', 'c.declared_at'])
    .where('c.user_id', '=', userId)
    .orderBy('c.declared_at')
    .orderBy('c.id')
    .execute();
  return rows.map((c) => ({ id: c.id, expertId: userId, enterpriseId: c.enterprise_id, enterpriseName: c.name, reason: c.reason, declaredAt: c.declared_at }));
}

/** Expert accounts of the city, active, in no pool yet: whom an office can add. */
export async function expertCandidates(ctx: ActorCtx, q: z.output<typeof CandidateQuery>): Promise<ListResult<z.infer<typeof ExpertCandidate>>> {
  if (!managesExperts(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能管理专家库', 'Your role cannot manage experts');
  let base = ctx.db
    .selectFrom('users as u')
    .select(['u.id', 'u.display_name', 'u.username'])
    .where('u.city_code', '=', ctx.actor.cityCode)
    .where('u.role', '=', 'expert')
    .where('u.status', '=', 'active')
    .where('u.id', 'not in', (eb) => eb.selectFrom('expert_profiles').select('user_id'));
  if (q.q) {
    const p = likeContains(q.q);
    base = base.where(sql<boolean>`(u.display_name like ${p} escape '\\' or u.username like ${p} escape '\\')`);
  }
  const rows = await base.orderBy('u.display_name').orderBy('u.id').limit(50).execute();
  return { items: rows.map((u) => ({ userId: u.id, name: u.display_name, username: u.username })), total: rows.length, page: 1, pageSize: 50 };
}

/** The office an officer files an expert under: their district or department, or what a city officer names. */
function officeOf(ctx: ActorCtx, body: { districtCode?: string; departmentId?: string }) {
  const office = officeFor(ctx.actor, body);
  if (!office) throw new AppError('FORBIDDEN', '只能管理本区的专家库', 'You manage your own district’s pool');
  return office;
}

export async function addExpert(ctx: ActorCtx, body: z.output<typeof ExpertInput>): Promise<ExpertDetail> {
  if (!managesExperts(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能管理专家库', 'Your role cannot manage experts');
  const office = officeOf(ctx, body);
  return transact(ctx, async (tx) => {
    const u = await tx.db.selectFrom('users').select(['id', 'role', 'city_code', 'status']).where('id', '=', body.userId).executeTakeFirst();
    if (!u || u.city_code !== ctx.actor.cityCode) throw fieldError('VALIDATION_FAILED', 'userId', '账号不存在', 'Unknown account');
    if (u.role !== 'expert') throw fieldError('VALIDATION_FAILED', 'userId', '该账号不是专家账号，请先由管理员创建角色为“专家”的账号', 'The account is not an expert’s');
    if (await tx.db.selectFrom('expert_profiles').select('user_id').where('user_id', '=', u.id).executeTakeFirst()) throw new AppError('DUPLICATE', '该专家已在专家库中', 'Already in a pool');
    const at = ctx.now().toISOString();
    await tx.db
      .insertInto('expert_profiles')
      .values({
        user_id: u.id,
        city_code: ctx.actor.cityCode,
        ...office,
        appointed_by: body.appointedBy,
        appointed_from: body.appointedFrom,
        appointed_to: body.appointedTo,
        industries_json: JSON.stringify([...new Set(body.industries)]),
        categories_json: JSON.stringify([...new Set(body.categories)]),
        title: body.title ?? null,
        status: 'active',
        suspended_reason: null,
        version: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await audit(tx, { action: 'expert.added', entityType: 'expert', entityId: u.id, districtCode: office.district_code, after: { ...office, appointedBy: body.appointedBy, appointedFrom: body.appointedFrom, appointedTo: body.appointedTo } });
    return expertDetail(tx, u.id);
  });
}

export async function patchExpert(ctx: ActorCtx, userId: string, body: z.output<typeof ExpertPatch>): Promise<ExpertDetail> {
  return transact(ctx, async (tx) => {
    const r = await findExpert(tx, userId);
    if (!r) throw notFound('专家', 'expert');
    if (!managesExperts(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能管理专家库', 'Your role cannot manage experts');
    // A district's officers keep their district's experts; the city's own are the city's to change.
    if (!keepsOfficeRecord(ctx.actor, r)) {
      throw new AppError('FORBIDDEN', '该专家由其他单位管理', 'Another office keeps this expert');
    }
    const suspending = body.status === 'suspended' && r.status !== 'suspended';
    if (suspending && !body.reason?.trim()) throw fieldError('VALIDATION_FAILED', 'reason', '暂停专家须说明原因', 'Give the reason for the suspension');
    const from = body.appointedFrom ?? r.appointed_from;
    const to = body.appointedTo ?? r.appointed_to;
    if (from > to) throw fieldError('VALIDATION_FAILED', 'appointedTo', '聘期结束日期不能早于开始日期', 'The appointment ends before it starts');
    const patch = {
      appointed_by: body.appointedBy ?? r.appointed_by,
      appointed_from: from,
      appointed_to: to,
      title: body.title === undefined ? r.title : body.title,
      industries_json: body.industries ? JSON.stringify([...new Set(body.industries)]) : r.industries_json,
      categories_json: body.categories ? JSON.stringify([...new Set(body.categories)]) : r.categories_json,
      status: body.status ?? r.status,
      suspended_reason: (body.status ?? r.status) === 'suspended' ? (suspending ? body.reason!.trim() : r.suspended_reason) : null,
    };
    const u = await tx.db
      .updateTable('expert_profiles')
      .set({ ...patch, version: r.version + 1, updated_at: ctx.now().toISOString() })
      .where('user_id', '=', userId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '专家信息已被他人修改，请刷新后重试', 'The expert was changed by someone else');
    const before = { status: r.status, appointedFrom: r.appointed_from, appointedTo: r.appointed_to, appointedBy: r.appointed_by };
    const after = { status: patch.status, appointedFrom: from, appointedTo: to, appointedBy: patch.appointed_by, reason: suspending ? patch.suspended_reason : undefined };
    await audit(tx, { action: suspending ? 'expert.suspended' : 'expert.updated', entityType: 'expert', entityId: userId, districtCode: r.district_code, before, after });
    return expertDetail(tx, userId);
  });
}

/** 利害关系回避 for an expert: the same register as inspectors', declared by an officer over both, or the expert for an enterprise they see. */
export async function declareExpertConflict(ctx: ActorCtx, userId: string, body: { enterpriseId: string; reason: string }) {
  const a = ctx.actor;
  if (!(managesExperts(a) || (a.role === 'expert' && a.userId === userId))) throw new AppError('FORBIDDEN', '只能由专家本人或管理专家库的单位登记', 'The expert or their office declares conflicts');
  return transact(ctx, async (tx) => {
    const r = await findExpert(tx, userId);
    if (!r) throw notFound('专家', 'expert');
    const ent = await findEnterprise(tx.db, a, body.enterpriseId);
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or not in your scope');
    const taken = await tx.db.selectFrom('inspector_conflicts').select('id').where('user_id', '=', userId).where('enterprise_id', '=', ent.id).executeTakeFirst();
    if (taken) throw new AppError('DUPLICATE', '该回避关系已登记', 'Already declared');
    const row = { id: uuidv7(), city_code: a.cityCode, user_id: userId, enterprise_id: ent.id, reason: body.reason, declared_by: a.userId, declared_at: ctx.now().toISOString() };
    await tx.db.insertInto('inspector_conflicts').values(row).execute();
    await audit(tx, { action: 'expert.conflict_declared', entityType: 'expert', entityId: userId, districtCode: ent.district_code, after: { enterpriseId: ent.id, reason: body.reason } });
    return { id: row.id, expertId: userId, enterpriseId: ent.id, enterpriseName: ent.name, reason: row.reason, declaredAt: row.declared_at };
  });
}
