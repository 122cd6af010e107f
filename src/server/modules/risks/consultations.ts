/**
 * 风险评估会商 (#20, action 2): a meeting of departments on risk items — date, who took part, the items
 * discussed (in the holder's scope), the opinion — each decision a plan task (tasks module: owner unit,
 * deadline, tracked, reminded and reported like the others; origin `consultation`). Recorded by a unit
 * of the plan for itself (the city's office for any unit); read by whoever keeps the unit's records.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { Consultation, ConsultationInput, ConsultationQuery } from '../../../shared/contracts/risks';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent } from '../../records/records';
import { keepsUnitRecords, planRecordWhere, planTaskWhere, riskScopeWhere } from '../../scope/scope';
import { findPlan } from '../tasks/repository';
import { effectiveStatus } from '../tasks/status';
import { insertTask } from '../tasks/tasks';
import { resolveUnit, unitNames } from '../tasks/units';

type ConsultationT = z.infer<typeof Consultation>;
export const CONSULTATION_ORIGIN = 'consultation';

export async function listConsultations(ctx: ActorCtx, q: z.output<typeof ConsultationQuery>, onlyId?: string): Promise<ListResult<ConsultationT>> {
  let b = ctx.db.selectFrom('consultations').where(planRecordWhere<DB, 'consultations'>(ctx.actor, { city: 'consultations.city_code', unitKey: 'consultations.unit_key' }));
  if (onlyId) b = b.where('id', '=', onlyId);
  if (q.year) b = b.where('held_on', '>=', `${q.year}-01-01`).where('held_on', '<=', `${q.year}-12-31`);
  if (q.riskId) b = b.where(sql<boolean>`risk_ids_json like ${`%"${q.riskId}"%`}`);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.selectAll().orderBy('held_on', 'desc').orderBy('id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const riskIds = [...new Set(rows.flatMap((r) => JSON.parse(r.risk_ids_json) as string[]))];
  // The items discussed, as far as this reader may see them.
  const risks = riskIds.length ? await ctx.db.selectFrom('risk_items').select(['id', 'code', 'name', 'level']).where('id', 'in', riskIds).where(riskScopeWhere<DB, 'risk_items'>(ctx.actor) as never).execute() : [];
  const decisions = rows.length
    ? await ctx.db.selectFrom('plan_tasks').selectAll().where('origin_type', '=', CONSULTATION_ORIGIN).where('origin_id', 'in', rows.map((r) => r.id)).where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor)).orderBy('created_at').orderBy('id').execute()
    : [];
  const name = await unitNames(ctx.db, ctx.actor.cityCode, [...rows.map((r) => ({ kind: r.unit_kind, key: r.unit_key })), ...decisions.map((d) => ({ kind: d.lead_kind, key: d.lead_key }))]);
  const today = shanghaiDate(ctx.now());
  return {
    items: rows.map((r) => ({
      id: r.id,
      unit: name({ kind: r.unit_kind, key: r.unit_key }),
      heldOn: r.held_on,
      title: r.title,
      participants: JSON.parse(r.participants_json) as string[],
      risks: (JSON.parse(r.risk_ids_json) as string[]).flatMap((id) => risks.filter((x) => x.id === id)),
      summary: r.summary,
      decisions: decisions.filter((d) => d.origin_id === r.id).map((d) => ({ taskId: d.id, title: d.title, owner: name({ kind: d.lead_kind, key: d.lead_key }), ownerName: d.owner_name, dueOn: d.due_on, status: effectiveStatus(d, today) })),
      createdAt: r.created_at,
    })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** 记录会商: the consultation and its decisions (plan tasks) in one transaction. */
export async function createConsultation(ctx: ActorCtx, body: z.output<typeof ConsultationInput>): Promise<ConsultationT> {
  const today = shanghaiDate(ctx.now());
  if (body.heldOn > today) throw fieldError('VALIDATION_FAILED', 'heldOn', '会商日期不能晚于今天', 'The consultation cannot be in the future');
  const plan = await findPlan(ctx);
  const id = await transact(ctx, async (tx) => {
    const unit = await resolveUnit(tx, body.unit, 'unit');
    if (!keepsUnitRecords(tx.actor, unit.key)) throw forbidden('只能记录本单位组织的会商', 'You may record your own unit’s consultations only');
    const ids = [...new Set(body.riskIds)];
    const seen = new Set(ids.length ? (await tx.db.selectFrom('risk_items').select('id').where('id', 'in', ids).where(riskScopeWhere<DB, 'risk_items'>(tx.actor) as never).execute()).map((r) => r.id) : []);
    const k = body.riskIds.findIndex((r) => !seen.has(r));
    if (k >= 0) throw fieldError('VALIDATION_FAILED', `riskIds.${k}`, '风险不存在或无权查看', 'Unknown risk item');
    const id = uuidv7();
    const at = tx.now().toISOString();
    await tx.db
      .insertInto('consultations')
      .values({ id, city_code: tx.actor.cityCode, unit_kind: unit.kind, unit_key: unit.key, held_on: body.heldOn, title: body.title, participants_json: JSON.stringify(body.participants), risk_ids_json: JSON.stringify(ids), summary: body.summary, created_by: tx.actor.userId || null, created_at: at })
      .execute();
    for (const [i, d] of body.decisions.entries()) {
      if (d.dueOn < body.heldOn) throw fieldError('VALIDATION_FAILED', `decisions.${i}.dueOn`, '完成时限不能早于会商日期', 'The deadline is before the consultation');
      const owner = d.owner ? await resolveUnit(tx, d.owner, `decisions.${i}.owner`) : unit;
      await insertTask(tx, plan.id, { measureNo: d.measureNo, title: d.title, ownerName: d.ownerName, dueOn: d.dueOn, startOn: body.heldOn, source: `${body.title}（${body.heldOn}）会商议定事项`, coUnits: [], reportEvery: 'none', milestones: [] }, { originType: CONSULTATION_ORIGIN, originId: id, lead: owner }, `decisions.${i}.`);
    }
    await appendRecordEvent(tx.db, { entityType: 'consultation', entityId: id, action: 'recorded', actorId: tx.actor.userId || null, actorName: tx.actor.displayName, at, data: { risks: ids.length, decisions: body.decisions.length } });
    await audit(tx, { action: 'consultation.recorded', entityType: 'consultation', entityId: id, districtCode: unit.kind === 'district' ? unit.key : undefined, after: { unit: unit.key, heldOn: body.heldOn, risks: ids, decisions: body.decisions.length } });
    return id;
  });
  const [c] = (await listConsultations(ctx, { page: 1, pageSize: 1 }, id)).items;
  if (!c) throw notFound('会商', 'consultation');
  return c;
}
