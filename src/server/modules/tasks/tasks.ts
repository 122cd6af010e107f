/**
 * 任务 The plan's tasks: under a measure, with a lead unit and co-units, milestones, a reporting
 * frequency and, where Zhiben keeps the figure, a binding to it. Units report progress (status,
 * narrative, evidence); late is derived at Shanghai midnight (status.ts). Every change is audited
 * and an event on the task's timeline, in the same transaction.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { PlanTask, PlanTaskDetail, PlanTaskInput, PlanTaskPatch, PlanTaskQuery, ProgressInput, ReportEvery, TaskStatus, TreeQuery } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { likeContains } from '../../db/dialect';
import type { DB, PlanTaskRow } from '../../db/schema';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent } from '../../records/records';
import { actsForUnit, directsPlan, keepsUnitRecords, planTaskWhere, planUnitOf } from '../../scope/scope';
import { checkAttachments } from '../files/commands';
import { bindingValue, checkBinding } from './bindings';
import { findPlan } from './repository';
import { effectiveStatus, isReportDue, isTaskLate, lateWhere, nextDueOn, periodKeyOf, reportDueWhere } from './status';
import { resolveUnit, unitNames, unitOutsideActor, type UnitRef } from './units';

type TaskInput = z.output<typeof PlanTaskInput>;
const ENTITY = 'plan_task';

/** Scope and the list's filters on a query of `plan_tasks`. */
export function taskFilters<O>(ctx: ActorCtx, qb: SelectQueryBuilder<DB, 'plan_tasks', O>, q: Partial<z.output<typeof PlanTaskQuery>> & z.output<typeof TreeQuery>): SelectQueryBuilder<DB, 'plan_tasks', O> {
  const today = shanghaiDate(ctx.now());
  let b = qb.where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor));
  const unitKey = q.districtCode ?? q.departmentId;
  if (unitKey) {
    if (unitOutsideActor(ctx.actor, unitKey) && unitKey !== ctx.actor.cityCode) b = b.where(sql<boolean>`1 = 0`);
    b = b.where('plan_tasks.id', 'in', ctx.db.selectFrom('plan_task_units').select('task_id').where('unit_key', '=', unitKey));
  }
  if (q.late !== undefined) b = b.where(q.late ? lateWhere(today) : sql<boolean>`not ${lateWhere(today)}`);
  if (q.status === 'late') b = b.where(lateWhere(today));
  else if (q.status === 'done') b = b.where('plan_tasks.reported_status', '=', 'done');
  else if (q.status) b = b.where('plan_tasks.reported_status', '=', q.status).where(sql<boolean>`not ${lateWhere(today)}`);
  if (q.planId) b = b.where('plan_tasks.plan_id', '=', q.planId);
  if (q.unitKind) b = b.where('plan_tasks.lead_kind', '=', q.unitKind);
  if (q.measureNo) b = b.where('plan_tasks.measure_no', '=', q.measureNo);
  if (q.origin === 'meeting' || q.origin === 'consultation') b = b.where('plan_tasks.origin_type', '=', q.origin);
  if (q.origin === 'plan') b = b.where('plan_tasks.origin_type', 'is', null);
  if (q.reportDue !== undefined) b = b.where(q.reportDue ? reportDueWhere(today) : sql<boolean>`not ${reportDueWhere(today)}`);
  if (q.q) b = b.where(sql<boolean>`plan_tasks.title like ${likeContains(q.q)} escape '\\'`);
  return b;
}

/** Rows as the API shows them: units named, milestones with their lateness, the derived status. */
export async function presentTasks(ctx: ActorCtx, rows: PlanTaskRow[]): Promise<PlanTask[]> {
  if (!rows.length) return [];
  const today = shanghaiDate(ctx.now());
  const ids = rows.map((r) => r.id);
  const units: { task_id: string; role: string; unit_kind: UnitRef['kind']; unit_key: string; seq: number }[] = [];
  const milestones: DB['plan_milestones'][] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    units.push(...(await ctx.db.selectFrom('plan_task_units').selectAll().where('task_id', 'in', chunk).orderBy('seq').execute()));
    milestones.push(...(await ctx.db.selectFrom('plan_milestones').selectAll().where('task_id', 'in', chunk).orderBy('seq').execute()));
  }
  const name = await unitNames(ctx.db, ctx.actor.cityCode, [...units.map((u) => ({ kind: u.unit_kind, key: u.unit_key })), ...rows.map((r) => ({ kind: r.lead_kind, key: r.lead_key }))]);
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    measureNo: r.measure_no === null ? null : Number(r.measure_no),
    parentId: r.parent_id,
    subplanId: r.subplan_id,
    originType: r.origin_type,
    originId: r.origin_id,
    title: r.title,
    description: r.description,
    source: r.source,
    leadUnit: name({ kind: r.lead_kind, key: r.lead_key }),
    coUnits: units.filter((u) => u.task_id === r.id && u.role === 'co').map((u) => name({ kind: u.unit_kind, key: u.unit_key })),
    ownerName: r.owner_name,
    startOn: r.start_on,
    dueOn: r.due_on,
    reportEvery: r.report_every,
    status: effectiveStatus(r, today),
    reportedStatus: r.reported_status,
    late: isTaskLate(r, today),
    reportDue: isReportDue(r, today),
    lastReportAt: r.last_report_at,
    milestones: milestones
      .filter((m) => m.task_id === r.id)
      .map((m) => ({ id: m.id, title: m.title, dueOn: m.due_on, doneOn: m.done_on, late: !m.done_on && m.due_on < today })),
    binding: r.binding_key ? { key: r.binding_key, target: Number(r.binding_target ?? 0) } : null,
    version: Number(r.version),
  }));
}

export async function listTasks(ctx: ActorCtx, q: z.output<typeof PlanTaskQuery>): Promise<ListResult<PlanTask>> {
  const base = taskFilters(ctx, ctx.db.selectFrom('plan_tasks'), q);
  const [{ n }] = await base.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await base
    .selectAll('plan_tasks')
    .orderBy(sql`coalesce(plan_tasks.next_due_on, '9999-12-31')`)
    .orderBy('plan_tasks.measure_no')
    .orderBy('plan_tasks.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: await presentTasks(ctx, rows as PlanTaskRow[]), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** Every task a filter selects, for exports and reports (at most `limit`). */
export async function allTasks(ctx: ActorCtx, q: Partial<z.output<typeof PlanTaskQuery>>, limit = 20_000): Promise<PlanTask[]> {
  const rows = await taskFilters(ctx, ctx.db.selectFrom('plan_tasks'), q).selectAll('plan_tasks').orderBy('plan_tasks.measure_no').orderBy('plan_tasks.created_at').orderBy('plan_tasks.id').limit(limit).execute();
  return presentTasks(ctx, rows as PlanTaskRow[]);
}

export async function findTask(ctx: ActorCtx, id: string): Promise<PlanTaskRow> {
  const row = await ctx.db.selectFrom('plan_tasks').selectAll().where('id', '=', id).where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor)).executeTakeFirst();
  if (!row) throw notFound('任务', 'task');
  return row;
}

/** Edits a task: the city's office any task; a unit the tasks it leads. Reports: the lead unit itself (the city's office for the city's own), never on another's behalf. */
const mayEdit = (ctx: ActorCtx, t: PlanTaskRow) => directsPlan(ctx.actor) || keepsUnitRecords(ctx.actor, t.lead_key);
const mayReport = (ctx: ActorCtx, t: PlanTaskRow) => actsForUnit(ctx.actor, t.lead_key);

export async function taskDetail(ctx: ActorCtx, id: string): Promise<PlanTaskDetail> {
  const row = await findTask(ctx, id);
  const [task] = await presentTasks(ctx, [row]);
  const measure = row.measure_no === null ? undefined : await ctx.db.selectFrom('plan_nodes').select('title').where('plan_id', '=', row.plan_id).where('kind', '=', 'measure').where('no', '=', row.measure_no).executeTakeFirst();
  const reports = await ctx.db.selectFrom('plan_reports').selectAll().where('task_id', '=', id).orderBy('reported_at', 'desc').orderBy('id', 'desc').execute();
  const children = await ctx.db.selectFrom('plan_tasks').selectAll().where('parent_id', '=', id).where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor)).orderBy('created_at').execute();
  return {
    ...task,
    measureTitle: measure?.title ?? null,
    reports: reports.map((r) => ({ id: r.id, at: r.reported_at, byName: r.reported_by_name, status: r.status, periodKey: r.period_key, note: r.note, milestoneId: r.milestone_id, attachmentIds: r.file_ids_json ? (JSON.parse(r.file_ids_json) as string[]) : [] })),
    bindingValue: await bindingValue(ctx.db, ctx.actor, row, { kind: row.lead_kind, key: row.lead_key }, ctx.now()),
    children: await presentTasks(ctx, children),
    allowed: { edit: mayEdit(ctx, row), report: mayReport(ctx, row) },
  };
}

async function writeUnits(db: Kysely<DB>, taskId: string, lead: UnitRef, co: UnitRef[]) {
  await db.deleteFrom('plan_task_units').where('task_id', '=', taskId).execute();
  const seen = new Set([lead.key]);
  const rows: DB['plan_task_units'][] = [{ task_id: taskId, role: 'lead', unit_kind: lead.kind, unit_key: lead.key, seq: 0 }];
  for (const u of co) {
    if (seen.has(u.key)) continue;
    seen.add(u.key);
    rows.push({ task_id: taskId, role: 'co', unit_kind: u.kind, unit_key: u.key, seq: rows.length });
  }
  await db.insertInto('plan_task_units').values(rows).execute();
}

function checkDates(startOn: string | null | undefined, dueOn: string | null | undefined, milestones: { id?: string; dueOn: string }[]) {
  if (startOn && dueOn && startOn > dueOn) throw fieldError('VALIDATION_FAILED', 'dueOn', '完成时限不能早于开始日期', 'The due date is before the start');
  const ids = new Set<string>();
  milestones.forEach((m, i) => {
    if (startOn && m.dueOn < startOn) throw fieldError('VALIDATION_FAILED', `milestones.${i}.dueOn`, '节点日期不能早于开始日期', 'A milestone is before the start');
    if (dueOn && m.dueOn > dueOn) throw fieldError('VALIDATION_FAILED', `milestones.${i}.dueOn`, '节点日期不能晚于完成时限', 'A milestone is after the due date');
    if (m.id && ids.has(m.id)) throw fieldError('VALIDATION_FAILED', `milestones.${i}.id`, '节点重复', 'A milestone is named twice');
    if (m.id) ids.add(m.id);
  });
}

export interface TaskOrigin {
  subplanId?: string;
  originType?: 'meeting' | 'consultation';
  originId?: string;
  /** The unit the task is for when its creator names none (a sub-plan's, a meeting's). */
  lead?: UnitRef;
}

/** Creates a task in the caller's transaction (a sub-plan's and a meeting's tasks are made with them). */
/** `measureNo` absent: a task under no measure (a meeting's decision). */
export async function insertTask(ctx: ActorCtx, planId: string, body: Omit<TaskInput, 'planId' | 'measureNo'> & { measureNo?: number }, origin: TaskOrigin = {}, path = ''): Promise<string> {
  const a = ctx.actor;
  const lead = body.leadUnit ? await resolveUnit(ctx, body.leadUnit, `${path}leadUnit`) : (origin.lead ?? (await resolveUnit(ctx, undefined, `${path}leadUnit`)));
  if (!keepsUnitRecords(a, lead.key)) throw forbidden('只能为本单位创建任务；为其他单位布置任务由市安委办负责', 'You may create tasks for your own unit only');
  const co: UnitRef[] = [];
  for (const [i, u] of body.coUnits.entries()) co.push(await resolveUnit(ctx, u, `${path}coUnits.${i}`));
  let measureNo = body.measureNo ?? null;
  if (body.parentId) {
    const parent = await ctx.db.selectFrom('plan_tasks').selectAll().where('id', '=', body.parentId).where(planTaskWhere<DB, 'plan_tasks'>(a)).executeTakeFirst();
    if (!parent || parent.plan_id !== planId) throw fieldError('VALIDATION_FAILED', `${path}parentId`, '上级任务不存在或不属于该方案', 'Unknown parent task');
    if (parent.measure_no !== null && measureNo !== null && Number(parent.measure_no) !== measureNo) throw fieldError('VALIDATION_FAILED', `${path}measureNo`, '细化任务须与上级任务属于同一项措施', 'A refining task belongs to its parent’s measure');
  }
  if (measureNo !== null) {
    const m = await ctx.db.selectFrom('plan_nodes').select('no').where('plan_id', '=', planId).where('kind', '=', 'measure').where('no', '=', measureNo).executeTakeFirst();
    if (!m) throw fieldError('VALIDATION_FAILED', `${path}measureNo`, `方案中没有第 ${measureNo} 项措施`, `The plan has no measure ${measureNo}`);
  }
  if (body.binding) checkBinding(body.binding.key, lead, `${path}binding.key`);
  checkDates(body.startOn, body.dueOn, body.milestones);
  const id = uuidv7();
  const at = ctx.now().toISOString();
  const milestones = body.milestones.map((m, i) => ({ id: uuidv7(), task_id: id, seq: i + 1, title: m.title, due_on: m.dueOn, done_on: null }));
  await ctx.db
    .insertInto('plan_tasks')
    .values({
      id,
      plan_id: planId,
      city_code: a.cityCode,
      measure_no: measureNo,
      parent_id: body.parentId ?? null,
      subplan_id: origin.subplanId ?? null,
      origin_type: origin.originType ?? null,
      origin_id: origin.originId ?? null,
      title: body.title,
      description: body.description ?? null,
      source: body.source ?? null,
      lead_kind: lead.kind,
      lead_key: lead.key,
      owner_name: body.ownerName ?? null,
      start_on: body.startOn ?? null,
      due_on: body.dueOn ?? null,
      report_every: body.reportEvery,
      reported_status: 'not_started',
      last_report_at: null,
      done_on: null,
      next_due_on: nextDueOn({ due_on: body.dueOn ?? null, done: false }, milestones),
      binding_key: body.binding?.key ?? null,
      binding_target: body.binding?.target ?? null,
      version: 1,
      created_by: a.userId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await writeUnits(ctx.db, id, lead, co);
  if (milestones.length) await ctx.db.insertInto('plan_milestones').values(milestones).execute();
  await appendRecordEvent(ctx.db, { entityType: ENTITY, entityId: id, action: 'created', actorId: a.userId, actorName: a.displayName, at, data: { measureNo, lead: lead.key } });
  await audit(ctx, { action: 'plan_task.created', entityType: ENTITY, entityId: id, districtCode: lead.kind === 'district' ? lead.key : undefined, after: { title: body.title, measureNo, lead: lead.key, co: co.map((u) => u.key), dueOn: body.dueOn ?? null, milestones: milestones.length, binding: body.binding ?? null } });
  return id;
}

export async function createTask(ctx: ActorCtx, body: TaskInput): Promise<PlanTaskDetail> {
  const plan = await findPlan(ctx, body.planId);
  const id = await transact(ctx, (tx) => insertTask(tx, plan.id, body));
  return taskDetail(ctx, id);
}

/** A task its lead unit made itself (in its own sub-plan or directly), not one assigned to it nor one refining a city task. */
async function madeByLeadUnit(ctx: ActorCtx, t: PlanTaskRow): Promise<boolean> {
  if (t.parent_id || !t.created_by) return false;
  const u = await ctx.db.selectFrom('users').select(['district_code', 'department_id', 'role']).where('id', '=', t.created_by).executeTakeFirst();
  if (!u) return false;
  return t.lead_kind === 'district' ? u.district_code === t.lead_key && u.role === 'district_officer' : t.lead_kind === 'department' ? u.department_id === t.lead_key : false;
}

export async function patchTask(ctx: ActorCtx, id: string, body: z.output<typeof PlanTaskPatch>): Promise<PlanTaskDetail> {
  await transact(ctx, async (tx) => {
    const t = await findTask(tx, id);
    if (!mayEdit(tx, t)) throw forbidden('只有牵头单位或市安委办可以修改该任务', 'Only the lead unit or the city office may change this task');
    if (body.version !== Number(t.version)) throw new AppError('VERSION_CONFLICT', '该任务已被更新，请刷新后重试', 'The task changed; reload and try again');
    const lead: UnitRef = { kind: t.lead_kind, key: t.lead_key };
    if (body.binding) checkBinding(body.binding.key, lead);
    const startOn = body.startOn !== undefined ? body.startOn : t.start_on;
    const dueOn = body.dueOn !== undefined ? body.dueOn : t.due_on;
    // The dates are the office's that set them: a unit moves only the dates of a task it made itself (not one the city assigned it, nor one refining a city task).
    if ((body.startOn !== undefined || body.dueOn !== undefined || body.milestones) && !directsPlan(tx.actor) && !(await madeByLeadUnit(tx, t))) {
      throw forbidden('该任务的时限由市安委办确定，本单位不能调整', 'The dates of this task are set by the city office');
    }
    const existing = await tx.db.selectFrom('plan_milestones').selectAll().where('task_id', '=', id).orderBy('seq').execute();
    let milestones = existing;
    if (body.milestones) {
      checkDates(startOn, dueOn, body.milestones);
      const kept = new Map(existing.map((m) => [m.id, m]));
      body.milestones.forEach((m, i) => {
        if (m.id && !kept.has(m.id)) throw fieldError('VALIDATION_FAILED', `milestones.${i}.id`, '节点不存在', 'Unknown milestone');
      });
      milestones = body.milestones.map((m, i) => ({ id: m.id ?? uuidv7(), task_id: id, seq: i + 1, title: m.title, due_on: m.dueOn, done_on: m.id ? kept.get(m.id)!.done_on : null }));
      const keep = new Set(milestones.map((m) => m.id));
      const dropped = existing.filter((m) => !keep.has(m.id)).map((m) => m.id);
      if (dropped.length) {
        const reported = await tx.db.selectFrom('plan_reports').select('milestone_id').where('milestone_id', 'in', dropped).executeTakeFirst();
        if (reported) throw fieldError('VALIDATION_FAILED', 'milestones', '已有进展报告的节点不能删除', 'A milestone a report names cannot be removed');
        await tx.db.deleteFrom('plan_milestones').where('id', 'in', dropped).execute();
      }
      for (const m of milestones) {
        if (kept.has(m.id)) await tx.db.updateTable('plan_milestones').set({ seq: m.seq, title: m.title, due_on: m.due_on }).where('id', '=', m.id).execute();
        else await tx.db.insertInto('plan_milestones').values(m).execute();
      }
    } else checkDates(startOn, dueOn, existing.map((m) => ({ dueOn: m.due_on })));
    if (body.coUnits) {
      const co: UnitRef[] = [];
      for (const [i, u] of body.coUnits.entries()) co.push(await resolveUnit(tx, u, `coUnits.${i}`));
      await writeUnits(tx.db, id, lead, co);
    }
    const at = tx.now().toISOString();
    const set = {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.ownerName !== undefined ? { owner_name: body.ownerName } : {}),
      ...(body.reportEvery !== undefined ? { report_every: body.reportEvery } : {}),
      ...(body.binding !== undefined ? { binding_key: body.binding?.key ?? null, binding_target: body.binding?.target ?? null } : {}),
      start_on: startOn,
      due_on: dueOn,
      next_due_on: nextDueOn({ due_on: dueOn, done: t.reported_status === 'done' }, milestones),
      version: Number(t.version) + 1,
      updated_at: at,
    };
    const u = await tx.db.updateTable('plan_tasks').set(set).where('id', '=', id).where('version', '=', t.version).executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该任务刚刚已被更新，请刷新后重试', 'The task just changed; reload and try again');
    const changed = Object.keys(body).filter((k) => k !== 'version');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'edited', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data: { fields: changed } });
    await audit(tx, { action: 'plan_task.edited', entityType: ENTITY, entityId: id, districtCode: t.lead_kind === 'district' ? t.lead_key : undefined, before: { title: t.title, dueOn: t.due_on, startOn: t.start_on, reportEvery: t.report_every, binding: t.binding_key }, after: { ...body, version: undefined } });
  });
  return taskDetail(ctx, id);
}

/** 报告进展: the lead unit reports; done with a milestone completes that milestone, done without one completes the task. */
export async function reportProgress(ctx: ActorCtx, id: string, body: z.output<typeof ProgressInput>): Promise<PlanTaskDetail> {
  await transact(ctx, async (tx) => {
    const t = await findTask(tx, id);
    if (!mayReport(tx, t)) throw forbidden('只有牵头单位可以报告该任务的进展', 'Only the lead unit reports this task’s progress');
    if (t.reported_status === 'done') throw new AppError('INVALID_TRANSITION', '该任务已完成，不再报告进展', 'The task is done');
    const files = await checkAttachments(tx.db, tx.actor, body.attachmentIds, { required: false });
    const today = shanghaiDate(tx.now());
    const at = tx.now().toISOString();
    let milestones = await tx.db.selectFrom('plan_milestones').selectAll().where('task_id', '=', id).orderBy('seq').execute();
    if (body.milestoneId && !milestones.some((m) => m.id === body.milestoneId)) throw fieldError('VALIDATION_FAILED', 'milestoneId', '该节点不属于此任务', 'The milestone is not this task’s');
    let status: TaskStatus = body.status;
    if (body.status === 'done') {
      const finishing = body.milestoneId ? milestones.filter((m) => m.id === body.milestoneId && !m.done_on) : milestones.filter((m) => !m.done_on);
      if (finishing.length) await tx.db.updateTable('plan_milestones').set({ done_on: today }).where('id', 'in', finishing.map((m) => m.id)).execute();
      milestones = milestones.map((m) => (finishing.some((f) => f.id === m.id) ? { ...m, done_on: today } : m));
      // A milestone done leaves the task going on, unless it was the last one and the task has no later date of its own.
      const lastMilestone = milestones.map((m) => m.due_on).sort().at(-1) ?? '';
      if (body.milestoneId) status = milestones.every((m) => m.done_on) && (!t.due_on || t.due_on <= lastMilestone || t.due_on <= today) ? 'done' : 'on_track';
    }
    const done = status === 'done';
    await tx.db
      .insertInto('plan_reports')
      .values({ id: uuidv7(), task_id: id, status: body.status, period_key: periodKeyOf(t.report_every as ReportEvery, today), note: body.note, milestone_id: body.milestoneId ?? null, file_ids_json: files.length ? JSON.stringify(files) : null, reported_by: tx.actor.userId, reported_by_name: tx.actor.displayName, reported_at: at, reported_on: today })
      .execute();
    const u = await tx.db
      .updateTable('plan_tasks')
      .set({ reported_status: status, last_report_at: at, done_on: done ? today : null, next_due_on: nextDueOn({ due_on: t.due_on, done }, milestones), version: Number(t.version) + 1, updated_at: at })
      .where('id', '=', id)
      .where('version', '=', t.version)
      .executeTakeFirst();
    // Another report or edit in between: this one (and its milestones) is rolled back, to be made again on what is now there.
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该任务刚刚已被更新，请刷新后重试', 'The task just changed; reload and try again');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'report', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.note, data: { status: body.status, milestoneId: body.milestoneId ?? null }, fileIds: files });
    await audit(tx, { action: 'plan_task.reported', entityType: ENTITY, entityId: id, districtCode: t.lead_kind === 'district' ? t.lead_key : undefined, before: { status: t.reported_status }, after: { status, reported: body.status, milestoneId: body.milestoneId ?? null, files: files.length } });
  });
  return taskDetail(ctx, id);
}

/** The caller's own unit, or 403 for an account that belongs to none. */
export function ownUnit(ctx: ActorCtx): UnitRef {
  const u = planUnitOf(ctx.actor);
  if (!u) throw forbidden('您的账号不属于任何责任单位', 'Your account belongs to no unit of the plan');
  return u;
}
