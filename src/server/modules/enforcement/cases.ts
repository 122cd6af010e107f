/**
 * 案件: a violation found in an inspection opens a case (立案) citing provisions of the catalogue;
 * the officers decide it (决定: warning, fine within the discretion table's range, suspension,
 * other), record payment (执行) and appeals, and close it (结案). Each step is an event with its
 * evidence, version-checked, audited, and the bulletin's figures move in the same transaction.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import { CaseStepInput, type Case, type CaseAction, type CaseDetail, type CaseInput, type CaseQuery } from '../../../shared/contracts/enforcement';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { CaseRow, DB, InspectionRow } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { appendRecordEvent, nextRecordCode, recordEvents } from '../../records/records';
import { directsEnforcement, enforcementScopeWhere, rowInScope, takesPartInEnforcement } from '../../scope/scope';
import { checkAttachments } from '../files/commands';
import { findInspection } from './inspections';
import { discretionTable } from './provisions';
import { EnforcementDelta } from './tallies';
import { caseActions, decideCase, type CaseFacts } from './workflow';

const COLS = { city: 'cases.city_code', district: 'cases.district_code', street: 'cases.street_code', industry: 'cases.industry_code', enterpriseId: 'cases.enterprise_id' };

const scoped = (db: Kysely<DB>, ctx: ActorCtx) => db.selectFrom('cases').innerJoin('enterprises', 'enterprises.id', 'cases.enterprise_id').where(enforcementScopeWhere<DB, 'cases'>(ctx.actor, COLS) as never);

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);
const fen = (y: number) => Math.round(y * 100);

/** The catalogue's provisions the rows cite, read once for a page of cases. */
async function provisionsOf(db: Kysely<DB>, rows: Pick<CaseRow, 'provision_ids_json'>[]) {
  const ids = [...new Set(rows.flatMap((r) => JSON.parse(r.provision_ids_json) as string[]))];
  const found = ids.length ? await db.selectFrom('legal_provisions').select(['id', 'law', 'article', 'title']).where('id', 'in', ids).execute() : [];
  return new Map(found.map((p) => [p.id, p]));
}

function present(provisions: Awaited<ReturnType<typeof provisionsOf>>, r: CaseRow & { enterprise_name: string }): Case {
  const discretion = r.discretion_json ? (JSON.parse(r.discretion_json) as { label: string; minYuan: number; maxYuan: number }) : null;
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    districtCode: r.district_code,
    inspectionId: r.inspection_id,
    violation: r.violation,
    provisions: (JSON.parse(r.provision_ids_json) as string[]).flatMap((id) => provisions.get(id) ?? []),
    hazardIds: JSON.parse(r.hazard_ids_json) as string[],
    decision: r.decision,
    circumstance: r.circumstance,
    discretion: discretion && { label: discretion.label, minYuan: discretion.minYuan, maxYuan: discretion.maxYuan },
    fineYuan: yuan(r.fine_fen),
    paidYuan: r.paid_fen / 100,
    decidedOn: r.decided_on,
    paidOn: r.paid_on,
    closedOn: r.closed_on,
    documentNo: r.document_no,
    appealStatus: r.appeal_status as Case['appealStatus'],
    filedOn: r.filed_on,
    version: r.version,
  };
}

export async function listCases(ctx: ActorCtx, q: z.output<typeof CaseQuery>): Promise<ListResult<Case>> {
  let base = scoped(ctx.db, ctx);
  if (q.districtCode) base = base.where('cases.district_code', '=', q.districtCode);
  if (q.enterpriseId) base = base.where('cases.enterprise_id', '=', q.enterpriseId);
  if (q.inspectionId) base = base.where('cases.inspection_id', '=', q.inspectionId);
  if (q.status) base = base.where('cases.status', '=', q.status);
  if (q.decision) base = base.where('cases.decision', '=', q.decision);
  if (q.from) base = base.where('cases.filed_on', '>=', q.from);
  if (q.to) base = base.where('cases.filed_on', '<=', q.to);
  if (q.decidedFrom) base = base.where('cases.decided_on', '>=', q.decidedFrom);
  if (q.decidedTo) base = base.where('cases.decided_on', '<=', q.decidedTo);
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base.selectAll('cases').select('enterprises.name as enterprise_name').orderBy('cases.filed_on', 'desc').orderBy('cases.id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const provisions = await provisionsOf(ctx.db, rows);
  const items = rows.map((r) => present(provisions, r));
  return { items, total: Number(n), page: q.page, pageSize: q.pageSize };
}

async function findCase(ctx: ActorCtx, id: string) {
  return scoped(ctx.db, ctx).selectAll('cases').select('enterprises.name as enterprise_name').where('cases.id', '=', id).executeTakeFirst();
}

const factsOf = (ctx: ActorCtx, r: CaseRow): CaseFacts => ({
  status: r.status,
  decider: directsEnforcement(ctx.actor) && rowInScope(ctx.actor, { cityCode: r.city_code, districtCode: r.district_code, streetCode: r.street_code, industryCode: r.industry_code, enterpriseId: r.enterprise_id }),
  decision: r.decision,
  fineFen: r.fine_fen,
  paidFen: r.paid_fen,
});

export async function caseDetail(ctx: ActorCtx, id: string): Promise<CaseDetail> {
  const r = await findCase(ctx, id);
  if (!r) throw notFound('案件', 'case');
  return { ...present(await provisionsOf(ctx.db, [r]), r), events: await recordEvents(ctx.db, 'case', id), allowedActions: caseActions(factsOf(ctx, r)) };
}

/** A case just filed (立案) on an inspection's enterprise: the row as `fileCase` writes it (the demo city too). */
export function newCaseRow(
  i: Pick<InspectionRow, 'id' | 'city_code' | 'district_code' | 'street_code' | 'industry_code' | 'enterprise_id'>,
  f: { id: string; code: string; violation: string; provisionIds: string[]; hazardIds: string[]; filedOn: string; createdBy: string | null; at: string },
): CaseRow {
  return {
    id: f.id,
    code: f.code,
    city_code: i.city_code,
    district_code: i.district_code,
    street_code: i.street_code,
    industry_code: i.industry_code,
    enterprise_id: i.enterprise_id,
    inspection_id: i.id,
    status: 'filed',
    violation: f.violation,
    provision_ids_json: JSON.stringify(f.provisionIds),
    hazard_ids_json: JSON.stringify(f.hazardIds),
    decision: null,
    circumstance: null,
    discretion_json: null,
    fine_fen: null,
    paid_fen: 0,
    decided_on: null,
    paid_on: null,
    closed_on: null,
    document_no: null,
    appeal_status: 'none',
    filed_on: f.filedOn,
    created_by: f.createdBy,
    created_at: f.at,
    updated_at: f.at,
    version: 1,
  };
}

/** 立案 from an inspection (by its inspectors or the officers over it), citing the catalogue and, optionally, the hazards found. */
export async function fileCase(ctx: ActorCtx, body: z.output<typeof CaseInput>): Promise<CaseDetail> {
  if (!takesPartInEnforcement(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能立案', 'Your role cannot open a case');
  return transact(ctx, async (tx) => {
    const i = await findInspection(tx, body.inspectionId);
    if (!i) throw fieldError('VALIDATION_FAILED', 'inspectionId', '执法检查不存在或不在您的管辖范围内', 'Unknown inspection');
    if (ctx.actor.role === 'inspector') {
      const mine = await tx.db.selectFrom('inspection_inspectors').select('user_id').where('inspection_id', '=', i.id).where('user_id', '=', ctx.actor.userId).executeTakeFirst();
      if (!mine) throw new AppError('FORBIDDEN', '执法人员只能就本人参加的检查立案', 'Inspectors open cases from their own inspections');
    }
    if (i.status === 'planned') throw fieldError('VALIDATION_FAILED', 'inspectionId', '检查尚未开始，不能立案', 'The inspection has not started');
    const active = await tx.db.selectFrom('legal_provisions').select('id').where('id', 'in', body.provisionIds).where('city_code', '=', ctx.actor.cityCode).where('active', '=', 1).execute();
    if (active.length !== new Set(body.provisionIds).size) throw fieldError('VALIDATION_FAILED', 'provisionIds', '所选法律依据不在目录中', 'Unknown provision');
    const hazardIds = [...new Set(body.hazardIds ?? [])];
    if (hazardIds.length) {
      const found = await tx.db.selectFrom('hazard_origins').select('hazard_id').where('origin_type', '=', 'inspection').where('origin_id', '=', i.id).where('hazard_id', 'in', hazardIds).execute();
      if (found.length !== hazardIds.length) throw fieldError('VALIDATION_FAILED', 'hazardIds', '所选隐患不是本次检查发现的', 'The hazards were not found by this inspection');
    }
    const now = ctx.now();
    const today = shanghaiDate(now);
    const id = uuidv7();
    const row = newCaseRow(i, { id, code: await nextRecordCode(tx.db, 'AJ', i.district_code, Number(today.slice(0, 4))), violation: body.violation, provisionIds: body.provisionIds, hazardIds, filedOn: today, createdBy: ctx.actor.userId, at: now.toISOString() });
    await tx.db.insertInto('cases').values(row).execute();
    const delta = new EnforcementDelta();
    delta.filed(row);
    await delta.apply(tx.db, tx.dialect);
    await appendRecordEvent(tx.db, { entityType: 'case', entityId: id, action: 'file', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at: row.created_at, comment: body.violation, data: { provisionIds: body.provisionIds, hazardIds } });
    await audit(tx, { action: 'case.filed', entityType: 'case', entityId: id, districtCode: row.district_code, after: { code: row.code, inspectionId: i.id, violation: body.violation, provisionIds: body.provisionIds, hazardIds } });
    return caseDetail(tx, id);
  });
}

type StepBody<A extends CaseAction> = z.output<(typeof CaseStepInput)[A]>;

/** One step of a case, checked against the transition table and the version. */
export async function stepCase<A extends CaseAction>(ctx: ActorCtx, id: string, action: A, body: StepBody<A>): Promise<CaseDetail> {
  return transact(ctx, async (tx) => {
    const r = await findCase(tx, id);
    if (!r) throw notFound('案件', 'case');
    const b = body as StepBody<CaseAction> & { paidYuan?: number };
    const d = decideCase(action, { ...factsOf(tx, r), paying: b.paidYuan !== undefined ? fen(b.paidYuan) : undefined });
    if (!d.ok) throw new AppError(d.reason, d.message, d.reason === 'FORBIDDEN' ? 'You may not take this step' : 'Not allowed in the current status');
    if (b.version !== r.version) throw new AppError('VERSION_CONFLICT', '该案件已被更新，请刷新后重试', 'The case changed; reload and try again');
    const files = await checkAttachments(tx.db, ctx.actor, b.attachmentIds ?? [], { required: false });
    const set: Partial<CaseRow> = {};
    const delta = new EnforcementDelta();
    if (action === 'decide') Object.assign(set, await decision(tx, r, body as StepBody<'decide'>, delta));
    if (action === 'record_payment') {
      const p = body as StepBody<'record_payment'>;
      if (p.paidOn < r.decided_on!) throw fieldError('VALIDATION_FAILED', 'paidOn', '缴款日期不能早于决定日期', 'Paid before the decision');
      if (p.paidOn > shanghaiDate(ctx.now())) throw fieldError('VALIDATION_FAILED', 'paidOn', '缴款日期不能晚于今天', 'Paid in the future');
      if (r.paid_fen + fen(p.paidYuan) > (r.fine_fen ?? 0)) throw fieldError('VALIDATION_FAILED', 'paidYuan', `缴款合计不能超过罚款金额（${(r.fine_fen ?? 0) / 100} 元）`, 'Payments exceed the fine');
      Object.assign(set, { paid_fen: r.paid_fen + fen(p.paidYuan), paid_on: p.paidOn });
    }
    if (action === 'record_appeal') set.appeal_status = (body as StepBody<'record_appeal'>).appealStatus;
    if (action === 'close') {
      const c = body as StepBody<'close'>;
      if (c.closedOn < (r.paid_on ?? r.decided_on!)) throw fieldError('VALIDATION_FAILED', 'closedOn', '结案日期不能早于决定或缴款日期', 'Closed before the decision or payment');
      if (c.closedOn > shanghaiDate(ctx.now())) throw fieldError('VALIDATION_FAILED', 'closedOn', '结案日期不能晚于今天', 'Closed in the future');
      set.closed_on = c.closedOn;
    }
    const u = await tx.db
      .updateTable('cases')
      .set({ ...set, ...(d.to ? { status: d.to } : {}), version: r.version + 1, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .where('version', '=', r.version)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该案件刚刚已被更新，请刷新后重试', 'The case just changed; reload and try again');
    await delta.apply(tx.db, tx.dialect);
    const { version: _v, attachmentIds: _a, comment, ...data } = b as StepBody<CaseAction> & { comment?: string };
    await appendRecordEvent(tx.db, { entityType: 'case', entityId: id, action, actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at: ctx.now().toISOString(), comment: comment ?? null, data, fileIds: files });
    await audit(tx, { action: `case.${action}`, entityType: 'case', entityId: id, districtCode: r.district_code, before: { status: r.status, version: r.version }, after: { status: d.to ?? r.status, ...data } });
    return caseDetail(tx, id);
  });
}

async function decision(ctx: ActorCtx, r: CaseRow, b: StepBody<'decide'>, delta: EnforcementDelta): Promise<Partial<CaseRow>> {
  if (b.decidedOn < r.filed_on) throw fieldError('VALIDATION_FAILED', 'decidedOn', '决定日期不能早于立案日期', 'Decided before filing');
  if (b.decidedOn > shanghaiDate(ctx.now())) throw fieldError('VALIDATION_FAILED', 'decidedOn', '决定日期不能晚于今天', 'Decided in the future');
  const table = await discretionTable(ctx.db, ctx.actor.cityCode, b.decidedOn);
  const c = table.find((x) => x.code === b.circumstance);
  if (!c) throw fieldError('VALIDATION_FAILED', 'circumstance', `裁量情节不在裁量基准中（可选：${table.map((x) => x.label).join('、')}）`, 'Unknown circumstance');
  if (b.decision === 'fine') {
    if (b.fineYuan === undefined || b.fineYuan <= 0) throw fieldError('VALIDATION_FAILED', 'fineYuan', '罚款决定须填写罚款金额', 'A fine needs its amount');
    if (b.fineYuan < c.minYuan || b.fineYuan > c.maxYuan) throw fieldError('VALIDATION_FAILED', 'fineYuan', `罚款金额应在“${c.label}”的幅度 ${c.minYuan}–${c.maxYuan} 元之内`, 'The fine lies outside the discretion range');
  } else if (b.fineYuan) throw fieldError('VALIDATION_FAILED', 'fineYuan', '只有罚款决定填写罚款金额', 'Only a fine has an amount');
  const fineFen = b.decision === 'fine' ? fen(b.fineYuan!) : null;
  delta.decided({ city_code: r.city_code, district_code: r.district_code, decided_on: b.decidedOn, decision: b.decision, fine_fen: fineFen });
  return { decision: b.decision, circumstance: c.code, discretion_json: JSON.stringify(c), fine_fen: fineFen, decided_on: b.decidedOn, document_no: b.documentNo ?? null };
}
