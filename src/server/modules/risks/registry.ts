/**
 * 城市安全风险清单 (#20, action 2): a risk item of a district (and street) — its place, the
 * enterprises it concerns, the method and inputs that assessed it, the score and level computed here
 * under the thresholds in force on the day (a level sent by a client is refused as an unknown field),
 * its control measures with owners and deadlines, its review date — and the hazards on the ledger
 * linked to it: an item with open major hazards is flagged. Each change an event and an audit record
 * in its transaction, under the item's version.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import type { ListResult } from '../../../shared/contracts/common';
import type { Risk, RiskDetail, RiskHazardLink, RiskInput, RiskMap, RiskMapQuery, RiskPatch, RiskQuery, RiskMethod, RiskLevel } from '../../../shared/contracts/risks';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { containsText } from '../../db/dialect';
import type { DB, RiskItemRow } from '../../db/schema';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent, claimVersion, nextRecordCode, recordEvents } from '../../records/records';
import { ruleValue, ruleVersions } from '../../rules/rules';
import { hazardScopeWhere, riskScopeWhere, scopeWhere, writesRisk } from '../../scope/scope';
import { checkPlacement } from '../enterprises/commands';
import { scopedEnterprises } from '../enterprises/repository';
import { assess, checkInputs, RISK_METHOD_RULE, type Assessed } from './methods';

const ENTITY = 'risk';
const OPEN = [...OPEN_STATUSES];

type Row = RiskItemRow & { district_name: string | null };

function scoped(ctx: ActorCtx) {
  return ctx.db.selectFrom('risk_items').leftJoin('regions as d', 'd.code', 'risk_items.district_code').where(riskScopeWhere<DB, 'risk_items'>(ctx.actor) as never);
}

async function findRisk(ctx: ActorCtx, id: string): Promise<Row> {
  const r = (await scoped(ctx).selectAll('risk_items').select('d.name as district_name').where('risk_items.id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!r) throw notFound('风险', 'risk item');
  return r;
}

/** Open and open-major hazards linked to each item, of those this reader may see. */
async function hazardCounts(ctx: ActorCtx, ids: string[]): Promise<Map<string, { open: number; major: number }>> {
  if (!ids.length) return new Map();
  const rows = await ctx.db
    .selectFrom('risk_hazards as rh')
    .innerJoin('hazards', 'hazards.id', 'rh.hazard_id')
    .select(['rh.risk_id', sql<number>`count(*)`.as('open'), sql<number>`sum(case when hazards.grade = 'major' then 1 else 0 end)`.as('major')])
    .where('rh.risk_id', 'in', ids)
    .where('hazards.status', 'in', OPEN)
    .where(hazardScopeWhere<DB, 'hazards'>(ctx.actor) as never)
    .groupBy('rh.risk_id')
    .execute();
  return new Map(rows.map((r) => [r.risk_id, { open: Number(r.open), major: Number(r.major ?? 0) }]));
}

/** Why the stored level is what it is, in words, from the stored inputs and the rule it was computed under. */
async function reasonOf(ctx: ActorCtx, r: RiskItemRow): Promise<{ zh: string; en: string }> {
  const rule = await ruleValue(ctx.db, r.city_code, RISK_METHOD_RULE, r.rule_from);
  const a = assess(r.method, JSON.parse(r.inputs_json) as Record<string, number>, rule);
  return { zh: a.reason, en: a.reasonEn };
}

function present(r: Row, counts: { open: number; major: number } | undefined, reason: { zh: string; en: string }, today: string): Risk {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    districtCode: r.district_code,
    districtName: r.district_name,
    streetCode: r.street_code,
    place: r.place,
    lng: r.lng === null ? null : Number(r.lng),
    lat: r.lat === null ? null : Number(r.lat),
    method: r.method,
    inputs: JSON.parse(r.inputs_json) as Record<string, number>,
    score: Number(r.score),
    level: r.level,
    levelReason: reason.zh,
    levelReasonEn: reason.en,
    reviewOn: r.review_on,
    reviewDue: !!r.review_on && r.review_on <= today,
    roundId: r.round_id,
    openHazards: counts?.open ?? 0,
    openMajorHazards: counts?.major ?? 0,
    flagged: (counts?.major ?? 0) > 0,
    version: Number(r.version),
    updatedAt: r.updated_at,
  };
}

/** The item has an open major hazard linked that this reader may see. */
const flagged = (ctx: ActorCtx) => (eb: ExpressionBuilder<DB, 'risk_items'>) =>
  eb.exists(
    (eb as unknown as ExpressionBuilder<DB, 'risk_hazards'>)
      .selectFrom('risk_hazards as rh')
      .innerJoin('hazards', 'hazards.id', 'rh.hazard_id')
      .select('rh.hazard_id')
      .whereRef('rh.risk_id', '=', 'risk_items.id' as never)
      .where('hazards.grade', '=', 'major')
      .where('hazards.status', 'in', OPEN)
      .where(hazardScopeWhere<DB, 'hazards'>(ctx.actor) as never),
  );

export async function listRisks(ctx: ActorCtx, q: z.output<typeof RiskQuery>): Promise<ListResult<Risk>> {
  let b = scoped(ctx);
  if (q.districtCode) b = b.where('risk_items.district_code', '=', q.districtCode);
  if (q.streetCode) b = b.where('risk_items.street_code', '=', q.streetCode);
  if (q.level) b = b.where('risk_items.level', '=', q.level);
  if (q.method) b = b.where('risk_items.method', '=', q.method);
  if (q.type) b = b.where('risk_items.type', '=', q.type);
  if (q.roundId) b = b.where('risk_items.round_id', '=', q.roundId);
  if (q.enterpriseId) b = b.where('risk_items.id', 'in', (eb) => eb.selectFrom('risk_item_enterprises').select('risk_id').where('enterprise_id', '=', q.enterpriseId!));
  if (q.flagged !== undefined) b = b.where((eb) => (q.flagged ? flagged(ctx)(eb as never) : eb.not(flagged(ctx)(eb as never))));
  if (q.q) b = b.where((eb) => eb.or([containsText(ctx.dialect, 'risk_items.name', q.q!), containsText(ctx.dialect, 'risk_items.code', q.q!), containsText(ctx.dialect, 'risk_items.place', q.q!)]));
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  // Red first, then by code: the list reads as the register is kept.
  const rows = (await b
    .selectAll('risk_items')
    .select('d.name as district_name')
    .orderBy(sql`case risk_items.level when 'red' then 0 when 'orange' then 1 when 'yellow' then 2 else 3 end`)
    .orderBy('risk_items.code')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute()) as Row[];
  const counts = await hazardCounts(ctx, rows.map((r) => r.id));
  const today = shanghaiDate(ctx.now());
  const reasons = await Promise.all(rows.map((r) => reasonOf(ctx, r)));
  return { items: rows.map((r, i) => present(r, counts.get(r.id), reasons[i], today)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

export async function riskDetail(ctx: ActorCtx, id: string): Promise<RiskDetail & { events: Awaited<ReturnType<typeof recordEvents>> }> {
  const r = await findRisk(ctx, id);
  const today = shanghaiDate(ctx.now());
  const counts = await hazardCounts(ctx, [id]);
  // The enterprises concerned that this reader may see (an enterprise: itself).
  const enterprises = await ctx.db
    .selectFrom('risk_item_enterprises as re')
    .innerJoin('enterprises', 'enterprises.id', 're.enterprise_id')
    .select(['enterprises.id', 'enterprises.name'])
    .where('re.risk_id', '=', id)
    .where(scopeWhere<DB, 'enterprises'>(ctx.actor, { city: 'enterprises.city_code', district: 'enterprises.district_code', street: 'enterprises.street_code', industry: 'enterprises.industry_code', enterpriseId: 'enterprises.id' }) as never)
    .orderBy('enterprises.name')
    .execute();
  // The linked hazards this reader may see (an enterprise its own), open ones first.
  const hazards = await ctx.db
    .selectFrom('risk_hazards as rh')
    .innerJoin('hazards', 'hazards.id', 'rh.hazard_id')
    .leftJoin('enterprises as e', 'e.id', 'hazards.enterprise_id')
    .select(['hazards.id', 'hazards.code', 'hazards.description', 'hazards.grade', 'hazards.status', 'hazards.deadline', 'e.name as enterprise_name'])
    .where('rh.risk_id', '=', id)
    .where(hazardScopeWhere<DB, 'hazards'>(ctx.actor) as never)
    .orderBy(sql`case when hazards.status in (${sql.join(OPEN)}) then 0 else 1 end`)
    .orderBy('hazards.code')
    .execute();
  const measures = JSON.parse(r.measures_json) as { measure: string; owner: string; deadline?: string | null }[];
  return {
    ...present(r, counts.get(id), await reasonOf(ctx, r), today),
    polygon: r.polygon_json ? (JSON.parse(r.polygon_json) as [number, number][]) : null,
    measures: measures.map((m) => ({ ...m, deadline: m.deadline ?? null, overdue: !!m.deadline && m.deadline < today })),
    enterprises: enterprises.map((e) => ({ id: e.id, name: e.name })),
    hazards: hazards.map((h) => ({ id: h.id, code: h.code, description: h.description, grade: h.grade, status: h.status, deadline: h.deadline, enterpriseName: h.enterprise_name })),
    ruleFrom: r.rule_from,
    createdAt: r.created_at,
    mayEdit: writesRisk(ctx.actor, { districtCode: r.district_code, streetCode: r.street_code }),
    events: await recordEvents(ctx.db, ENTITY, id),
  };
}

/** The method's inputs checked and assessed under the rule in force today; the version's date kept with the item. */
async function assessNow(ctx: ActorCtx, method: RiskMethod, inputs: unknown): Promise<Assessed & { ruleFrom: string }> {
  const checked = checkInputs(method, inputs);
  if (!checked.ok) throw new AppError('VALIDATION_FAILED', `输入有误：${checked.errors[0].message}`, 'Invalid inputs for the method', { errors: checked.errors });
  const today = shanghaiDate(ctx.now());
  const rule = await ruleValue(ctx.db, ctx.actor.cityCode, RISK_METHOD_RULE, today);
  const ruleFrom = (await ruleVersions(ctx.db, ctx.actor.cityCode, RISK_METHOD_RULE)).find((v) => v.effectiveFrom <= today)!.effectiveFrom;
  return { ...assess(method, checked.inputs, rule), ruleFrom };
}

async function checkEnterprises(ctx: ActorCtx, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = new Set((await scopedEnterprises(ctx.db, ctx.actor).select('enterprises.id').where('enterprises.id', 'in', unique).execute()).map((e) => e.id));
  const k = unique.findIndex((id) => !found.has(id));
  if (k >= 0) throw fieldError('UNKNOWN_ENTERPRISE', `enterpriseIds.${ids.indexOf(unique[k])}`, '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or outside your scope');
  return unique;
}

async function checkRound(ctx: ActorCtx, roundId: string | null | undefined, districtCode: string): Promise<string | null> {
  if (!roundId) return null;
  const round = await ctx.db.selectFrom('risk_rounds').select(['id', 'district_codes_json']).where('id', '=', roundId).where('city_code', '=', ctx.actor.cityCode).executeTakeFirst();
  if (!round) throw fieldError('VALIDATION_FAILED', 'roundId', '评估轮次不存在', 'Unknown round');
  if (!(JSON.parse(round.district_codes_json) as string[]).includes(districtCode)) throw fieldError('VALIDATION_FAILED', 'roundId', '该区不在此评估轮次范围内', 'The district is not in this round');
  return round.id;
}

function checkPoint(body: { lng?: number | null; lat?: number | null }) {
  if ((body.lng == null) !== (body.lat == null)) throw fieldError('VALIDATION_FAILED', body.lng == null ? 'lng' : 'lat', '经度和纬度须同时填写', 'Give both longitude and latitude');
}

/** 新增风险: the level computed, never taken. */
export async function createRisk(ctx: ActorCtx, body: z.output<typeof RiskInput>): Promise<RiskDetail> {
  const a = ctx.actor;
  await checkPlacement(ctx.db, a.cityCode, { districtCode: body.districtCode, streetCode: body.streetCode ?? null, industryCode: null });
  if (!writesRisk(a, { districtCode: body.districtCode, streetCode: body.streetCode ?? null })) throw forbidden('风险由市、区安委办和街镇在本辖区登记', 'Risk items are recorded by the offices of their place');
  checkPoint(body);
  const assessed = await assessNow(ctx, body.method, body.inputs);
  const enterprises = await checkEnterprises(ctx, body.enterpriseIds ?? []);
  const roundId = await checkRound(ctx, body.roundId, body.districtCode);
  const id = await transact(ctx, async (tx) => {
    const now = tx.now().toISOString();
    const id = uuidv7();
    const code = await nextRecordCode(tx.db, 'FX', body.districtCode, Number(shanghaiDate(tx.now()).slice(0, 4)));
    await tx.db
      .insertInto('risk_items')
      .values({
        id,
        code,
        city_code: a.cityCode,
        district_code: body.districtCode,
        street_code: body.streetCode ?? null,
        name: body.name,
        type: body.type,
        place: body.place ?? null,
        lng: body.lng ?? null,
        lat: body.lat ?? null,
        polygon_json: body.polygon ? JSON.stringify(body.polygon) : null,
        method: body.method,
        inputs_json: JSON.stringify(assessed.inputs),
        score: assessed.score,
        level: assessed.level,
        rule_from: assessed.ruleFrom,
        measures_json: JSON.stringify(body.measures ?? []),
        review_on: body.reviewOn ?? null,
        round_id: roundId,
        version: 1,
        created_by: a.userId || null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (enterprises.length) await tx.db.insertInto('risk_item_enterprises').values(enterprises.map((e) => ({ risk_id: id, enterprise_id: e }))).execute();
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'created', actorId: a.userId || null, actorName: a.displayName, at: now, data: { method: body.method, inputs: assessed.inputs, score: assessed.score, level: assessed.level } });
    await audit(tx, { action: 'risk.created', entityType: ENTITY, entityId: id, districtCode: body.districtCode, after: { code, name: body.name, method: body.method, inputs: assessed.inputs, score: assessed.score, level: assessed.level, enterprises } });
    return id;
  });
  return riskDetail(ctx, id);
}

const COLUMNS = { name: 'name', type: 'type', districtCode: 'district_code', streetCode: 'street_code', place: 'place', lng: 'lng', lat: 'lat', reviewOn: 'review_on', roundId: 'round_id' } as const;

/** 修改风险: any field; new inputs or a new method are assessed again under today's thresholds. */
export async function patchRisk(ctx: ActorCtx, id: string, body: z.output<typeof RiskPatch>): Promise<RiskDetail> {
  const r0 = await findRisk(ctx, id);
  if (!writesRisk(ctx.actor, { districtCode: r0.district_code, streetCode: r0.street_code })) throw forbidden('风险由市、区安委办和街镇在本辖区修改', 'Risk items are changed by the offices of their place');
  const districtCode = body.districtCode ?? r0.district_code;
  const streetCode = body.streetCode !== undefined ? body.streetCode : body.districtCode && body.districtCode !== r0.district_code ? null : r0.street_code;
  if (body.districtCode !== undefined || body.streetCode !== undefined) {
    await checkPlacement(ctx.db, ctx.actor.cityCode, { districtCode, streetCode, industryCode: null });
    if (!writesRisk(ctx.actor, { districtCode, streetCode })) throw forbidden('不能把风险移出您的辖区', 'You cannot move the item out of your region');
  }
  checkPoint({ lng: body.lng !== undefined ? body.lng : r0.lng, lat: body.lat !== undefined ? body.lat : r0.lat });
  const reassess = body.method !== undefined || body.inputs !== undefined;
  const method = body.method ?? r0.method;
  const assessed = reassess ? await assessNow(ctx, method, body.inputs ?? JSON.parse(r0.inputs_json)) : null;
  const enterprises = body.enterpriseIds ? await checkEnterprises(ctx, body.enterpriseIds) : null;
  // A move to another district keeps the item in its round only where the round covers that district.
  const roundId = body.roundId !== undefined ? await checkRound(ctx, body.roundId, districtCode) : districtCode !== r0.district_code && r0.round_id ? await checkRound(ctx, r0.round_id, districtCode) : undefined;
  await transact(ctx, async (tx) => {
    const r = await findRisk(tx, id);
    const set: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
      const value = k === 'streetCode' ? streetCode : k === 'roundId' ? roundId : body[k];
      if (value === undefined || value === (r as Record<string, unknown>)[c]) continue;
      set[c] = value;
      before[k] = (r as Record<string, unknown>)[c];
      after[k] = value;
    }
    if (body.polygon !== undefined) {
      set.polygon_json = body.polygon ? JSON.stringify(body.polygon) : null;
      after.polygon = body.polygon ? `${body.polygon.length} points` : null;
    }
    if (body.measures !== undefined) {
      set.measures_json = JSON.stringify(body.measures);
      before.measures = JSON.parse(r.measures_json);
      after.measures = body.measures;
    }
    if (assessed) {
      Object.assign(set, { method, inputs_json: JSON.stringify(assessed.inputs), score: assessed.score, level: assessed.level, rule_from: assessed.ruleFrom });
      Object.assign(before, { method: r.method, inputs: JSON.parse(r.inputs_json), score: Number(r.score), level: r.level });
      Object.assign(after, { method, inputs: assessed.inputs, score: assessed.score, level: assessed.level });
    }
    if (enterprises) {
      const was = (await tx.db.selectFrom('risk_item_enterprises').select('enterprise_id').where('risk_id', '=', id).execute()).map((e) => e.enterprise_id).sort();
      if (was.join() !== [...enterprises].sort().join()) {
        await tx.db.deleteFrom('risk_item_enterprises').where('risk_id', '=', id).execute();
        if (enterprises.length) await tx.db.insertInto('risk_item_enterprises').values(enterprises.map((e) => ({ risk_id: id, enterprise_id: e }))).execute();
        before.enterprises = was;
        after.enterprises = enterprises;
      }
    }
    if (!Object.keys(after).length) throw new AppError('VALIDATION_FAILED', '没有需要修改的内容', 'Nothing to change');
    const at = tx.now().toISOString();
    await claimVersion(tx.db, 'risk_items', { id, version: Number(r.version) }, body.version, set, at, '风险');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: assessed ? 'reassessed' : 'edited', actorId: tx.actor.userId || null, actorName: tx.actor.displayName, at, comment: body.note ?? null, data: { before, after } });
    await audit(tx, { action: 'risk.edited', entityType: ENTITY, entityId: id, districtCode: r.district_code, before, after });
  });
  return riskDetail(ctx, id);
}

/** 关联隐患: hazards this writer can see, linked once each. */
export async function linkHazards(ctx: ActorCtx, id: string, body: z.output<typeof RiskHazardLink>): Promise<RiskDetail> {
  await transact(ctx, async (tx) => {
    const r = await findRisk(tx, id);
    if (!writesRisk(tx.actor, { districtCode: r.district_code, streetCode: r.street_code })) throw forbidden('由风险所在辖区的安委办或街镇关联隐患', 'Hazards are linked by the offices of the item’s place');
    const ids = [...new Set(body.hazardIds)];
    const seen = new Set((await tx.db.selectFrom('hazards').select('hazards.id').where('hazards.id', 'in', ids).where(hazardScopeWhere<DB, 'hazards'>(tx.actor) as never).execute()).map((h) => h.id));
    const k = body.hazardIds.findIndex((h) => !seen.has(h));
    if (k >= 0) throw fieldError('VALIDATION_FAILED', `hazardIds.${k}`, '隐患不存在或无权查看', 'Unknown hazard');
    const at = tx.now().toISOString();
    const added = await tx.db.insertInto('risk_hazards').values(ids.map((h) => ({ risk_id: id, hazard_id: h, linked_by: tx.actor.userId || null, linked_at: at }))).onConflict((oc) => oc.columns(['risk_id', 'hazard_id']).doNothing()).executeTakeFirst();
    if (!Number(added.numInsertedOrUpdatedRows ?? 0)) throw fieldError('VALIDATION_FAILED', 'hazardIds', '所选隐患均已关联', 'Already linked');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'hazards_linked', actorId: tx.actor.userId || null, actorName: tx.actor.displayName, at, data: { hazardIds: ids } });
    await audit(tx, { action: 'risk.hazards_linked', entityType: ENTITY, entityId: id, districtCode: r.district_code, after: { hazardIds: ids } });
  });
  return riskDetail(ctx, id);
}

export async function unlinkHazard(ctx: ActorCtx, id: string, hazardId: string): Promise<RiskDetail> {
  await transact(ctx, async (tx) => {
    const r = await findRisk(tx, id);
    if (!writesRisk(tx.actor, { districtCode: r.district_code, streetCode: r.street_code })) throw forbidden('由风险所在辖区的安委办或街镇取消关联', 'Links are removed by the offices of the item’s place');
    const d = await tx.db.deleteFrom('risk_hazards').where('risk_id', '=', id).where('hazard_id', '=', hazardId).executeTakeFirst();
    if (!Number(d.numDeletedRows)) throw notFound('关联的隐患', 'linked hazard');
    const at = tx.now().toISOString();
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'hazard_unlinked', actorId: tx.actor.userId || null, actorName: tx.actor.displayName, at, data: { hazardId } });
    await audit(tx, { action: 'risk.hazard_unlinked', entityType: ENTITY, entityId: id, districtCode: r.district_code, before: { hazardId } });
  });
  return riskDetail(ctx, id);
}

/** 风险地图: every item in scope with a point, coloured by level, and the count per district and level. */
export async function riskMap(ctx: ActorCtx, q: z.output<typeof RiskMapQuery>): Promise<z.infer<typeof RiskMap>> {
  let b = scoped(ctx);
  if (q.districtCode) b = b.where('risk_items.district_code', '=', q.districtCode);
  if (q.roundId) b = b.where('risk_items.round_id', '=', q.roundId);
  if (q.level) b = b.where('risk_items.level', '=', q.level);
  const rows = await b
    .select(['risk_items.id', 'risk_items.name', 'risk_items.district_code', 'd.name as district_name', 'risk_items.level', 'risk_items.lng', 'risk_items.lat'])
    .select((eb) => eb.case().when(flagged(ctx)(eb as never)).then(1).else(0).end().as('flagged'))
    .orderBy('risk_items.code')
    .limit(20_000)
    .execute();
  const byDistrict = new Map<string, { districtCode: string; districtName: string } & Record<RiskLevel, number>>();
  // Every district the reader's region holds shows, with or without items (an enterprise: the districts of its items).
  if (ctx.actor.role !== 'enterprise' && ctx.actor.role !== 'expert' && ctx.actor.role !== 'tip_custodian') {
    let d = ctx.db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').where('parent_code', '=', ctx.actor.cityCode);
    if (ctx.actor.districtCode) d = d.where('code', '=', ctx.actor.districtCode);
    if (q.districtCode) d = d.where('code', '=', q.districtCode);
    for (const r of await d.execute()) byDistrict.set(r.code, { districtCode: r.code, districtName: r.name, red: 0, orange: 0, yellow: 0, blue: 0 });
  }
  for (const r of rows) {
    const d = byDistrict.get(r.district_code) ?? { districtCode: r.district_code, districtName: r.district_name ?? r.district_code, red: 0, orange: 0, yellow: 0, blue: 0 };
    d[r.level]++;
    byDistrict.set(r.district_code, d);
  }
  const placed = rows.filter((r) => r.lng !== null && r.lat !== null);
  return {
    points: placed.map((r) => ({ id: r.id, name: r.name, districtCode: r.district_code, level: r.level, lng: Number(r.lng), lat: Number(r.lat), flagged: !!Number(r.flagged) })),
    byDistrict: [...byDistrict.values()].sort((x, y) => x.districtCode.localeCompare(y.districtCode)),
    withoutPlace: rows.length - placed.length,
  };
}
