/**
 * 党政主要负责人安全生产会议: districts' and departments' meetings on safety — chair and role,
 * attendees, topics, minutes — each decision a plan task with owner and deadline, tracked like the
 * others. Compliance per quarter (每季度至少召开1次): a unit with no meeting chaired by a principal
 * in an ended quarter is flagged; the city sees every unit × quarter.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import { QUALIFYING_CHAIRS, type Compliance, type ComplianceQuery, type Meeting, type MeetingInput, type MeetingQuery } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { periodOf } from '../../../shared/periods';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent } from '../../records/records';
import { keepsUnitRecords, planRecordWhere, planTaskWhere, planUnitOf } from '../../scope/scope';
import { checkAttachments } from '../files/commands';
import { findPlan } from './repository';
import { effectiveStatus } from './status';
import { insertTask } from './tasks';
import { resolveUnit, unitNames, type UnitRef } from './units';

export const quarterOf = (date: string) => periodOf('quarterly', date).key;

/** `onlyId`: the one meeting a command just recorded, read back by its id. */
export async function listMeetings(ctx: ActorCtx, q: z.output<typeof MeetingQuery>, onlyId?: string): Promise<ListResult<Meeting>> {
  const key = q.districtCode ?? q.departmentId;
  let b = ctx.db.selectFrom('meetings').where(planRecordWhere<DB, 'meetings'>(ctx.actor, { city: 'meetings.city_code', unitKey: 'meetings.unit_key' }));
  if (onlyId) b = b.where('id', '=', onlyId);
  if (key) b = b.where('unit_key', '=', key);
  if (q.year) b = b.where('held_on', '>=', `${q.year}-01-01`).where('held_on', '<=', `${q.year}-12-31`);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.selectAll().orderBy('held_on', 'desc').orderBy('id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const today = shanghaiDate(ctx.now());
  const decisions = rows.length
    ? await ctx.db.selectFrom('plan_tasks').selectAll().where('origin_type', '=', 'meeting').where('origin_id', 'in', rows.map((r) => r.id)).where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor)).orderBy('created_at').orderBy('id').execute()
    : [];
  const name = await unitNames(ctx.db, ctx.actor.cityCode, [...rows.map((r) => ({ kind: r.unit_kind, key: r.unit_key })), ...decisions.map((d) => ({ kind: d.lead_kind, key: d.lead_key }))]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      unit: name({ kind: r.unit_kind, key: r.unit_key }),
      heldOn: r.held_on,
      quarter: r.quarter,
      title: r.title,
      chairName: r.chair_name,
      chairRole: r.chair_role,
      qualifies: !!Number(r.qualifies),
      attendees: JSON.parse(r.attendees_json) as string[],
      topics: JSON.parse(r.topics_json) as string[],
      minutesFileId: r.minutes_file_id,
      decisions: decisions.filter((d) => d.origin_id === r.id).map((d) => ({ taskId: d.id, title: d.title, owner: name({ kind: d.lead_kind, key: d.lead_key }), ownerName: d.owner_name, dueOn: d.due_on, status: effectiveStatus(d, today) })),
      createdAt: r.created_at,
    })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** 记录会议: the meeting and its decisions (each a task: owner unit, deadline) in one transaction. */
export async function createMeeting(ctx: ActorCtx, body: z.output<typeof MeetingInput>): Promise<Meeting> {
  const today = shanghaiDate(ctx.now());
  if (body.heldOn > today) throw fieldError('VALIDATION_FAILED', 'heldOn', '会议日期不能晚于今天', 'The meeting cannot be in the future');
  const plan = await findPlan(ctx);
  const id = await transact(ctx, async (tx) => {
    const unit = await resolveUnit(tx, body.unit, 'unit');
    if (unit.kind === 'city') throw fieldError('VALIDATION_FAILED', 'unit', '请选择召开会议的区或部门', 'A meeting is a district’s or a department’s');
    if (!keepsUnitRecords(tx.actor, unit.key)) throw forbidden('只能记录本单位的会议', 'You may record your own unit’s meetings only');
    const files = body.minutesFileId ? await checkAttachments(tx.db, tx.actor, [body.minutesFileId], { required: false }).catch(() => {
      throw fieldError('VALIDATION_FAILED', 'minutesFileId', '文件不存在或不是本人上传的', 'Unknown file, or not uploaded by you');
    }) : [];
    const id = uuidv7();
    const at = tx.now().toISOString();
    const qualifies = QUALIFYING_CHAIRS.includes(body.chairRole);
    await tx.db
      .insertInto('meetings')
      .values({ id, city_code: tx.actor.cityCode, unit_kind: unit.kind, unit_key: unit.key, held_on: body.heldOn, quarter: quarterOf(body.heldOn), title: body.title, chair_name: body.chairName, chair_role: body.chairRole, qualifies: qualifies ? 1 : 0, attendees_json: JSON.stringify(body.attendees), topics_json: JSON.stringify(body.topics), minutes_file_id: body.minutesFileId ?? null, created_by: tx.actor.userId, created_at: at })
      .execute();
    for (const [i, d] of body.decisions.entries()) {
      if (d.dueOn < body.heldOn) throw fieldError('VALIDATION_FAILED', `decisions.${i}.dueOn`, '完成时限不能早于会议日期', 'The deadline is before the meeting');
      // The owner is the meeting's unit unless another is named; a unit may task itself, the city's office anyone.
      const owner: UnitRef = d.owner ? await resolveUnit(tx, d.owner, `decisions.${i}.owner`) : unit;
      await insertTask(tx, plan.id, { measureNo: d.measureNo, title: d.title, ownerName: d.ownerName, dueOn: d.dueOn, startOn: body.heldOn, source: `${body.title}（${body.heldOn}）议定事项`, coUnits: [], reportEvery: 'none', milestones: [] }, { originType: 'meeting', originId: id, lead: owner }, `decisions.${i}.`);
    }
    await appendRecordEvent(tx.db, { entityType: 'meeting', entityId: id, action: 'recorded', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data: { decisions: body.decisions.length }, fileIds: files });
    await audit(tx, { action: 'meeting.recorded', entityType: 'meeting', entityId: id, districtCode: unit.kind === 'district' ? unit.key : undefined, after: { unit: unit.key, heldOn: body.heldOn, chairRole: body.chairRole, qualifies, decisions: body.decisions.length } });
    return id;
  });
  const [m] = (await listMeetings(ctx, { page: 1, pageSize: 1 }, id)).items;
  if (!m) throw notFound('会议', 'meeting');
  return m;
}

/**
 * 季度合规: every district of the city and every department (a unit's officers: their own row) ×
 * the year's quarters: held (a qualifying meeting), missed (an ended quarter without one), open (the
 * current quarter, none yet), future.
 */
export async function meetingCompliance(ctx: ActorCtx, q: z.output<typeof ComplianceQuery>): Promise<Compliance> {
  const a = ctx.actor;
  const own = planUnitOf(a);
  if (!own) throw forbidden('会议合规情况由市、区安委办和部门查看', 'Meeting compliance is for the plan’s units');
  const today = shanghaiDate(ctx.now());
  const year = q.year ?? Number(today.slice(0, 4));
  const quarters = q.quarter ? [q.quarter] : [1, 2, 3, 4];
  let units: UnitRef[];
  if (own.kind === 'city') {
    const districts = await ctx.db.selectFrom('regions').select('code').where('level', '=', 'district').where('parent_code', '=', a.cityCode).orderBy('sort').orderBy('code').execute();
    const depts = await ctx.db.selectFrom('departments').select('id').where('city_code', '=', a.cityCode).where('region_code', '=', a.cityCode).orderBy('name').execute();
    units = [...districts.map((d) => ({ kind: 'district' as const, key: d.code })), ...depts.map((d) => ({ kind: 'department' as const, key: d.id }))];
  } else units = [own];
  const held = await ctx.db
    .selectFrom('meetings')
    .select(['unit_key', 'quarter', sql<number>`count(*)`.as('n')])
    .where('city_code', '=', a.cityCode)
    .where('qualifies', '=', 1)
    .where('quarter', 'in', quarters.map((k) => `${year}-Q${k}`))
    .groupBy(['unit_key', 'quarter'])
    .execute();
  const count = new Map(held.map((h) => [`${h.unit_key}|${h.quarter}`, Number(h.n)]));
  const current = quarterOf(today);
  const name = await unitNames(ctx.db, a.cityCode, units);
  let missed = 0;
  const rows = units.map((u) => {
    const cells = quarters.map((k) => {
      const key = `${year}-Q${k}`;
      const meetings = count.get(`${u.key}|${key}`) ?? 0;
      const state = meetings > 0 ? ('held' as const) : key < current ? ('missed' as const) : key === current ? ('open' as const) : ('future' as const);
      return { quarter: k, meetings, state };
    });
    const m = cells.filter((c) => c.state === 'missed').length;
    missed += m;
    return { unit: name(u), cells, missed: m };
  });
  return { year, quarters, units: rows, missed };
}
