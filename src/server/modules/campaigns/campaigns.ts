/**
 * 综合整治 / 专项整治 (#20, action 2): a campaign (topic, period, districts, checklist) set up by the
 * city's office (any districts) or a district's (its own); its targets — enterprises in the setter's
 * scope, or places that are not enterprises — each checked once, by officers, an expert assigned to
 * the enterprise or the enterprise itself (self-check); the check's findings go onto the ledger
 * (findingsOntoLedger) with the target as their origin. Progress per district counts the targets, the
 * checks and the ledger's hazards of the campaign as they stand now.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { AddedTargets, Campaign, CampaignDetail, CampaignInput, CampaignProgress, CampaignQuery, CheckInput, Target, TargetQuery, TargetsInput } from '../../../shared/contracts/campaigns';
import { CAMPAIGN_TOPIC_LABELS, CHECKER_LABELS } from '../../../shared/contracts/campaigns';
import type { ListResult } from '../../../shared/contracts/common';
import { OPEN_STATUSES, type HazardSource } from '../../../shared/contracts/hazards';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { CampaignsTable, CampaignTargetsTable, DB } from '../../db/schema';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent, nextRecordCode } from '../../records/records';
import { campaignTargetWhere, checksCampaignTarget, districtsSeenBy, managesCampaign, rowInScope } from '../../scope/scope';
import { checkPlacement } from '../enterprises/commands';
import { checkFindings, findingsOfOrigins, findingsOntoLedger } from '../hazards/findings';

export const TARGET_ORIGIN = 'campaign_target';
const OPEN = [...OPEN_STATUSES];
type CampaignT = z.infer<typeof Campaign>;

const stateOf = (r: CampaignsTable, today: string) => (today < r.starts_on ? 'planned' : today > r.ends_on ? 'ended' : 'running');

/** The districts of a campaign this reader follows (scope.ts); an enterprise or an expert follows the campaigns it has targets in (findCampaign). */
const seen = (ctx: ActorCtx, districts: string[]) => districtsSeenBy(ctx.actor, districts);

async function findCampaign(ctx: ActorCtx, id: string): Promise<CampaignsTable> {
  const r = await ctx.db.selectFrom('campaigns').selectAll().where('id', '=', id).where('city_code', '=', ctx.actor.cityCode).executeTakeFirst();
  if (!r) throw notFound('整治行动', 'campaign');
  const districts = JSON.parse(r.district_codes_json) as string[];
  if (seen(ctx, districts).length) return r;
  // An enterprise or an expert follows the campaigns it has targets in.
  const mine = await ctx.db.selectFrom('campaign_targets as t').select('t.id').where('t.campaign_id', '=', id).where(campaignTargetWhere<DB, 'campaign_targets'>(ctx.actor) as never).executeTakeFirst();
  if (!mine) throw notFound('整治行动', 'campaign');
  return r;
}

/** Targets, checks and the ledger's hazards of the campaign, per district, over the targets this reader sees. */
async function counts(ctx: ActorCtx, campaignId: string) {
  const t = await ctx.db
    .selectFrom('campaign_targets as t')
    .select(['t.district_code', sql<number>`count(*)`.as('targets'), sql<number>`sum(case when t.status = 'checked' then 1 else 0 end)`.as('checked')])
    .where('t.campaign_id', '=', campaignId)
    .where(campaignTargetWhere<DB, 'campaign_targets'>(ctx.actor) as never)
    .groupBy('t.district_code')
    .execute();
  const h = await ctx.db
    .selectFrom('campaign_targets as t')
    .innerJoin('hazard_origins as o', (j) => j.onRef('o.origin_id', '=', 't.id').on('o.origin_type', '=', TARGET_ORIGIN))
    .innerJoin('hazards as hz', 'hz.id', 'o.hazard_id')
    .select([
      't.district_code',
      sql<number>`count(*)`.as('hazards'),
      sql<number>`sum(case when hz.grade = 'major' then 1 else 0 end)`.as('major'),
      sql<number>`sum(case when hz.status = 'closed' then 1 else 0 end)`.as('closed'),
      sql<number>`sum(case when hz.status in (${sql.join(OPEN)}) then 1 else 0 end)`.as('open'),
    ])
    .where('t.campaign_id', '=', campaignId)
    .where(campaignTargetWhere<DB, 'campaign_targets'>(ctx.actor) as never)
    .groupBy('t.district_code')
    .execute();
  const by = new Map<string, { targets: number; checked: number; hazards: number; major: number; closed: number; open: number }>();
  for (const r of t) by.set(r.district_code, { targets: Number(r.targets), checked: Number(r.checked ?? 0), hazards: 0, major: 0, closed: 0, open: 0 });
  for (const r of h) Object.assign(by.get(r.district_code) ?? {}, { hazards: Number(r.hazards), major: Number(r.major ?? 0), closed: Number(r.closed ?? 0), open: Number(r.open ?? 0) });
  const totals = { targets: 0, checked: 0, hazards: 0, major: 0, closed: 0, open: 0 };
  for (const v of by.values()) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += v[k];
  return { by, totals };
}

async function present(ctx: ActorCtx, r: CampaignsTable): Promise<CampaignT> {
  const { totals } = await counts(ctx, r.id);
  return { id: r.id, code: r.code, topic: r.topic, title: r.title, from: r.starts_on, to: r.ends_on, state: stateOf(r, shanghaiDate(ctx.now())), districtCodes: JSON.parse(r.district_codes_json) as string[], ...totals, createdAt: r.created_at };
}

export async function listCampaigns(ctx: ActorCtx, q: z.output<typeof CampaignQuery>): Promise<ListResult<CampaignT>> {
  let b = ctx.db.selectFrom('campaigns').selectAll().where('city_code', '=', ctx.actor.cityCode);
  if (q.topic) b = b.where('topic', '=', q.topic);
  const rows = await b.orderBy('starts_on', 'desc').orderBy('id').execute();
  const visible: CampaignsTable[] = [];
  for (const r of rows) {
    const districts = JSON.parse(r.district_codes_json) as string[];
    if (q.districtCode && !districts.includes(q.districtCode)) continue;
    if (seen(ctx, districts).length || (await ctx.db.selectFrom('campaign_targets as t').select('t.id').where('t.campaign_id', '=', r.id).where(campaignTargetWhere<DB, 'campaign_targets'>(ctx.actor) as never).executeTakeFirst())) visible.push(r);
  }
  const page = visible.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  return { items: await Promise.all(page.map((r) => present(ctx, r))), total: visible.length, page: q.page, pageSize: q.pageSize };
}

export async function campaignDetail(ctx: ActorCtx, id: string): Promise<z.infer<typeof CampaignDetail>> {
  const r = await findCampaign(ctx, id);
  return { ...(await present(ctx, r)), checklist: JSON.parse(r.checklist_json) as { id: string; text: string }[], mayManage: managesCampaign(ctx.actor, JSON.parse(r.district_codes_json) as string[]) };
}

export async function campaignProgress(ctx: ActorCtx, id: string): Promise<z.infer<typeof CampaignProgress>> {
  const r = await findCampaign(ctx, id);
  const { by, totals } = await counts(ctx, id);
  const names = new Map((await ctx.db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').execute()).map((x) => [x.code, x.name]));
  const districts = (JSON.parse(r.district_codes_json) as string[]).filter((d) => by.has(d) || seen(ctx, [d]).length);
  return { campaignId: id, totals, byDistrict: districts.map((d) => ({ districtCode: d, districtName: names.get(d) ?? d, ...(by.get(d) ?? { targets: 0, checked: 0, hazards: 0, major: 0, closed: 0, open: 0 }) })) };
}

/** Adds targets in one transaction: enterprises in the manager's scope and the campaign's districts; places by name. Each once. */
async function addTargets(tx: ActorCtx, c: CampaignsTable, body: { enterpriseIds: string[]; places: { name: string; districtCode: string; streetCode?: string | null }[] }): Promise<{ added: number; already: number }> {
  const districts = JSON.parse(c.district_codes_json) as string[];
  const ids = [...new Set(body.enterpriseIds)];
  const ents = ids.length ? await tx.db.selectFrom('enterprises').select(['id', 'name', 'city_code', 'district_code', 'street_code', 'industry_code']).where('id', 'in', ids).execute() : [];
  const byId = new Map(ents.map((e) => [e.id, e]));
  const rows: CampaignTargetsTable[] = [];
  const at = tx.now().toISOString();
  const base = { campaign_id: c.id, city_code: c.city_code, status: 'pending' as const, checked_on: null, checked_by_kind: null, checked_by_name: null, results_json: null, note: null, added_by: tx.actor.userId || null, added_at: at, updated_at: at, version: 1 };
  body.enterpriseIds.forEach((id, i) => {
    const e = byId.get(id);
    if (!e || !rowInScope(tx.actor, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.id })) throw fieldError('UNKNOWN_ENTERPRISE', `enterpriseIds.${i}`, '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or outside your scope');
    if (!districts.includes(e.district_code)) throw fieldError('VALIDATION_FAILED', `enterpriseIds.${i}`, `${e.name}不在本次整治的区域内`, 'The enterprise is outside the campaign’s districts');
    rows.push({ ...base, id: uuidv7(), district_code: e.district_code, street_code: e.street_code, industry_code: e.industry_code, enterprise_id: e.id, target_key: e.id, place_name: e.name });
  });
  for (const [i, p] of body.places.entries()) {
    await checkPlacement(tx.db, tx.actor.cityCode, { districtCode: p.districtCode, streetCode: p.streetCode ?? null, industryCode: null }).catch((e: unknown) => {
      if (e instanceof AppError && e.errors) throw new AppError(e.code, e.message, e.messageEn, { errors: e.errors.map((x) => ({ ...x, path: `places.${i}.${x.path}` })) });
      throw e;
    });
    if (!districts.includes(p.districtCode) || !managesCampaign(tx.actor, [p.districtCode])) throw fieldError('VALIDATION_FAILED', `places.${i}.districtCode`, '该场所不在本次整治（或您管辖）的区域内', 'The place is outside the campaign or your region');
    rows.push({ ...base, id: uuidv7(), district_code: p.districtCode, street_code: p.streetCode ?? null, industry_code: null, enterprise_id: null, target_key: `place:${p.districtCode}:${p.name}`, place_name: p.name });
  }
  let added = 0;
  for (const r of rows) {
    const ins = await tx.db.insertInto('campaign_targets').values(r).onConflict((oc) => oc.columns(['campaign_id', 'target_key']).doNothing()).executeTakeFirst();
    added += Number(ins.numInsertedOrUpdatedRows ?? 0);
  }
  return { added, already: rows.length - added };
}

/** 部署整治: the city's office for any districts, a district's office for its own. */
export async function createCampaign(ctx: ActorCtx, body: z.output<typeof CampaignInput>): Promise<z.infer<typeof CampaignDetail>> {
  const a = ctx.actor;
  if (body.to < body.from) throw fieldError('VALIDATION_FAILED', 'to', '结束日期不能早于开始日期', 'The end is before the start');
  const city = (await ctx.db.selectFrom('regions').select('code').where('level', '=', 'district').where('parent_code', '=', a.cityCode).orderBy('sort').orderBy('code').execute()).map((d) => d.code);
  const districts = body.districtCodes?.length ? [...new Set(body.districtCodes)] : a.role === 'district_officer' && a.districtCode ? [a.districtCode] : city;
  const k = districts.findIndex((d) => !city.includes(d));
  if (k >= 0) throw fieldError('UNKNOWN_REGION', `districtCodes.${k}`, `未知的区代码：${districts[k]}`, 'Unknown district');
  if (!managesCampaign(a, districts)) throw forbidden('整治行动由市安委办部署，区安委办部署本区的', 'Campaigns are set up by the city office, or a district office for its own district');
  const id = uuidv7();
  await transact(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const code = await nextRecordCode(tx.db, 'ZZ', districts.length === 1 ? districts[0] : a.cityCode, Number(body.from.slice(0, 4)));
    const checklist = body.checklist.map((c) => ({ id: uuidv7(), text: c.text }));
    const row: CampaignsTable = { id, city_code: a.cityCode, code, topic: body.topic, title: body.title, starts_on: body.from, ends_on: body.to, district_codes_json: JSON.stringify(districts), checklist_json: JSON.stringify(checklist), created_by: a.userId || null, created_at: at, updated_at: at, version: 1 };
    await tx.db.insertInto('campaigns').values(row).execute();
    const t = await addTargets(tx, row, { enterpriseIds: body.enterpriseIds, places: body.places });
    await appendRecordEvent(tx.db, { entityType: 'campaign', entityId: id, action: 'created', actorId: a.userId || null, actorName: a.displayName, at, data: { topic: body.topic, districts: districts.length, targets: t.added } });
    await audit(tx, { action: 'campaign.created', entityType: 'campaign', entityId: id, districtCode: districts.length === 1 ? districts[0] : undefined, after: { code, topic: CAMPAIGN_TOPIC_LABELS[body.topic].zh, title: body.title, from: body.from, to: body.to, districts, checklist: checklist.length, targets: t.added } });
  });
  return campaignDetail(ctx, id);
}

export async function addCampaignTargets(ctx: ActorCtx, id: string, body: z.output<typeof TargetsInput>): Promise<z.infer<typeof AddedTargets>> {
  const c = await findCampaign(ctx, id);
  const districts = JSON.parse(c.district_codes_json) as string[];
  if (!managesCampaign(ctx.actor, districts) && !districts.some((d) => managesCampaign(ctx.actor, [d]))) throw forbidden('由部署整治的市、区安委办添加整治对象', 'Targets are added by the offices running the campaign');
  return transact(ctx, async (tx) => {
    const r = await addTargets(tx, c, body);
    if (r.added) await audit(tx, { action: 'campaign.targets_added', entityType: 'campaign', entityId: id, after: r });
    return r;
  });
}

async function presentTargets(ctx: ActorCtx, rows: CampaignTargetsTable[]): Promise<z.infer<typeof Target>[]> {
  const found = await findingsOfOrigins(ctx.db, TARGET_ORIGIN, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    enterpriseId: r.enterprise_id,
    placeName: r.place_name,
    districtCode: r.district_code,
    streetCode: r.street_code,
    status: r.status,
    checkedOn: r.checked_on,
    checkedBy: r.checked_by_kind,
    checkedByName: r.checked_by_name,
    results: r.results_json ? (JSON.parse(r.results_json) as { itemId: string; ok: boolean; note?: string | null }[]) : null,
    note: r.note,
    findings: (found.get(r.id) ?? []).map((f) => ({ hazardId: f.hazardId, code: f.code, description: f.description, grade: f.grade, status: f.status })),
    version: Number(r.version),
  }));
}

export async function listTargets(ctx: ActorCtx, id: string, q: z.output<typeof TargetQuery>): Promise<ListResult<z.infer<typeof Target>>> {
  await findCampaign(ctx, id);
  let b = ctx.db.selectFrom('campaign_targets as t').where('t.campaign_id', '=', id).where(campaignTargetWhere<DB, 'campaign_targets'>(ctx.actor) as never);
  if (q.districtCode) b = b.where('t.district_code', '=', q.districtCode);
  if (q.status) b = b.where('t.status', '=', q.status);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = (await b.selectAll('t').orderBy('t.district_code').orderBy('t.place_name').orderBy('t.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute()) as CampaignTargetsTable[];
  return { items: await presentTargets(ctx, rows), total: Number(n), page: q.page, pageSize: q.pageSize };
}

const SOURCE: Record<'expert' | 'self_check', HazardSource> = { expert: 'expert_inspection', self_check: 'self_check' };

/** 整治检查: a target checked once, under its version; its findings onto the ledger in the same transaction. */
export async function checkTarget(ctx: ActorCtx, id: string, targetId: string, body: z.output<typeof CheckInput>): Promise<z.infer<typeof Target>> {
  const c = await findCampaign(ctx, id);
  const today = shanghaiDate(ctx.now());
  if (body.checkedOn > today) throw fieldError('VALIDATION_FAILED', 'checkedOn', '检查日期不能晚于今天', 'The check cannot be in the future');
  if (body.checkedOn < c.starts_on) throw fieldError('VALIDATION_FAILED', 'checkedOn', `检查日期不能早于整治开始日期（${c.starts_on}）`, 'Before the campaign began');
  const checklist = JSON.parse(c.checklist_json) as { id: string; text: string }[];
  const items = new Set(checklist.map((x) => x.id));
  const k = body.results.findIndex((r) => !items.has(r.itemId));
  if (k >= 0) throw fieldError('VALIDATION_FAILED', `results.${k}.itemId`, '检查项不在本次整治的检查表上', 'Not an item of the checklist');
  const errors = checkFindings(body.findings, { itemIds: items, today, deadlines: body.by !== 'expert' });
  if (errors.length) throw new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, 'Invalid findings', { errors });
  await transact(ctx, async (tx) => {
    const t = await tx.db.selectFrom('campaign_targets as t').selectAll('t').where('t.id', '=', targetId).where('t.campaign_id', '=', id).where(campaignTargetWhere<DB, 'campaign_targets'>(tx.actor) as never).executeTakeFirst();
    if (!t) throw notFound('整治对象', 'target');
    const who = checksCampaignTarget(tx.actor, body.by, t);
    if (who) throw forbidden(who, 'You may not record this check');
    if (t.status === 'checked') throw new AppError('INVALID_TRANSITION', '该对象已完成整治检查', 'Already checked');
    if (body.version !== Number(t.version)) throw new AppError('VERSION_CONFLICT', '该整治对象已被更新，请刷新后重试', 'The target changed; reload and try again');
    if (body.findings.length && !t.enterprise_id) throw fieldError('VALIDATION_FAILED', 'findings', '非企业场所的问题请移交属地处理，不能直接登记为企业隐患', 'Findings at a place that is not an enterprise cannot go onto the ledger');
    const at = tx.now().toISOString();
    const name = body.checkedByName ?? tx.actor.displayName;
    const u = await tx.db
      .updateTable('campaign_targets')
      .set({ status: 'checked', checked_on: body.checkedOn, checked_by_kind: body.by, checked_by_name: name, results_json: JSON.stringify(body.results), note: body.note ?? null, version: Number(t.version) + 1, updated_at: at })
      .where('id', '=', targetId)
      .where('version', '=', Number(t.version))
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该整治对象刚刚已被更新，请刷新后重试', 'The target just changed; reload and try again');
    let hazardIds: string[] = [];
    if (body.findings.length) {
      const ent = await tx.db.selectFrom('enterprises').select(['address', 'principal_name']).where('id', '=', t.enterprise_id!).executeTakeFirstOrThrow();
      const source: HazardSource = body.by === 'officer' ? (tx.actor.role === 'inspector' ? 'enforcement_inspection' : 'routine_inspection') : SOURCE[body.by];
      hazardIds = (
        await findingsOntoLedger(tx, { type: TARGET_ORIGIN, id: targetId, source, enterpriseId: t.enterprise_id!, foundByName: name, defaultLocation: ent.address, responsibleName: ent.principal_name, assignComment: `${c.title}（${c.code}）整治检查发现`, itemClause: () => null, enterpriseSource: body.by === 'self_check' ? 'self_check' : undefined }, body.findings, `${body.checkedOn}T02:00:00.000Z` > at ? at : `${body.checkedOn}T02:00:00.000Z`)
      ).hazardIds;
    }
    await appendRecordEvent(tx.db, { entityType: 'campaign', entityId: id, action: 'checked', actorId: tx.actor.userId || null, actorName: tx.actor.displayName, at, data: { targetId, by: body.by, hazardIds } });
    await audit(tx, { action: 'campaign.target_checked', entityType: 'campaign', entityId: id, districtCode: t.district_code, after: { targetId, place: t.place_name, by: CHECKER_LABELS[body.by].zh, checkedOn: body.checkedOn, failed: body.results.filter((r) => !r.ok).length, hazardIds } });
  });
  const row = (await ctx.db.selectFrom('campaign_targets').selectAll().where('id', '=', targetId).executeTakeFirstOrThrow()) as CampaignTargetsTable;
  return (await presentTargets(ctx, [row]))[0];
}

