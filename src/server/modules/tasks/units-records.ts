/**
 * What a unit keeps beside its tasks: its sub-plan (行动子方案: a document and the tasks it adds
 * under the city's measures) and its duty lists (职责清单, 年度任务清单: items from a document,
 * yearly items linked to plan tasks; a department's list shows what it supervises under 管行业必须管安全).
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { DutyList, DutyListInput, DutyListQuery, SubplanInput, UnitQuery } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent } from '../../records/records';
import { keepsUnitRecords, planRecordWhere, planTaskWhere } from '../../scope/scope';
import { checkAttachments } from '../files/commands';
import { findPlan } from './repository';
import { effectiveStatus } from './status';
import { insertTask } from './tasks';
import { resolveUnit, unitNames } from './units';

/** A file a record names: the caller uploaded it (as every attachment). */
async function ownFile(ctx: ActorCtx, id: string | undefined, path: string) {
  if (!id) return [];
  try {
    return await checkAttachments(ctx.db, ctx.actor, [id], { required: false });
  } catch {
    throw fieldError('VALIDATION_FAILED', path, '文件不存在或不是本人上传的', 'Unknown file, or not uploaded by you');
  }
}

/** `onlyId`: the one record a command just made, read back by its id. */
export async function listSubplans(ctx: ActorCtx, q: z.output<typeof UnitQuery>, onlyId?: string) {
  const key = q.districtCode ?? q.departmentId;
  let b = ctx.db.selectFrom('plan_subplans').where(planRecordWhere<DB, 'plan_subplans'>(ctx.actor, { city: 'plan_subplans.city_code', unitKey: 'plan_subplans.unit_key' }));
  if (onlyId) b = b.where('id', '=', onlyId);
  if (q.planId) b = b.where('plan_id', '=', q.planId);
  if (key) b = b.where('unit_key', '=', key);
  if (q.unitKind) b = b.where('unit_kind', '=', q.unitKind);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.selectAll().orderBy('published_on', 'desc').orderBy('id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const counts = rows.length ? await ctx.db.selectFrom('plan_tasks').select(['subplan_id', sql<number>`count(*)`.as('n')]).where('subplan_id', 'in', rows.map((r) => r.id)).groupBy('subplan_id').execute() : [];
  const name = await unitNames(ctx.db, ctx.actor.cityCode, rows.map((r) => ({ kind: r.unit_kind, key: r.unit_key })));
  return {
    items: rows.map((r) => ({ id: r.id, planId: r.plan_id, unit: name({ kind: r.unit_kind, key: r.unit_key }), title: r.title, docNo: r.doc_no, publishedOn: r.published_on, fileId: r.file_id, tasks: Number(counts.find((c) => c.subplan_id === r.id)?.n ?? 0), createdAt: r.created_at })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** 发布子方案: the document and its tasks, each under a city measure (optionally refining a city task), in one transaction. */
export async function createSubplan(ctx: ActorCtx, body: z.output<typeof SubplanInput>) {
  const plan = await findPlan(ctx, body.planId);
  const id = await transact(ctx, async (tx) => {
    const unit = await resolveUnit(tx, body.unit, 'unit');
    if (unit.kind === 'city') throw fieldError('VALIDATION_FAILED', 'unit', '子方案由区或部门发布', 'A sub-plan belongs to a district or a department');
    if (!keepsUnitRecords(tx.actor, unit.key)) throw forbidden('只能发布本单位的子方案', 'You may publish your own unit’s sub-plan only');
    const files = await ownFile(tx, body.fileId, 'fileId');
    const id = uuidv7();
    const at = tx.now().toISOString();
    await tx.db.insertInto('plan_subplans').values({ id, plan_id: plan.id, city_code: tx.actor.cityCode, unit_kind: unit.kind, unit_key: unit.key, title: body.title, doc_no: body.docNo ?? null, published_on: body.publishedOn, file_id: body.fileId ?? null, created_by: tx.actor.userId, created_at: at }).execute();
    for (const [i, t] of body.tasks.entries()) await insertTask(tx, plan.id, { ...t, source: t.source ?? body.title }, { subplanId: id, lead: unit }, `tasks.${i}.`);
    await appendRecordEvent(tx.db, { entityType: 'plan_subplan', entityId: id, action: 'published', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data: { tasks: body.tasks.length }, fileIds: files });
    await audit(tx, { action: 'plan_subplan.published', entityType: 'plan_subplan', entityId: id, districtCode: unit.kind === 'district' ? unit.key : undefined, after: { title: body.title, unit: unit.key, tasks: body.tasks.length, fileId: body.fileId ?? null } });
    return id;
  });
  const [found] = (await listSubplans(ctx, { page: 1, pageSize: 1 }, id)).items;
  if (!found) throw notFound('子方案', 'sub-plan');
  return found;
}

// ─── Duty lists ─────────────────────────────────────────────────────────────

export async function listDutyLists(ctx: ActorCtx, q: z.output<typeof DutyListQuery>, onlyId?: string): Promise<ListResult<DutyList>> {
  const key = q.districtCode ?? q.departmentId;
  let b = ctx.db.selectFrom('duty_lists').where(planRecordWhere<DB, 'duty_lists'>(ctx.actor, { city: 'duty_lists.city_code', unitKey: 'duty_lists.unit_key' }));
  if (onlyId) b = b.where('id', '=', onlyId);
  if (key) b = b.where('unit_key', '=', key);
  if (q.kind) b = b.where('kind', '=', q.kind);
  if (q.year) b = b.where('year', '=', q.year);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.selectAll().orderBy('unit_key').orderBy('kind').orderBy('year', 'desc').orderBy('id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const items = rows.length ? await ctx.db.selectFrom('duty_items').selectAll().where('list_id', 'in', rows.map((r) => r.id)).orderBy('seq').execute() : [];
  const depts = [...new Set(rows.filter((r) => r.unit_kind === 'department').map((r) => r.unit_key))];
  const supervised = depts.length
    ? await ctx.db.selectFrom('department_industries as di').innerJoin('industries as i', 'i.code', 'di.industry_code').select(['di.department_id', 'i.code', 'i.name']).where('di.department_id', 'in', depts).orderBy('i.code').execute()
    : [];
  const name = await unitNames(ctx.db, ctx.actor.cityCode, rows.map((r) => ({ kind: r.unit_kind, key: r.unit_key })));
  const linked = [...new Set(items.flatMap((i) => (i.plan_task_ids_json ? (JSON.parse(i.plan_task_ids_json) as string[]) : [])))];
  const today = shanghaiDate(ctx.now());
  const tasks = new Map(
    (linked.length ? await ctx.db.selectFrom('plan_tasks').selectAll().where('id', 'in', linked).where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor)).execute() : []).map((t) => [t.id, { id: t.id, title: t.title, status: effectiveStatus(t, today) }]),
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      unit: name({ kind: r.unit_kind, key: r.unit_key }),
      kind: r.kind,
      year: r.year === null ? null : Number(r.year),
      title: r.title,
      sourceDoc: r.source_doc,
      fileId: r.file_id,
      items: items
        .filter((i) => i.list_id === r.id)
        .map((i) => {
          const ids = i.plan_task_ids_json ? (JSON.parse(i.plan_task_ids_json) as string[]) : [];
          return { id: i.id, seq: Number(i.seq), text: i.text, planTaskIds: ids, planTasks: ids.flatMap((id) => tasks.get(id) ?? []) };
        }),
      industries: supervised.filter((s) => s.department_id === r.unit_key).map((s) => ({ code: s.code, name: s.name })),
      createdAt: r.created_at,
    })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function createDutyList(ctx: ActorCtx, body: z.output<typeof DutyListInput>): Promise<DutyList> {
  const id = await transact(ctx, async (tx) => {
    const unit = await resolveUnit(tx, body.unit, 'unit');
    if (unit.kind === 'city') throw fieldError('VALIDATION_FAILED', 'unit', '职责清单按区或部门建立', 'A duty list belongs to a district or a department');
    if (!keepsUnitRecords(tx.actor, unit.key)) throw forbidden('只能建立本单位的清单', 'You may keep your own unit’s lists only');
    const files = await ownFile(tx, body.fileId, 'fileId');
    const taskIds = [...new Set(body.items.flatMap((i) => i.planTaskIds))];
    if (taskIds.length) {
      const seen = await tx.db.selectFrom('plan_tasks').select('id').where('id', 'in', taskIds).where(planTaskWhere<DB, 'plan_tasks'>(tx.actor)).execute();
      const known = new Set(seen.map((s) => s.id));
      body.items.forEach((item, i) =>
        item.planTaskIds.forEach((t, j) => {
          if (!known.has(t)) throw fieldError('VALIDATION_FAILED', `items.${i}.planTaskIds.${j}`, '关联的方案任务不存在', 'Unknown plan task');
        }),
      );
    }
    const id = uuidv7();
    const at = tx.now().toISOString();
    await tx.db.insertInto('duty_lists').values({ id, city_code: tx.actor.cityCode, unit_kind: unit.kind, unit_key: unit.key, kind: body.kind, year: body.year ?? null, title: body.title, source_doc: body.sourceDoc, file_id: body.fileId ?? null, created_by: tx.actor.userId, created_at: at }).execute();
    await tx.db
      .insertInto('duty_items')
      .values(body.items.map((item, i) => ({ id: uuidv7(), list_id: id, seq: i + 1, text: item.text, plan_task_ids_json: item.planTaskIds.length ? JSON.stringify(item.planTaskIds) : null })))
      .execute();
    await appendRecordEvent(tx.db, { entityType: 'duty_list', entityId: id, action: 'created', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data: { items: body.items.length }, fileIds: files });
    await audit(tx, { action: 'duty_list.created', entityType: 'duty_list', entityId: id, districtCode: unit.kind === 'district' ? unit.key : undefined, after: { unit: unit.key, kind: body.kind, year: body.year ?? null, title: body.title, items: body.items.length } });
    return id;
  });
  const [found] = (await listDutyLists(ctx, { page: 1, pageSize: 1 }, id)).items;
  if (!found) throw notFound('清单', 'list');
  return found;
}

