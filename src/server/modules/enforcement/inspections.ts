/**
 * 执法检查: an inspection of one enterprise by two or more inspectors — planned, drawn, or triggered
 * by a tip, an accident, a complaint, a campaign, or following up an earlier one. Its inspectors
 * start it, record findings (each a hazard on the ledger in the same transaction, source 执法检查,
 * its origin the inspection) and finish it with the items' results and the enterprise's signature or
 * refusal. Every step is an event and an audit record; the figures move when it finishes.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import { PLANNED_TYPES, type AcceptFindingsInput, type Finding, type FindingQuery, type FindingsInput, type Inspection, type InspectionAction, type InspectionDetail, type InspectionInput, type InspectionQuery, type InspectionStepInput } from '../../../shared/contracts/enforcement';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB, InspectionRow } from '../../db/schema';
import { AppError, fieldError, notFound, type FieldError } from '../../errors/app-error';
import { appendFirstEvents, appendRecordEvent, claimVersion, recordEvents, reserveRecordCodes } from '../../records/records';
import { arrangesInspections, enforcementScopeWhere, type Actor } from '../../scope/scope';
import { findEnterprise } from '../enterprises/repository';
import { actOnHazard } from '../hazards/commands';
import { checkFindings, findingsOfOrigins, findingsOntoLedger } from '../hazards/findings';
import { checklistItems } from '../selfchecks/checklists';
import { EnforcementDelta, findingStates } from './tallies';
import { decideInspection, inspectionActions } from './workflow';

export const INSPECTION_COLS = { city: 'inspections.city_code', district: 'inspections.district_code', street: 'inspections.street_code', industry: 'inspections.industry_code', enterpriseId: 'inspections.enterprise_id' };

export function scopedInspections(db: Kysely<DB>, actor: Actor) {
  return db.selectFrom('inspections').innerJoin('enterprises', 'enterprises.id', 'inspections.enterprise_id').where(enforcementScopeWhere<DB, 'inspections'>(actor, INSPECTION_COLS) as never);
}

export async function findInspection(ctx: ActorCtx, id: string) {
  return scopedInspections(ctx.db, ctx.actor).selectAll('inspections').select(['enterprises.name as enterprise_name']).where('inspections.id', '=', id).executeTakeFirst();
}

async function inspectorsOf(db: Kysely<DB>, ids: string[]) {
  if (!ids.length) return new Map<string, { id: string; name: string }[]>();
  const rows = await db
    .selectFrom('inspection_inspectors as ii')
    .innerJoin('users as u', 'u.id', 'ii.user_id')
    .select(['ii.inspection_id', 'u.id', 'u.display_name'])
    .where('ii.inspection_id', 'in', ids)
    .orderBy('ii.inspection_id')
    .orderBy('ii.seq')
    .execute();
  const out = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) {
    const list = out.get(r.inspection_id) ?? [];
    list.push({ id: r.id, name: r.display_name });
    out.set(r.inspection_id, list);
  }
  return out;
}

const present = (r: InspectionRow & { enterprise_name: string }, inspectors: { id: string; name: string }[]): Inspection => ({
  id: r.id,
  code: r.code,
  enterpriseId: r.enterprise_id,
  enterpriseName: r.enterprise_name,
  districtCode: r.district_code,
  streetCode: r.street_code,
  industryCode: r.industry_code,
  type: r.type,
  status: r.status,
  unannounced: r.unannounced === 1,
  date: r.date,
  inspectorIds: inspectors.map((i) => i.id),
  inspectorNames: inspectors.map((i) => i.name),
  findings: r.findings,
  majorFindings: r.major_findings,
  drawId: r.draw_id,
  finishedAt: r.finished_at,
  version: r.version,
});

/** 检查任务 in the caller's scope, latest first. */
export async function listInspections(ctx: ActorCtx, q: InspectionQuery): Promise<ListResult<Inspection>> {
  let base = scopedInspections(ctx.db, ctx.actor);
  const inspector = q.mine ? ctx.actor.userId : q.inspectorId;
  if (inspector) base = base.where('inspections.id', 'in', (eb) => eb.selectFrom('inspection_inspectors').select('inspection_id').where('user_id', '=', inspector));
  if (q.districtCode) base = base.where('inspections.district_code', '=', q.districtCode);
  if (q.streetCode) base = base.where('inspections.street_code', '=', q.streetCode);
  if (q.enterpriseId) base = base.where('inspections.enterprise_id', '=', q.enterpriseId);
  if (q.drawId) base = base.where('inspections.draw_id', '=', q.drawId);
  if (q.type) base = base.where('inspections.type', '=', q.type);
  if (q.typeGroup) base = base.where('inspections.type', q.typeGroup === 'planned' ? 'in' : 'not in', [...PLANNED_TYPES]);
  if (q.status) base = base.where('inspections.status', '=', q.status);
  if (q.unannounced !== undefined) base = base.where('inspections.unannounced', '=', q.unannounced ? 1 : 0);
  if (q.withFindings) base = base.where(q.withFindings === 'major' ? 'inspections.major_findings' : 'inspections.findings', '>', 0);
  if (q.from) base = base.where('inspections.date', '>=', q.from);
  if (q.to) base = base.where('inspections.date', '<=', q.to);
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base
    .selectAll('inspections')
    .select(['enterprises.name as enterprise_name'])
    .orderBy('inspections.date', 'desc')
    .orderBy('inspections.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const people = await inspectorsOf(ctx.db, rows.map((r) => r.id));
  return { items: rows.map((r) => present(r, people.get(r.id) ?? [])), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/**
 * 检查发现的隐患: the hazards finished inspections found (the bulletin's hazards, major hazards and
 * closed findings), by the inspection's date; `state` open is neither closed nor voided.
 */
export async function listFindings(ctx: ActorCtx, q: z.output<typeof FindingQuery>): Promise<ListResult<Finding>> {
  let base = scopedInspections(ctx.db, ctx.actor)
    .innerJoin('hazard_origins as o', (j) => j.onRef('o.origin_id', '=', 'inspections.id').on('o.origin_type', '=', 'inspection'))
    .innerJoin('hazards as h', 'h.id', 'o.hazard_id')
    .where('inspections.status', '=', 'finished');
  if (q.districtCode) base = base.where('inspections.district_code', '=', q.districtCode);
  if (q.from) base = base.where('inspections.date', '>=', q.from);
  if (q.to) base = base.where('inspections.date', '<=', q.to);
  if (q.grade) base = base.where('h.grade', '=', q.grade);
  if (q.state === 'open') base = base.where('h.status', 'not in', ['closed', 'voided']);
  else if (q.state) base = base.where('h.status', '=', q.state);
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base
    .select(['h.id', 'h.code', 'h.description', 'h.grade', 'h.status', 'h.deadline', 'h.enterprise_id', 'enterprises.name as enterprise_name', 'inspections.district_code', 'inspections.id as inspection_id', 'inspections.code as inspection_code', 'inspections.date'])
    .orderBy('inspections.date', 'desc')
    .orderBy('h.code')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const items = rows.map((r) => ({
    hazardId: r.id,
    code: r.code,
    description: r.description,
    grade: r.grade,
    status: r.status,
    deadline: r.deadline,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    districtCode: r.district_code,
    inspectionId: r.inspection_id,
    inspectionCode: r.inspection_code,
    inspectionDate: r.date,
  }));
  return { items, total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** Active inspectors who may inspect an enterprise: the city's, or its district's. */
export function eligibleInspectors(db: Kysely<DB>, cityCode: string) {
  return db.selectFrom('users').where('role', '=', 'inspector').where('status', '=', 'active').where('city_code', '=', cityCode);
}

async function checkInspectors(db: Kysely<DB>, ent: { id: string; city_code: string; district_code: string }, ids: string[]): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (new Set(ids).size !== ids.length) errors.push({ path: 'inspectorIds', code: 'duplicate', message: '执法人员重复' });
  const users = await eligibleInspectors(db, ent.city_code).select(['id', 'district_code', 'display_name']).where('id', 'in', ids).execute();
  const byId = new Map(users.map((u) => [u.id, u]));
  const conflicted = new Set((await db.selectFrom('inspector_conflicts').select('user_id').where('enterprise_id', '=', ent.id).where('user_id', 'in', ids).execute()).map((r) => r.user_id));
  ids.forEach((id, i) => {
    const u = byId.get(id);
    if (!u) errors.push({ path: `inspectorIds.${i}`, code: 'unknown_inspector', message: `第 ${i + 1} 名执法人员不存在或已停用` });
    else if (u.district_code && u.district_code !== ent.district_code) errors.push({ path: `inspectorIds.${i}`, code: 'out_of_region', message: `${u.display_name} 不属于该企业所在区` });
    else if (conflicted.has(id)) errors.push({ path: `inspectorIds.${i}`, code: 'conflict', message: `${u.display_name} 已申报与该企业存在利害关系，应当回避` });
  });
  return errors;
}

export interface NewInspection {
  enterprise: { id: string; city_code: string; district_code: string; street_code: string | null; industry_code: string };
  type: InspectionRow['type'];
  date: string;
  inspectorIds: string[];
  unannounced: boolean;
  checklist: { id: string; version: number } | null;
  drawId: string | null;
  followsId: string | null;
  note: string | null;
}

/** Inserts inspections with their inspectors and first event, in bulk; the caller checked them and holds the transaction. */
export async function insertInspections(ctx: ActorCtx, list: NewInspection[]): Promise<string[]> {
  const at = ctx.now().toISOString();
  const ids = list.map(() => uuidv7());
  // Codes per district and year, reserved at once.
  const codes = new Map<number, string>();
  const groups = new Map<string, number[]>();
  list.forEach((n, k) => {
    const g = `${n.enterprise.district_code}|${n.date.slice(0, 4)}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  });
  for (const [g, members] of groups) {
    const [district, year] = g.split('|');
    const reserved = await reserveRecordCodes(ctx.db, 'JC', district, Number(year), members.length);
    members.forEach((k, j) => codes.set(k, reserved[j]));
  }
  const rows = list.map((n, k) => ({
    id: ids[k],
    code: codes.get(k)!,
    city_code: n.enterprise.city_code,
    district_code: n.enterprise.district_code,
    street_code: n.enterprise.street_code,
    industry_code: n.enterprise.industry_code,
    enterprise_id: n.enterprise.id,
    type: n.type,
    status: 'planned' as const,
    unannounced: n.unannounced ? 1 : 0,
    date: n.date,
    checklist_id: n.checklist?.id ?? null,
    checklist_version: n.checklist?.version ?? null,
    draw_id: n.drawId,
    follows_id: n.followsId,
    note: n.note,
    signed_by: null,
    refused: 0,
    sign_note: null,
    findings: 0,
    major_findings: 0,
    started_at: null,
    finished_at: null,
    created_by: ctx.actor.userId,
    created_at: at,
    updated_at: at,
    version: 1,
  }));
  for (let i = 0; i < rows.length; i += 200) await ctx.db.insertInto('inspections').values(rows.slice(i, i + 200)).execute();
  const people = list.flatMap((n, k) => n.inspectorIds.map((u, seq) => ({ inspection_id: ids[k], user_id: u, seq })));
  for (let i = 0; i < people.length; i += 1000) await ctx.db.insertInto('inspection_inspectors').values(people.slice(i, i + 1000)).execute();
  await appendFirstEvents(
    ctx.db,
    list.map((n, k) => ({ entityType: 'inspection', entityId: ids[k], action: 'create', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, data: { type: n.type, date: n.date, inspectorIds: n.inspectorIds, drawId: n.drawId } })),
  );
  return ids;
}

export async function createInspection(ctx: ActorCtx, input: z.output<typeof InspectionInput>): Promise<InspectionDetail> {
  const a = ctx.actor;
  if (!arrangesInspections(a)) throw new AppError('FORBIDDEN', '当前角色不能安排执法检查', 'Your role cannot arrange inspections');
  if (a.role === 'inspector' && !input.inspectorIds.includes(a.userId)) throw fieldError('VALIDATION_FAILED', 'inspectorIds', '执法人员只能安排本人参加的检查', 'An inspector arranges inspections they take part in');
  if (input.type === 'random') throw fieldError('VALIDATION_FAILED', 'type', '双随机抽查由抽取结果生成，请使用“双随机抽查”', 'Random-draw inspections are made by a draw');
  if (input.drawId) throw fieldError('VALIDATION_FAILED', 'drawId', '抽取结果已生成对应检查任务', 'A draw makes its own inspections');
  if (input.type === 'follow_up' && !input.followsId) throw fieldError('VALIDATION_FAILED', 'followsId', '复查须选择被复查的检查', 'A follow-up names the inspection it follows');
  return transact(ctx, async (tx) => {
    const ent = await findEnterprise(tx.db, a, input.enterpriseId);
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or not in your scope');
    const errors = await checkInspectors(tx.db, ent, input.inspectorIds);
    if (errors.length) throw new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, 'Invalid inspectors', { errors });
    let checklist: NewInspection['checklist'] = null;
    if (input.checklistId) {
      const c = await tx.db.selectFrom('checklists').select(['id', 'version', 'city_code']).where('id', '=', input.checklistId).executeTakeFirst();
      if (!c || c.city_code !== a.cityCode) throw fieldError('VALIDATION_FAILED', 'checklistId', '检查表不存在', 'Unknown checklist');
      checklist = { id: c.id, version: c.version };
    }
    if (input.followsId) {
      const f = await findInspection(tx, input.followsId);
      if (!f || f.enterprise_id !== ent.id) throw fieldError('VALIDATION_FAILED', 'followsId', '被复查的检查不存在或不是该企业的', 'The followed inspection is not of this enterprise');
    }
    const [id] = await insertInspections(tx, [
      { enterprise: ent, type: input.type, date: input.date, inspectorIds: input.inspectorIds, unannounced: input.unannounced, checklist, drawId: null, followsId: input.followsId ?? null, note: input.note ?? null },
    ]);
    await audit(tx, { action: 'inspection.created', entityType: 'inspection', entityId: id, districtCode: ent.district_code, after: { enterpriseId: ent.id, type: input.type, date: input.date, inspectorIds: input.inspectorIds, unannounced: input.unannounced } });
    return inspectionDetail(tx, id);
  });
}

export async function inspectionDetail(ctx: ActorCtx, id: string): Promise<InspectionDetail> {
  const r = await findInspection(ctx, id);
  if (!r) throw notFound('执法检查', 'inspection');
  const people = (await inspectorsOf(ctx.db, [id])).get(id) ?? [];
  const ent = await ctx.db.selectFrom('enterprises').selectAll().where('id', '=', r.enterprise_id).executeTakeFirstOrThrow();
  const open = await ctx.db
    .selectFrom('hazards')
    .select(['grade', (eb) => eb.fn.countAll<number>().as('n')])
    .where('enterprise_id', '=', ent.id)
    .where('status', 'in', [...OPEN_STATUSES])
    .groupBy('grade')
    .execute();
  const checklist = r.checklist_id
    ? { id: r.checklist_id, title: (await ctx.db.selectFrom('checklists').select('title').where('id', '=', r.checklist_id).executeTakeFirstOrThrow()).title, version: r.checklist_version!, items: await checklistItems(ctx.db, r.checklist_id, r.checklist_version!) }
    : null;
  const results = await ctx.db.selectFrom('inspection_results').select(['item_id', 'result', 'note']).where('inspection_id', '=', id).execute();
  const followed = r.follows_id ? await findInspection(ctx, r.follows_id) : undefined;
  const findings = await findingsOfOrigins(ctx.db, 'inspection', [id, ...(followed ? [followed.id] : [])]);
  const past = await scopedInspections(ctx.db, ctx.actor)
    .select(['inspections.id', 'inspections.code', 'inspections.date', 'inspections.type', 'inspections.findings'])
    .where('inspections.enterprise_id', '=', ent.id)
    .where('inspections.id', '<>', id)
    .where('inspections.status', '=', 'finished')
    .orderBy('inspections.date', 'desc')
    .limit(10)
    .execute();
  const cases = await ctx.db.selectFrom('cases').select(['id', 'code', 'status']).where('inspection_id', '=', id).orderBy('code').execute();
  const assigned = people.some((p) => p.id === ctx.actor.userId);
  const facts = { status: r.status, assigned };
  const n = (g: string) => Number(open.find((o) => o.grade === g)?.n ?? 0);
  return {
    ...present(r, people),
    enterprise: { id: ent.id, name: ent.name, uscc: ent.uscc, address: ent.address, principalName: ent.principal_name, riskClass: ent.risk_class, standardizationLevel: ent.standardization_level, openHazards: n('general') + n('major'), openMajorHazards: n('major') },
    checklist: checklist && { ...checklist, items: checklist.items.map((i) => ({ id: i.id, seq: i.seq, text: i.text, clauseId: i.clauseId, clauseNo: i.clauseNo })) },
    results: results.map((x) => ({ itemId: x.item_id, result: x.result, note: x.note })),
    findingsList: findings.get(id) ?? [],
    follows: followed ? { id: followed.id, code: followed.code, date: followed.date, findings: findings.get(followed.id) ?? [] } : null,
    pastInspections: past.map((p) => ({ id: p.id, code: p.code, date: p.date, type: p.type, findings: p.findings })),
    signature: r.status === 'finished' ? { signedBy: r.signed_by, refused: r.refused === 1, note: r.sign_note } : null,
    note: r.note,
    cases: cases.map((c) => ({ id: c.id, code: c.code, status: c.status })),
    events: await recordEvents(ctx.db, 'inspection', id),
    allowedActions: inspectionActions(facts),
    mayRecord: assigned && r.status === 'in_progress',
  };
}

const claim = (ctx: ActorCtx, r: InspectionRow, version: number, set: Partial<InspectionRow>) => claimVersion(ctx.db, 'inspections', r, version, set, ctx.now().toISOString(), '检查');

async function assignedTo(ctx: ActorCtx, id: string): Promise<boolean> {
  return !!(await ctx.db.selectFrom('inspection_inspectors').select('user_id').where('inspection_id', '=', id).where('user_id', '=', ctx.actor.userId).executeTakeFirst());
}

/**
 * 记录隐患: the findings go onto the ledger in this transaction (source 执法检查, origin this
 * inspection, the item's clause cited; a deadline given becomes the 限期整改 step). Any refused
 * finding leaves nothing written.
 */
export async function recordFindings(ctx: ActorCtx, id: string, body: z.output<typeof FindingsInput>): Promise<{ hazardIds: string[]; version: number }> {
  return transact(ctx, async (tx) => {
    const r = await findInspection(tx, id);
    if (!r) throw notFound('执法检查', 'inspection');
    if (!(await assignedTo(tx, id))) throw new AppError('FORBIDDEN', '只有本次检查的执法人员可以记录隐患', 'Only the inspection’s inspectors record findings');
    if (r.status !== 'in_progress') throw new AppError('INVALID_TRANSITION', r.status === 'planned' ? '请先开始检查，再记录隐患' : '检查已完成，不能再记录隐患；如有遗漏，请安排复查', 'Findings are recorded while the inspection is in progress');
    const items = r.checklist_id ? await checklistItems(tx.db, r.checklist_id, r.checklist_version!) : [];
    const byItem = new Map(items.map((i) => [i.id, i]));
    const errors = checkFindings(body.findings, { itemIds: new Set(byItem.keys()), today: shanghaiDate(ctx.now()) });
    if (errors.length) throw new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, 'Invalid findings', { errors });
    await claim(tx, r, body.version, {});
    const ent = await tx.db.selectFrom('enterprises').select(['address', 'principal_name']).where('id', '=', r.enterprise_id).executeTakeFirstOrThrow();
    const names = ((await inspectorsOf(tx.db, [id])).get(id) ?? []).map((p) => p.name).join('、');
    const at = ctx.now().toISOString();
    const { hazardIds, major } = await findingsOntoLedger(
      tx,
      { type: 'inspection', id, source: 'enforcement_inspection', enterpriseId: r.enterprise_id, foundByName: names, defaultLocation: ent.address, responsibleName: ent.principal_name, assignComment: `执法检查 ${r.code} 责令限期整改`, itemClause: (itemId) => byItem.get(itemId)?.clauseId },
      body.findings,
      at,
    );
    await tx.db
      .updateTable('inspections')
      .set((eb) => ({ findings: eb('findings', '+', hazardIds.length), major_findings: eb('major_findings', '+', major) }))
      .where('id', '=', id)
      .execute();
    await appendRecordEvent(tx.db, { entityType: 'inspection', entityId: id, action: 'findings', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, data: { hazardIds, major } });
    await audit(tx, { action: 'inspection.findings', entityType: 'inspection', entityId: id, districtCode: r.district_code, after: { hazardIds, major } });
    return { hazardIds, version: r.version + 1 };
  });
}

/** 开始检查 / 完成检查. Finishing keeps the items' results and the signature, and moves the figures and the plan. */
export async function stepInspection(ctx: ActorCtx, id: string, action: InspectionAction, body: z.output<typeof InspectionStepInput>): Promise<InspectionDetail> {
  return transact(ctx, async (tx) => {
    const r = await findInspection(tx, id);
    if (!r) throw notFound('执法检查', 'inspection');
    const d = decideInspection(action, { status: r.status, assigned: await assignedTo(tx, id) });
    if (!d.ok) throw new AppError(d.reason, d.message, d.reason === 'FORBIDDEN' ? 'Only the inspection’s inspectors take this step' : 'Not allowed in the current status');
    const now = ctx.now().toISOString();
    if (action === 'start') {
      if (body.results?.length || body.signedBy || body.refused) throw fieldError('VALIDATION_FAILED', 'results', '开始检查时无需填写检查结果或签字', 'Results and signature come with finishing');
      await claim(tx, r, body.version, { status: 'in_progress', started_at: now });
    } else {
      const signedBy = body.signedBy?.trim() || null;
      if (!signedBy && !body.refused) throw fieldError('VALIDATION_FAILED', 'signedBy', '请填写企业签字人；企业拒绝签字的，请勾选“拒绝签字”并说明', 'Name who signs for the enterprise, or record the refusal');
      if (signedBy && body.refused) throw fieldError('VALIDATION_FAILED', 'refused', '已填写签字人，不能同时登记拒绝签字', 'Signed or refused, not both');
      if (body.refused && !body.note?.trim()) throw fieldError('VALIDATION_FAILED', 'note', '企业拒绝签字的，请由执法人员注明情况', 'Note the refusal');
      await saveResults(tx, r, body.results ?? []);
      await claim(tx, r, body.version, { status: 'finished', finished_at: now, signed_by: signedBy, refused: body.refused ? 1 : 0, sign_note: body.note?.trim() || null });
      const delta = new EnforcementDelta();
      delta.finished(r, (await findingStates(tx.db, [r.id])).get(r.id));
      await delta.apply(tx.db, tx.dialect);
      if (PLANNED_TYPES.includes(r.type)) await countPlanned(tx.db, r);
    }
    await appendRecordEvent(tx.db, { entityType: 'inspection', entityId: id, action, actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at: now, comment: body.note ?? null, data: action === 'finish' ? { signedBy: body.signedBy ?? null, refused: !!body.refused, results: body.results?.length ?? 0 } : null });
    await audit(tx, { action: `inspection.${action}`, entityType: 'inspection', entityId: id, districtCode: r.district_code, before: { status: r.status }, after: { status: d.to } });
    return inspectionDetail(tx, id);
  });
}

async function saveResults(ctx: ActorCtx, r: InspectionRow, results: { itemId: string; result: 'ok' | 'na' | 'hazard'; note?: string }[]) {
  if (!results.length) return;
  if (!r.checklist_id) throw fieldError('VALIDATION_FAILED', 'results', '本次检查未使用检查表，无需逐项结果', 'This inspection has no checklist');
  const items = new Set((await checklistItems(ctx.db, r.checklist_id, r.checklist_version!)).map((i) => i.id));
  const seen = new Set<string>();
  results.forEach((x, k) => {
    if (!items.has(x.itemId)) throw fieldError('VALIDATION_FAILED', `results.${k}.itemId`, `第 ${k + 1} 项不在本次检查表上`, 'Unknown item');
    if (seen.has(x.itemId)) throw fieldError('VALIDATION_FAILED', `results.${k}.itemId`, `第 ${k + 1} 项重复`, 'Duplicate item');
    seen.add(x.itemId);
  });
  await ctx.db.insertInto('inspection_results').values(results.map((x) => ({ inspection_id: r.id, item_id: x.itemId, result: x.result, note: x.note?.trim() || null }))).execute();
}

/** A planned or drawn inspection done counts against the enterprise's plans of that year in its district. */
async function countPlanned(db: Kysely<DB>, r: InspectionRow) {
  await db
    .updateTable('inspection_plan_items')
    .set((eb) => ({ done: eb('done', '+', 1) }))
    .where('enterprise_id', '=', r.enterprise_id)
    .where('plan_id', 'in', (eb) => eb.selectFrom('inspection_plans').select('id').where('district_code', '=', r.district_code).where('year', '=', Number(r.date.slice(0, 4))))
    .execute();
}

/**
 * 复查: a follow-up's inspectors accept the earlier inspection's findings that were rectified (each
 * through the hazard loop's own acceptance step, in this transaction: a major one is accepted by its
 * district or department, so it is refused here with the loop's reason, and nothing is written).
 */
export async function acceptFindings(ctx: ActorCtx, id: string, body: z.output<typeof AcceptFindingsInput>): Promise<InspectionDetail> {
  return transact(ctx, async (tx) => {
    const r = await findInspection(tx, id);
    if (!r) throw notFound('执法检查', 'inspection');
    if (!(await assignedTo(tx, id))) throw new AppError('FORBIDDEN', '只有本次复查的执法人员可以验收', 'Only the follow-up’s inspectors accept');
    if (r.type !== 'follow_up' || !r.follows_id) throw new AppError('INVALID_TRANSITION', '只有复查可以验收此前检查发现的隐患', 'Only a follow-up accepts earlier findings');
    if (r.status !== 'in_progress') throw new AppError('INVALID_TRANSITION', '请在复查进行中验收', 'Accept while the follow-up is in progress');
    const earlier = new Set((await findingsOfOrigins(tx.db, 'inspection', [r.follows_id])).get(r.follows_id)?.map((f) => f.hazardId) ?? []);
    const stray = body.hazardIds.findIndex((h) => !earlier.has(h));
    if (stray >= 0) throw fieldError('VALIDATION_FAILED', `hazardIds.${stray}`, '所选隐患不是被复查的检查发现的', 'Not a finding of the followed inspection');
    await claim(tx, r, body.version, {});
    for (const [k, hid] of body.hazardIds.entries()) {
      const h = await tx.db.selectFrom('hazards').select(['version', 'code']).where('id', '=', hid).executeTakeFirstOrThrow();
      await actOnHazard(tx, hid, 'accept', { version: h.version, note: `复查 ${r.code}：${body.note}`, attachmentIds: body.attachmentIds }).catch((e: unknown) => {
        if (e instanceof AppError) throw new AppError(e.code, `隐患 ${h.code}：${e.message}`, e.messageEn, { errors: [{ path: `hazardIds.${k}`, code: e.code, message: e.message }] });
        throw e;
      });
    }
    const at = ctx.now().toISOString();
    await appendRecordEvent(tx.db, { entityType: 'inspection', entityId: id, action: 'accept_findings', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: body.note, data: { hazardIds: body.hazardIds }, fileIds: body.attachmentIds });
    await audit(tx, { action: 'inspection.accept_findings', entityType: 'inspection', entityId: id, districtCode: r.district_code, after: { hazardIds: body.hazardIds, note: body.note } });
    return inspectionDetail(tx, id);
  });
}
