/**
 * 事故登记: an accident recorded with its place, enterprise, category and casualties; the grade
 * computed under the threshold rule in force on its day, with the criterion that reached it; the
 * report flagged late after the rule's hour; casualty changes taken within the supplement window
 * (each an event, the grade recomputed); 瞒报/谎报 marked with the tip that revealed it; the
 * investigation started and concluded with its report, responsibility findings and the hazards it
 * found (on the ledger, source 事故调查, the accident as origin). Steps under the record's version.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { Accident, AccidentDetail, AccidentInput, AccidentPatch, AccidentQuery, CasualtyUpdate, ConcealmentInput, InvestigationConclude, InvestigationStart } from '../../../shared/contracts/accidents';
import type { ListResult } from '../../../shared/contracts/common';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { likeContains } from '../../db/dialect';
import type { AccidentRow, DB } from '../../db/schema';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent, claimVersion, nextRecordCode, recordEvents } from '../../records/records';
import { ruleValue } from '../../rules/rules';
import { accidentScopeWhere, recordsAccidents, rowInScope, tipScopeWhere } from '../../scope/scope';
import { checkPlacement } from '../enterprises/commands';
import { checkAttachments } from '../files/commands';
import { checkFindings, findingsOntoLedger } from '../hazards/findings';
import { accidentActions, decideAccident, type AccidentAction, type AccidentFacts } from './workflow';
import { ACCIDENT_REPORTING, ACCIDENT_THRESHOLDS, accidentGrade, gradeReason, maySupplement, reportedLate, supplementWindowEnds, type Casualties } from './rules';

const COLS = { city: 'a.city_code', district: 'a.district_code', street: 'a.street_code', industry: 'a.industry_code', enterpriseId: 'a.enterprise_id' };
const ENTITY = 'accident';

function scoped(ctx: ActorCtx) {
  return ctx.db.selectFrom('accidents as a').leftJoin('enterprises as e', 'e.id', 'a.enterprise_id').where(accidentScopeWhere<DB, 'accidents'>(ctx.actor, COLS) as never);
}
type Row = AccidentRow & { enterprise_name: string | null };

async function findAccident(ctx: ActorCtx, id: string): Promise<Row> {
  const r = (await scoped(ctx).selectAll('a').select('e.name as enterprise_name').where('a.id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!r) throw notFound('事故', 'accident');
  return r;
}

const present = (r: Row): Accident => ({
  id: r.id,
  code: r.code,
  occurredAt: r.occurred_at,
  reportedAt: r.reported_at,
  reportedLate: !!Number(r.reported_late),
  districtCode: r.district_code,
  streetCode: r.street_code,
  industryCode: r.industry_code,
  enterpriseId: r.enterprise_id,
  enterpriseName: r.enterprise_name,
  place: r.place,
  category: r.category as Accident['category'],
  fireOrRoad: !!Number(r.fire_or_road),
  deaths: Number(r.deaths),
  missing: Number(r.missing),
  seriousInjuries: Number(r.serious_injuries),
  directLossYuan: Number(r.loss_yuan),
  grade: r.grade,
  gradeReason: r.grade_reason,
  concealment: r.concealment,
  investigation: r.investigation,
  version: Number(r.version),
});

const casualtiesOf = (r: Pick<AccidentRow, 'deaths' | 'missing' | 'serious_injuries' | 'loss_yuan'>): Casualties => ({ deaths: Number(r.deaths), missing: Number(r.missing), seriousInjuries: Number(r.serious_injuries), lossYuan: Number(r.loss_yuan) });

/** The grade under the threshold rule in force on the accident's (Shanghai) day. */
async function grade(ctx: ActorCtx, occurredAt: string, c: Casualties) {
  const t = await ruleValue(ctx.db, ctx.actor.cityCode, ACCIDENT_THRESHOLDS, shanghaiDate(new Date(occurredAt)));
  const d = accidentGrade(c, t);
  return { grade: d.grade, reason: gradeReason(d, c, t) };
}

/** What the transition table needs to know of a record and its reader. */
async function factsOf(ctx: ActorCtx, r: AccidentRow): Promise<AccidentFacts> {
  const rule = await ruleValue(ctx.db, ctx.actor.cityCode, ACCIDENT_REPORTING, shanghaiDate(new Date(r.occurred_at)));
  const fireOrRoad = !!Number(r.fire_or_road);
  return {
    status: r.investigation,
    recorder: recordsAccidents(ctx.actor),
    windowClosedAfterDays: maySupplement(r.occurred_at, ctx.now().toISOString(), fireOrRoad, rule) ? null : fireOrRoad ? rule.supplementDaysFireAndRoad : rule.supplementDays,
    concealed: r.concealment !== 'none',
  };
}

export async function listAccidents(ctx: ActorCtx, q: z.output<typeof AccidentQuery>): Promise<ListResult<Accident>> {
  let b = scoped(ctx);
  if (q.districtCode) b = b.where('a.district_code', '=', q.districtCode);
  if (q.grade) b = b.where('a.grade', '=', q.grade);
  if (q.category) b = b.where('a.category', '=', q.category);
  // Days are Shanghai days: from its midnight to the next.
  if (q.from) b = b.where('a.occurred_at', '>=', new Date(Date.parse(`${q.from}T00:00:00+08:00`)).toISOString());
  if (q.to) b = b.where('a.occurred_at', '<', new Date(Date.parse(`${q.to}T00:00:00+08:00`) + 86_400_000).toISOString());
  if (q.reportedLate !== undefined) b = b.where('a.reported_late', '=', q.reportedLate ? 1 : 0);
  if (q.concealed !== undefined) b = q.concealed ? b.where('a.concealment', '<>', 'none') : b.where('a.concealment', '=', 'none');
  if (q.enterpriseId) b = b.where('a.enterprise_id', '=', q.enterpriseId);
  if (q.q) b = b.where(sql<boolean>`(a.place like ${likeContains(q.q)} escape '\\' or a.code like ${likeContains(q.q)} escape '\\' or e.name like ${likeContains(q.q)} escape '\\')`);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = (await b.selectAll('a').select('e.name as enterprise_name').orderBy('a.occurred_at', 'desc').orderBy('a.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute()) as Row[];
  return { items: rows.map(present), total: Number(n), page: q.page, pageSize: q.pageSize };
}

export async function accidentDetail(ctx: ActorCtx, id: string): Promise<AccidentDetail> {
  const r = await findAccident(ctx, id);
  const rule = await ruleValue(ctx.db, ctx.actor.cityCode, ACCIDENT_REPORTING, shanghaiDate(new Date(r.occurred_at)));
  const hazards = await ctx.db.selectFrom('hazard_origins').select('hazard_id').where('origin_type', '=', ENTITY).where('origin_id', '=', id).orderBy('created_at').execute();
  return {
    ...present(r),
    narrative: r.narrative,
    lng: r.lng === null ? null : Number(r.lng),
    lat: r.lat === null ? null : Number(r.lat),
    supplementUntil: supplementWindowEnds(r.occurred_at, !!Number(r.fire_or_road), rule),
    concealmentNote: r.concealment_note,
    tipId: r.tip_id,
    investigationLeadBy: r.investigation_lead_by,
    responsibility: r.responsibility,
    reportFileIds: r.report_file_ids_json ? (JSON.parse(r.report_file_ids_json) as string[]) : [],
    hazardIds: hazards.map((h) => h.hazard_id),
    events: await recordEvents(ctx.db, ENTITY, id),
    allowed: accidentActions(await factsOf(ctx, r)),
  };
}

/** 事故登记. */
export async function registerAccident(ctx: ActorCtx, body: z.output<typeof AccidentInput>): Promise<AccidentDetail> {
  const a = ctx.actor;
  if (!recordsAccidents(a)) throw forbidden('事故由属地安委办、街镇和行业部门登记', 'Accidents are recorded by the offices');
  const now = ctx.now().toISOString();
  // Instants are kept as UTC ISO strings: an offset (+08:00) is converted before any comparison or write.
  const occurredAt = new Date(body.occurredAt).toISOString();
  const reportedAt = body.reportedAt ? new Date(body.reportedAt).toISOString() : now;
  if (occurredAt > now) throw fieldError('VALIDATION_FAILED', 'occurredAt', '事故时间不能晚于现在', 'The accident cannot be in the future');
  if (reportedAt < occurredAt) throw fieldError('VALIDATION_FAILED', 'reportedAt', '报告时间不能早于事故时间', 'Reported before it happened');
  if (reportedAt > now) throw fieldError('VALIDATION_FAILED', 'reportedAt', '报告时间不能晚于现在', 'The report cannot be in the future');
  let place: { district_code: string; street_code: string | null; industry_code: string | null; enterprise_id: string | null };
  let where = body.place;
  if (body.enterpriseId) {
    const e = await ctx.db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'address']).where('id', '=', body.enterpriseId).executeTakeFirst();
    if (!e || !rowInScope(a, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.id })) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or outside your scope');
    place = { district_code: e.district_code, street_code: e.street_code, industry_code: e.industry_code, enterprise_id: e.id };
    where ??= e.address;
  } else {
    if (!body.districtCode) throw fieldError('VALIDATION_FAILED', 'districtCode', '未关联企业时请选择事故所在区', 'Choose the district');
    await checkPlacement(ctx.db, a.cityCode, { districtCode: body.districtCode, streetCode: body.streetCode ?? null, industryCode: body.industryCode ?? null });
    place = { district_code: body.districtCode, street_code: body.streetCode ?? null, industry_code: body.industryCode ?? null, enterprise_id: null };
    if (!rowInScope(a, { cityCode: a.cityCode, districtCode: place.district_code, streetCode: place.street_code, industryCode: place.industry_code })) throw forbidden('事故地点不在您的管辖范围内', 'The place is outside your scope');
    const names = new Map((await ctx.db.selectFrom('regions').select(['code', 'name']).where('code', 'in', [place.district_code, place.street_code ?? place.district_code]).execute()).map((r) => [r.code, r.name]));
    where ??= [place.district_code, place.street_code].map((c) => (c ? names.get(c) : '')).join('');
  }
  const c: Casualties = { deaths: body.deaths, missing: body.missing, seriousInjuries: body.seriousInjuries, lossYuan: body.directLossYuan };
  const id = await transact(ctx, async (tx) => {
    const g = await grade(tx, occurredAt, c);
    const reporting = await ruleValue(tx.db, a.cityCode, ACCIDENT_REPORTING, shanghaiDate(new Date(occurredAt)));
    const late = reportedLate(occurredAt, reportedAt, reporting);
    const id = uuidv7();
    const code = await nextRecordCode(tx.db, 'SG', place.district_code, Number(shanghaiDate(new Date(occurredAt)).slice(0, 4)));
    await tx.db
      .insertInto('accidents')
      .values({ id, code, city_code: a.cityCode, ...place, occurred_at: occurredAt, reported_at: reportedAt, reported_late: late ? 1 : 0, place: where, lng: body.lng ?? null, lat: body.lat ?? null, category: body.category, fire_or_road: body.fireOrRoad ? 1 : 0, deaths: c.deaths, missing: c.missing, serious_injuries: c.seriousInjuries, loss_yuan: c.lossYuan, grade: g.grade, grade_reason: g.reason, narrative: body.narrative, concealment: 'none', concealment_note: null, tip_id: null, investigation: 'pending', investigation_lead_by: null, responsibility: null, report_file_ids_json: null, version: 1, created_by: a.userId, created_at: now, updated_at: now })
      .execute();
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'registered', actorId: a.userId, actorName: a.displayName, at: now, data: { ...c, grade: g.grade, reportedLate: late } });
    await audit(tx, { action: 'accident.registered', entityType: ENTITY, entityId: id, districtCode: place.district_code, after: { code, category: body.category, ...c, grade: g.grade, reportedLate: late, enterpriseId: place.enterprise_id } });
    return id;
  });
  return accidentDetail(ctx, id);
}

/** A step as the transition table allows it (workflow.ts), under the record's version, in one transaction. */
async function step(ctx: ActorCtx, id: string, action: AccidentAction, version: number, fn: (tx: ActorCtx, r: Row, at: string) => Promise<void>): Promise<AccidentDetail> {
  await transact(ctx, async (tx) => {
    const r = await findAccident(tx, id);
    const d = decideAccident(action, await factsOf(tx, r));
    if (!d.ok) throw new AppError(d.reason, d.message, d.reason === 'FORBIDDEN' ? 'You may not do this' : 'Not possible in this state');
    if (version !== Number(r.version)) throw new AppError('VERSION_CONFLICT', '该事故记录已被更新，请刷新后重试', 'The record changed; reload and try again');
    await fn(tx, r, tx.now().toISOString());
  });
  return accidentDetail(ctx, id);
}

/** 伤亡补报: within the window, the figures and the grade change; each change an event. */
export function supplementCasualties(ctx: ActorCtx, id: string, body: z.output<typeof CasualtyUpdate>) {
  return step(ctx, id, 'casualties', body.version, async (tx, r, at) => {
    const before = casualtiesOf(r);
    const after: Casualties = { deaths: body.deaths, missing: body.missing, seriousInjuries: body.seriousInjuries, lossYuan: body.directLossYuan };
    const g = await grade(tx, r.occurred_at, after);
    await claimVersion(tx.db, 'accidents', { id: r.id, version: Number(r.version) }, body.version, { deaths: after.deaths, missing: after.missing, serious_injuries: after.seriousInjuries, loss_yuan: after.lossYuan, grade: g.grade, grade_reason: g.reason }, at, '事故记录');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'casualties', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.note, data: { before, after, gradeBefore: r.grade, grade: g.grade } });
    await audit(tx, { action: 'accident.casualties', entityType: ENTITY, entityId: id, districtCode: r.district_code, before: { ...before, grade: r.grade }, after: { ...after, grade: g.grade } });
  });
}

/** 瞒报/谎报: marked with the facts and, where a tip revealed it, the tip. */
export function markConcealment(ctx: ActorCtx, id: string, body: z.output<typeof ConcealmentInput>) {
  return step(ctx, id, 'concealment', body.version, async (tx, r, at) => {
    if (body.tipId) {
      const tip = await tx.db.selectFrom('tips').select('id').where('id', '=', body.tipId).where(tipScopeWhere<DB, 'tips'>(tx.actor, { city: 'tips.city_code', district: 'tips.district_code', street: 'tips.street_code', industry: 'tips.industry_code', enterpriseId: 'tips.enterprise_id', department: 'tips.department_id' })).executeTakeFirst();
      if (!tip) throw fieldError('VALIDATION_FAILED', 'tipId', '举报不存在或无权查看', 'Unknown tip');
    }
    await claimVersion(tx.db, 'accidents', { id: r.id, version: Number(r.version) }, body.version, { concealment: body.concealment, concealment_note: body.note, tip_id: body.tipId ?? null }, at, '事故记录');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: body.concealment, actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.note, data: { tipId: body.tipId ?? null } });
    await audit(tx, { action: `accident.${body.concealment}`, entityType: ENTITY, entityId: id, districtCode: r.district_code, before: { concealment: r.concealment }, after: { concealment: body.concealment, tipId: body.tipId ?? null } });
  });
}

export function startInvestigation(ctx: ActorCtx, id: string, body: z.output<typeof InvestigationStart>) {
  return step(ctx, id, 'investigate', body.version, async (tx, r, at) => {
    await claimVersion(tx.db, 'accidents', { id: r.id, version: Number(r.version) }, body.version, { investigation: 'investigating', investigation_lead_by: body.leadBy }, at, '事故记录');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'investigate', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data: { leadBy: body.leadBy } });
    await audit(tx, { action: 'accident.investigating', entityType: ENTITY, entityId: id, districtCode: r.district_code, after: { leadBy: body.leadBy } });
  });
}

/** 调查结案: the report, the responsibility findings, and the hazards found onto the ledger in the same transaction. */
export function concludeInvestigation(ctx: ActorCtx, id: string, body: z.output<typeof InvestigationConclude>) {
  return step(ctx, id, 'conclude', body.version, async (tx, r, at) => {
    if (body.findings.length && !r.enterprise_id) throw fieldError('VALIDATION_FAILED', 'findings', '未关联企业的事故不能登记隐患', 'Hazards need the accident’s enterprise');
    const errors = checkFindings(body.findings, { itemIds: new Set(), today: shanghaiDate(tx.now()) });
    if (errors.length) throw new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, 'Invalid findings', { errors });
    const files = await checkAttachments(tx.db, tx.actor, body.reportFileIds, { required: true });
    await claimVersion(tx.db, 'accidents', { id: r.id, version: Number(r.version) }, body.version, { investigation: 'concluded', responsibility: body.responsibility, report_file_ids_json: JSON.stringify(files) }, at, '事故记录');
    let hazardIds: string[] = [];
    if (body.findings.length) {
      const ent = await tx.db.selectFrom('enterprises').select(['address', 'principal_name']).where('id', '=', r.enterprise_id!).executeTakeFirstOrThrow();
      hazardIds = (await findingsOntoLedger(tx, { type: ENTITY, id, source: 'accident_investigation', enterpriseId: r.enterprise_id!, foundByName: r.investigation_lead_by ?? tx.actor.displayName, defaultLocation: ent.address, responsibleName: ent.principal_name, assignComment: `事故调查（${r.code}）发现`, itemClause: () => null }, body.findings, at)).hazardIds;
    }
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'conclude', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.responsibility, data: { hazardIds }, fileIds: files });
    await audit(tx, { action: 'accident.concluded', entityType: ENTITY, entityId: id, districtCode: r.district_code, after: { files: files.length, hazardIds } });
  });
}

const EDITABLE = { place: 'place', narrative: 'narrative', category: 'category', fireOrRoad: 'fire_or_road', lng: 'lng', lat: 'lat' } as const;

/**
 * PATCH: what the record says of the accident — place, narrative, category, coordinates — and, while
 * the supplement window is open, its casualty figures (the grade recomputed, the same step as 伤亡补报).
 * Under the record's version; each change one event with what it was and what it is.
 */
export async function patchAccident(ctx: ActorCtx, id: string, body: z.output<typeof AccidentPatch>): Promise<AccidentDetail> {
  const r0 = await findAccident(ctx, id);
  const casualty = (['deaths', 'missing', 'seriousInjuries', 'directLossYuan'] as const).some((k) => body[k] !== undefined);
  const current = { place: r0.place, narrative: r0.narrative, category: r0.category, fireOrRoad: !!Number(r0.fire_or_road), lng: r0.lng === null ? null : Number(r0.lng), lat: r0.lat === null ? null : Number(r0.lat) };
  const changed = (Object.keys(EDITABLE) as (keyof typeof EDITABLE)[]).filter((k) => body[k] !== undefined && body[k] !== current[k]);
  if (!casualty && !changed.length) throw new AppError('VALIDATION_FAILED', '没有需要修改的内容', 'Nothing to change');
  // The fire/road flag sets the supplement window: changing it is a step of that window, not an edit.
  const action: AccidentAction = casualty || changed.includes('fireOrRoad') ? 'casualties' : 'edit';
  return step(ctx, id, action, body.version, async (tx, r, at) => {
    const set: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const k of changed) {
      before[k] = current[k];
      after[k] = body[k];
      set[EDITABLE[k]] = k === 'fireOrRoad' ? (body[k] ? 1 : 0) : body[k];
    }
    const was = casualtiesOf(r);
    const now: Casualties = { deaths: body.deaths ?? was.deaths, missing: body.missing ?? was.missing, seriousInjuries: body.seriousInjuries ?? was.seriousInjuries, lossYuan: body.directLossYuan ?? was.lossYuan };
    const g = await grade(tx, r.occurred_at, now);
    if (casualty) Object.assign(set, { deaths: now.deaths, missing: now.missing, serious_injuries: now.seriousInjuries, loss_yuan: now.lossYuan, grade: g.grade, grade_reason: g.reason });
    await claimVersion(tx.db, 'accidents', { id: r.id, version: Number(r.version) }, body.version, set, at, '事故记录');
    if (changed.length) await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'edited', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.note ?? null, data: { before, after } });
    if (casualty) await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'casualties', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.note ?? null, data: { before: was, after: now, gradeBefore: r.grade, grade: g.grade } });
    await audit(tx, { action: 'accident.edited', entityType: ENTITY, entityId: id, districtCode: r.district_code, before: { ...before, ...(casualty ? { ...was, grade: r.grade } : {}) }, after: { ...after, ...(casualty ? { ...now, grade: g.grade } : {}) } });
  });
}
