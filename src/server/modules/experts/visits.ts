/**
 * 专家检查: an office assigns one or more experts to a target enterprise of its programme within a
 * window; the experts start the visit, record findings (each a hazard on the ledger in the same
 * transaction, source 专家检查, its origin the visit) and submit their report with their advice
 * (帮扶建议, not a hazard). The target is covered when the report is submitted. Every step is an event
 * and an audit record; the programme's counts move in the same transaction.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { AssignmentInput, FeedbackInput, Visit, VisitAction, VisitDetail, VisitFindingsInput, VisitQuery, VisitStepInput } from '../../../shared/contracts/experts';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB, ExpertVisitRow } from '../../db/schema';
import { AppError, fieldError, notFound, type FieldError } from '../../errors/app-error';
import { appendRecordEvent, claimVersion, nextRecordCode, recordEvents } from '../../records/records';
import { expertVisitWhere, managesExperts } from '../../scope/scope';
import { findEnterprise } from '../enterprises/repository';
import { checkFindings, findingsOfOrigins, findingsOntoLedger } from '../hazards/findings';
import { checklistItems } from '../selfchecks/checklists';
import { appointedOn, scopedPool } from './pool';
import { findProgramme } from './programmes';
import { decideVisit, visitActions } from './workflow';

const VISIT_COLS = { id: 'expert_visits.id', city: 'expert_visits.city_code', district: 'expert_visits.district_code', street: 'expert_visits.street_code', industry: 'expert_visits.industry_code', enterpriseId: 'expert_visits.enterprise_id' };

function scopedVisits(db: Kysely<DB>, ctx: ActorCtx) {
  return db
    .selectFrom('expert_visits')
    .innerJoin('enterprises', 'enterprises.id', 'expert_visits.enterprise_id')
    .innerJoin('expert_programmes as p', 'p.id', 'expert_visits.programme_id')
    .where(expertVisitWhere<DB, 'expert_visits'>(ctx.actor, VISIT_COLS) as never);
}

type Row = ExpertVisitRow & { enterprise_name: string; programme_title: string };

async function findVisit(ctx: ActorCtx, id: string): Promise<Row | undefined> {
  return scopedVisits(ctx.db, ctx).selectAll('expert_visits').select(['enterprises.name as enterprise_name', 'p.title as programme_title']).where('expert_visits.id', '=', id).executeTakeFirst();
}

async function expertsOf(db: Kysely<DB>, ids: string[]) {
  const out = new Map<string, { id: string; name: string }[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('expert_visit_experts as ve')
      .innerJoin('users as u', 'u.id', 've.user_id')
      .select(['ve.visit_id', 'u.id', 'u.display_name'])
      .where('ve.visit_id', 'in', ids.slice(i, i + 500))
      .orderBy('ve.visit_id')
      .orderBy('ve.seq')
      .execute();
    for (const r of rows) out.set(r.visit_id, [...(out.get(r.visit_id) ?? []), { id: r.id, name: r.display_name }]);
  }
  return out;
}

function present(r: Row, experts: { id: string; name: string }[]): Visit {
  return {
    id: r.id,
    code: r.code,
    programmeId: r.programme_id,
    programmeTitle: r.programme_title,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    districtCode: r.district_code,
    expertIds: experts.map((e) => e.id),
    expertNames: experts.map((e) => e.name),
    from: r.window_from,
    to: r.window_to,
    status: r.status,
    findings: r.findings,
    majorFindings: r.major_findings,
    submittedAt: r.submitted_at,
    version: r.version,
  };
}

export async function listVisits(ctx: ActorCtx, q: z.output<typeof VisitQuery>): Promise<ListResult<Visit>> {
  let base = scopedVisits(ctx.db, ctx);
  if (q.programmeId) base = base.where('expert_visits.programme_id', '=', q.programmeId);
  if (q.enterpriseId) base = base.where('expert_visits.enterprise_id', '=', q.enterpriseId);
  if (q.districtCode) base = base.where('expert_visits.district_code', '=', q.districtCode);
  if (q.status) base = base.where('expert_visits.status', '=', q.status);
  if (q.expertId) base = base.where('expert_visits.id', 'in', (eb) => eb.selectFrom('expert_visit_experts').select('visit_id').where('user_id', '=', q.expertId!));
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base
    .selectAll('expert_visits')
    .select(['enterprises.name as enterprise_name', 'p.title as programme_title'])
    .orderBy('expert_visits.window_from', 'desc')
    .orderBy('expert_visits.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const people = await expertsOf(ctx.db, rows.map((r) => r.id));
  return { items: rows.map((r) => present(r, people.get(r.id) ?? [])), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** The caller manages the office whose programme the visit belongs to. */
async function manages(ctx: ActorCtx, programmeId: string) {
  return managesExperts(ctx.actor) && !!(await findProgramme(ctx, programmeId));
}

export async function visitDetail(ctx: ActorCtx, id: string): Promise<VisitDetail> {
  const r = await findVisit(ctx, id);
  if (!r) throw notFound('专家检查', 'visit');
  const experts = (await expertsOf(ctx.db, [id])).get(id) ?? [];
  const assigned = experts.some((e) => e.id === ctx.actor.userId);
  const findings = (await findingsOfOrigins(ctx.db, 'expert_visit', [id])).get(id) ?? [];
  const checklist = r.checklist_id ? await ctx.db.selectFrom('checklists').select(['id', 'title']).where('id', '=', r.checklist_id).executeTakeFirst() : undefined;
  const events = await recordEvents(ctx.db, 'expert_visit', id);
  return {
    ...present(r, experts),
    advice: r.advice,
    checklist: checklist ? { id: checklist.id, version: r.checklist_version!, title: checklist.title } : null,
    findingsList: findings,
    feedback: r.feedback_rating === null ? null : { rating: r.feedback_rating, note: r.feedback_note },
    events: events.map((e) => ({ seq: e.seq, action: e.action, actorName: e.actorName, at: e.at, comment: e.comment, attachmentIds: e.attachmentIds })),
    allowedActions: visitActions({ status: r.status, assigned, manager: await manages(ctx, r.programme_id), findings: r.findings }),
    mayRecord: assigned && r.status === 'in_progress',
    mayGiveFeedback: ctx.actor.role === 'enterprise' && r.status === 'submitted' && r.feedback_rating === null,
  };
}

/** Why each named expert may not visit this enterprise in this window: unknown to the pool, suspended, out of appointment, conflicted. */
async function checkExperts(ctx: ActorCtx, enterpriseId: string, ids: string[], window: { from: string; to: string }): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (new Set(ids).size !== ids.length) errors.push({ path: 'expertIds', code: 'duplicate', message: '专家重复' });
  const pool = await scopedPool(ctx.db, ctx).select(['p.user_id', 'p.status', 'p.appointed_from', 'p.appointed_to', 'u.display_name', 'u.status as account']).where('p.user_id', 'in', ids).execute();
  const byId = new Map(pool.map((p) => [p.user_id, p]));
  const conflicted = new Set((await ctx.db.selectFrom('inspector_conflicts').select('user_id').where('enterprise_id', '=', enterpriseId).where('user_id', 'in', ids).execute()).map((r) => r.user_id));
  const today = shanghaiDate(ctx.now());
  ids.forEach((id, i) => {
    const p = byId.get(id);
    const path = `expertIds.${i}`;
    if (!p || p.account !== 'active') errors.push({ path, code: 'unknown_expert', message: `第 ${i + 1} 名专家不在您的专家库中，或账号已停用` });
    else if (p.status === 'suspended') errors.push({ path, code: 'suspended', message: `${p.display_name} 已被暂停，不能指派` });
    else if (!appointedOn(p, today) || !appointedOn(p, window.to)) errors.push({ path, code: 'lapsed', message: `${p.display_name} 的聘期为 ${p.appointed_from} 至 ${p.appointed_to}，不覆盖本次检查期限` });
    else if (conflicted.has(id)) errors.push({ path, code: 'conflict', message: `${p.display_name} 已申报与该企业存在利害关系，应当回避` });
  });
  return errors;
}

/** 指派专家: creates the visit; the target becomes scheduled. */
export async function assignExperts(ctx: ActorCtx, body: z.output<typeof AssignmentInput>): Promise<VisitDetail> {
  if (!managesExperts(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能指派专家', 'Your role cannot assign experts');
  const today = shanghaiDate(ctx.now());
  if (body.to < today) throw fieldError('VALIDATION_FAILED', 'to', '检查期限不能早于今天', 'The window has passed');
  return transact(ctx, async (tx) => {
    const p = await findProgramme(tx, body.programmeId);
    if (!p) throw fieldError('VALIDATION_FAILED', 'programmeId', '啄木鸟计划不存在或不在您的管辖范围内', 'Unknown programme');
    const target = await tx.db.selectFrom('expert_targets').selectAll().where('programme_id', '=', p.id).where('enterprise_id', '=', body.enterpriseId).executeTakeFirst();
    const ent = target && (await findEnterprise(tx.db, ctx.actor, body.enterpriseId));
    if (!target || !ent) throw new AppError('VALIDATION_FAILED', '该企业不在本计划的目标企业名单中', 'The enterprise is not a target of the programme', { errors: [{ path: 'enterpriseId', code: 'not_a_target', message: '该企业不在本计划的目标企业名单中' }] });
    const errors = await checkExperts(tx, ent.id, body.expertIds, body);
    if (errors.length) throw new AppError('VALIDATION_FAILED', `不能指派：${errors[0].message}`, 'These experts cannot be assigned', { errors });
    // Take the target's row first: a second assignment sent at once (a double click) waits here and
    // then finds the first one's open visit, instead of both passing the check.
    await tx.db.updateTable('expert_targets').set((eb) => ({ state: eb.ref('state') })).where('programme_id', '=', p.id).where('enterprise_id', '=', ent.id).execute();
    const open = await tx.db.selectFrom('expert_visits').select('code').where('programme_id', '=', p.id).where('enterprise_id', '=', ent.id).where('status', 'in', ['assigned', 'in_progress']).executeTakeFirst();
    if (open) throw new AppError('DUPLICATE', `该企业已有进行中的专家检查（${open.code}）`, 'The enterprise has an open visit in this programme');
    let checklist: { id: string; version: number } | null = null;
    if (body.checklistId) {
      const c = await tx.db.selectFrom('checklists').select(['id', 'version', 'city_code']).where('id', '=', body.checklistId).executeTakeFirst();
      if (!c || c.city_code !== ctx.actor.cityCode) throw fieldError('VALIDATION_FAILED', 'checklistId', '检查表不存在', 'Unknown checklist');
      checklist = { id: c.id, version: c.version };
    }
    const id = uuidv7();
    const at = ctx.now().toISOString();
    const code = await nextRecordCode(tx.db, 'ZJ', ent.district_code, Number(today.slice(0, 4)));
    await tx.db
      .insertInto('expert_visits')
      .values({
        id,
        code,
        city_code: ent.city_code,
        district_code: ent.district_code,
        street_code: ent.street_code,
        industry_code: ent.industry_code,
        enterprise_id: ent.id,
        programme_id: p.id,
        window_from: body.from,
        window_to: body.to,
        status: 'assigned',
        checklist_id: checklist?.id ?? null,
        checklist_version: checklist?.version ?? null,
        findings: 0,
        major_findings: 0,
        advice: null,
        started_at: null,
        submitted_at: null,
        feedback_rating: null,
        feedback_note: null,
        version: 1,
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await tx.db.insertInto('expert_visit_experts').values(body.expertIds.map((u, seq) => ({ visit_id: id, user_id: u, seq }))).execute();
    if (target.state === 'not_yet') await moveTarget(tx.db, p.id, ent.id, 'not_yet', 'scheduled', null);
    await appendRecordEvent(tx.db, { entityType: 'expert_visit', entityId: id, action: 'assign', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, data: { expertIds: body.expertIds, from: body.from, to: body.to } });
    await audit(tx, { action: 'expert_visit.assigned', entityType: 'expert_visit', entityId: id, districtCode: ent.district_code, after: { programmeId: p.id, enterpriseId: ent.id, expertIds: body.expertIds, from: body.from, to: body.to } });
    return visitDetail(tx, id);
  });
}

/** A target changes state; the programme's counts follow in the same transaction. */
async function moveTarget(db: Kysely<DB>, programmeId: string, enterpriseId: string, from: 'not_yet' | 'scheduled' | 'covered', to: 'not_yet' | 'scheduled' | 'covered', coveredOn: string | null) {
  const u = await db.updateTable('expert_targets').set({ state: to, covered_on: coveredOn }).where('programme_id', '=', programmeId).where('enterprise_id', '=', enterpriseId).where('state', '=', from).executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) return;
  const d = (s: string) => (to === s ? 1 : 0) - (from === s ? 1 : 0);
  await db
    .updateTable('expert_programmes')
    .set((eb) => ({ scheduled: eb('scheduled', '+', d('scheduled')), covered: eb('covered', '+', d('covered')) }))
    .where('id', '=', programmeId)
    .execute();
}

const claim = (ctx: ActorCtx, r: ExpertVisitRow, version: number, set: Partial<ExpertVisitRow>) => claimVersion(ctx.db, 'expert_visits', r, version, set, ctx.now().toISOString(), '专家检查');

const isAssigned = async (ctx: ActorCtx, id: string) => !!(await ctx.db.selectFrom('expert_visit_experts').select('user_id').where('visit_id', '=', id).where('user_id', '=', ctx.actor.userId).executeTakeFirst());

/** Findings of a visit in progress, by one of its experts: each a hazard on the ledger, in this transaction. */
export async function recordVisitFindings(ctx: ActorCtx, id: string, body: z.output<typeof VisitFindingsInput>): Promise<{ hazardIds: string[]; version: number }> {
  return transact(ctx, async (tx) => {
    const r = await findVisit(tx, id);
    if (!r) throw notFound('专家检查', 'visit');
    if (!(await isAssigned(tx, id))) throw new AppError('FORBIDDEN', '只有指派的专家可以记录隐患', 'Only the visit’s experts record findings');
    if (r.status !== 'in_progress') throw new AppError('INVALID_TRANSITION', r.status === 'assigned' ? '请先开始检查，再记录隐患' : '检查已结束，不能再记录隐患', 'Findings are recorded while the visit is in progress');
    const items = r.checklist_id ? await checklistItems(tx.db, r.checklist_id, r.checklist_version!) : [];
    const byItem = new Map(items.map((i) => [i.id, i]));
    const errors = checkFindings(body.findings, { itemIds: new Set(byItem.keys()), today: shanghaiDate(ctx.now()), deadlines: false });
    if (errors.length) throw new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, 'Invalid findings', { errors });
    await claim(tx, r, body.version, {});
    const ent = await tx.db.selectFrom('enterprises').select(['address', 'principal_name']).where('id', '=', r.enterprise_id).executeTakeFirstOrThrow();
    const names = ((await expertsOf(tx.db, [id])).get(id) ?? []).map((p) => p.name).join('、');
    const at = ctx.now().toISOString();
    const { hazardIds, major } = await findingsOntoLedger(
      tx,
      { type: 'expert_visit', id, source: 'expert_inspection', enterpriseId: r.enterprise_id, foundByName: names, defaultLocation: ent.address, responsibleName: ent.principal_name, assignComment: '', itemClause: (itemId) => byItem.get(itemId)?.clauseId },
      body.findings,
      at,
    );
    await tx.db
      .updateTable('expert_visits')
      .set((eb) => ({ findings: eb('findings', '+', hazardIds.length), major_findings: eb('major_findings', '+', major) }))
      .where('id', '=', id)
      .execute();
    await appendRecordEvent(tx.db, { entityType: 'expert_visit', entityId: id, action: 'findings', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, data: { hazardIds, major } });
    await audit(tx, { action: 'expert_visit.findings', entityType: 'expert_visit', entityId: id, districtCode: r.district_code, after: { hazardIds, major } });
    return { hazardIds, version: r.version + 1 };
  });
}

/** 开始检查 / 提交报告 / 取消指派. Submitting covers the target; cancelling the last open visit unschedules it. */
export async function stepVisit(ctx: ActorCtx, id: string, action: VisitAction, body: z.output<typeof VisitStepInput>): Promise<VisitDetail> {
  return transact(ctx, async (tx) => {
    const r = await findVisit(tx, id);
    if (!r) throw notFound('专家检查', 'visit');
    const d = decideVisit(action, { status: r.status, assigned: await isAssigned(tx, id), manager: await manages(tx, r.programme_id), findings: r.findings });
    if (!d.ok) throw new AppError(d.reason, d.message, d.reason === 'FORBIDDEN' ? 'Not yours to take this step' : 'Not allowed in the current status');
    const now = ctx.now().toISOString();
    const today = shanghaiDate(ctx.now());
    if (action === 'cancel' && !body.reason?.trim()) throw fieldError('VALIDATION_FAILED', 'reason', '请说明取消指派的原因', 'Give the reason');
    if (action !== 'submit' && body.advice) throw fieldError('VALIDATION_FAILED', 'advice', '帮扶建议随检查报告一并提交', 'Advice comes with the report');
    const set: Partial<ExpertVisitRow> = { status: d.to! };
    if (action === 'start') set.started_at = now;
    if (action === 'submit') Object.assign(set, { submitted_at: now, advice: body.advice?.trim() || null });
    await claim(tx, r, body.version, set);
    if (action === 'submit') {
      const t = await tx.db.selectFrom('expert_targets').select('state').where('programme_id', '=', r.programme_id).where('enterprise_id', '=', r.enterprise_id).executeTakeFirst();
      if (t && t.state !== 'covered') await moveTarget(tx.db, r.programme_id, r.enterprise_id, t.state, 'covered', today);
    }
    if (action === 'cancel') {
      const other = await tx.db.selectFrom('expert_visits').select('id').where('programme_id', '=', r.programme_id).where('enterprise_id', '=', r.enterprise_id).where('status', 'in', ['assigned', 'in_progress']).where('id', '<>', id).executeTakeFirst();
      if (!other) await moveTarget(tx.db, r.programme_id, r.enterprise_id, 'scheduled', 'not_yet', null);
    }
    await appendRecordEvent(tx.db, { entityType: 'expert_visit', entityId: id, action, actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at: now, comment: body.reason?.trim() || body.advice?.trim() || null });
    await audit(tx, { action: `expert_visit.${action}`, entityType: 'expert_visit', entityId: id, districtCode: r.district_code, before: { status: r.status }, after: { status: d.to, reason: body.reason } });
    return visitDetail(tx, id);
  });
}

/** The enterprise's rating of a submitted visit (1–5), once. */
export async function giveFeedback(ctx: ActorCtx, id: string, body: z.output<typeof FeedbackInput>): Promise<VisitDetail> {
  return transact(ctx, async (tx) => {
    const r = await findVisit(tx, id);
    if (!r) throw notFound('专家检查', 'visit');
    if (ctx.actor.role !== 'enterprise') throw new AppError('FORBIDDEN', '由受检企业评价专家检查', 'The enterprise visited gives feedback');
    if (r.status !== 'submitted') throw new AppError('INVALID_TRANSITION', '专家提交报告后才能评价', 'Feedback follows the report');
    const u = await tx.db
      .updateTable('expert_visits')
      .set({ feedback_rating: body.rating, feedback_note: body.note?.trim() || null, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .where('feedback_rating', 'is', null)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('DUPLICATE', '已评价过本次专家检查', 'Feedback was given already');
    const at = ctx.now().toISOString();
    await appendRecordEvent(tx.db, { entityType: 'expert_visit', entityId: id, action: 'feedback', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: body.note?.trim() || null, data: { rating: body.rating } });
    await audit(tx, { action: 'expert_visit.feedback', entityType: 'expert_visit', entityId: id, districtCode: r.district_code, after: { rating: body.rating } });
    return visitDetail(tx, id);
  });
}
