/**
 * 风险评估轮次 (#20): a round (the plan's full urban risk assessment of 2024) has its districts, a
 * period and a completion rule — at least so many items assessed in the round, and the district's
 * report submitted. Each district's office submits its part (the items it assessed are counted at that
 * moment); the city reads completion per district, counted from the items themselves.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { RiskLevel, RiskRound, RiskRoundInput, RiskRoundSubmission, RoundCompletion, RoundListQuery } from '../../../shared/contracts/risks';
import { audit, transact, type ActorCtx } from '../../context';
import type { RiskRoundsTable } from '../../db/schema';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { districtsSeenBy, startsRiskRounds, submitsForDistrict } from '../../scope/scope';
import { checkAttachments } from '../files/commands';

type Round = z.infer<typeof RiskRound>;
type Completion = z.infer<typeof RoundCompletion>;

/** Which districts of a round this reader sees (scope.ts). */
const seenDistricts = (ctx: ActorCtx, all: string[]) => districtsSeenBy(ctx.actor, all);

async function districtsOfCity(ctx: ActorCtx): Promise<{ code: string; name: string }[]> {
  return ctx.db.selectFrom('regions').select(['code', 'name']).where('parent_code', '=', ctx.actor.cityCode).where('level', '=', 'district').orderBy('sort').orderBy('code').execute();
}

async function completionOf(ctx: ActorCtx, r: RiskRoundsTable): Promise<Completion> {
  const all = JSON.parse(r.district_codes_json) as string[];
  const codes = seenDistricts(ctx, all);
  const names = new Map((await districtsOfCity(ctx)).map((d) => [d.code, d.name]));
  const counts = codes.length
    ? await ctx.db.selectFrom('risk_items').select(['district_code', 'level', sql<number>`count(*)`.as('n')]).where('round_id', '=', r.id).where('district_code', 'in', codes).groupBy(['district_code', 'level']).execute()
    : [];
  const subs = codes.length ? await ctx.db.selectFrom('risk_round_submissions').selectAll().where('round_id', '=', r.id).where('district_code', 'in', codes).execute() : [];
  const districts = codes.map((code) => {
    const byLevel: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
    for (const c of counts) if (c.district_code === code) byLevel[c.level] = Number(c.n);
    const items = byLevel.red + byLevel.orange + byLevel.yellow + byLevel.blue;
    const sub = subs.find((s) => s.district_code === code);
    const missing: string[] = [];
    if (items < r.min_items) missing.push(`已评估 ${items} 项，至少需 ${r.min_items} 项`);
    if (!sub) missing.push('尚未提交');
    else if (r.needs_report && !sub.report_file_id) missing.push('未上传评估报告');
    return { districtCode: code, districtName: names.get(code) ?? code, items, byLevel, submittedAt: sub?.submitted_at ?? null, submittedBy: sub?.submitted_by_name ?? null, reportFileId: sub?.report_file_id ?? null, complete: missing.length === 0, missing };
  });
  const complete = districts.filter((d) => d.complete).length;
  return { round: present(r, complete, districts.length), districts, complete, total: districts.length };
}

const present = (r: RiskRoundsTable, complete: number, districts: number): Round => ({
  id: r.id,
  name: r.name,
  from: r.period_from,
  to: r.period_to,
  districtCodes: JSON.parse(r.district_codes_json) as string[],
  minItems: Number(r.min_items),
  needsReport: !!Number(r.needs_report),
  createdAt: r.created_at,
  complete,
  districts,
});

async function findRound(ctx: ActorCtx, id: string): Promise<RiskRoundsTable> {
  const r = await ctx.db.selectFrom('risk_rounds').selectAll().where('id', '=', id).where('city_code', '=', ctx.actor.cityCode).executeTakeFirst();
  if (!r || !seenDistricts(ctx, JSON.parse(r.district_codes_json) as string[]).length) throw notFound('评估轮次', 'round');
  return r;
}

export async function listRounds(ctx: ActorCtx, q: z.output<typeof RoundListQuery>): Promise<ListResult<Round>> {
  const rows = await ctx.db.selectFrom('risk_rounds').selectAll().where('city_code', '=', ctx.actor.cityCode).orderBy('period_from', 'desc').orderBy('id', 'desc').execute();
  const seen = rows.filter((r) => seenDistricts(ctx, JSON.parse(r.district_codes_json) as string[]).length);
  const page = seen.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const items = await Promise.all(page.map(async (r) => (await completionOf(ctx, r)).round));
  return { items, total: seen.length, page: q.page, pageSize: q.pageSize };
}

export async function roundCompletion(ctx: ActorCtx, id: string): Promise<Completion> {
  return completionOf(ctx, await findRound(ctx, id));
}

export async function createRound(ctx: ActorCtx, body: z.output<typeof RiskRoundInput>): Promise<Completion> {
  if (!startsRiskRounds(ctx.actor)) throw forbidden('评估轮次由市安委办发起', 'Rounds are started by the city office');
  if (body.to < body.from) throw fieldError('VALIDATION_FAILED', 'to', '结束日期不能早于开始日期', 'The end is before the start');
  const city = await districtsOfCity(ctx);
  const known = new Set(city.map((d) => d.code));
  const codes = body.districtCodes?.length ? [...new Set(body.districtCodes)] : city.map((d) => d.code);
  const k = (body.districtCodes ?? []).findIndex((d) => !known.has(d));
  if (k >= 0) throw fieldError('UNKNOWN_REGION', `districtCodes.${k}`, `未知的区代码：${body.districtCodes![k]}`, 'Unknown district');
  const id = uuidv7();
  await transact(ctx, async (tx) => {
    const now = tx.now().toISOString();
    await tx.db.insertInto('risk_rounds').values({ id, city_code: ctx.actor.cityCode, name: body.name, period_from: body.from, period_to: body.to, district_codes_json: JSON.stringify(codes), min_items: body.minItems, needs_report: body.needsReport ? 1 : 0, created_by: ctx.actor.userId || null, created_at: now }).execute();
    await audit(tx, { action: 'risk_round.created', entityType: 'risk_round', entityId: id, after: { name: body.name, from: body.from, to: body.to, districts: codes.length, minItems: body.minItems, needsReport: body.needsReport } });
  });
  return roundCompletion(ctx, id);
}

/** 提交评估成果: a district's items counted now and its report; submitted once (a second is refused). */
export async function submitRound(ctx: ActorCtx, id: string, body: z.output<typeof RiskRoundSubmission>): Promise<Completion> {
  const r = await findRound(ctx, id);
  const districtCode = body.districtCode ?? ctx.actor.districtCode;
  if (!districtCode) throw fieldError('VALIDATION_FAILED', 'districtCode', '请选择提交的区', 'Choose the district');
  if (!(JSON.parse(r.district_codes_json) as string[]).includes(districtCode)) throw fieldError('VALIDATION_FAILED', 'districtCode', '该区不在此评估轮次范围内', 'The district is not in this round');
  if (!submitsForDistrict(ctx.actor, districtCode)) throw forbidden('由本区安委办（或市安委办代为）提交', 'The district office submits its part');
  const files = body.reportFileId
    ? await checkAttachments(ctx.db, ctx.actor, [body.reportFileId], { required: true }).catch(() => {
        throw fieldError('VALIDATION_FAILED', 'reportFileId', '报告文件不存在或不是本人上传的', 'Unknown file, or not uploaded by you');
      })
    : [];
  if (r.needs_report && !files.length) throw fieldError('VALIDATION_FAILED', 'reportFileId', '本轮评估须上传区评估报告', 'This round needs the district’s report');
  await transact(ctx, async (tx) => {
    const [{ n }] = await tx.db.selectFrom('risk_items').select(sql<number>`count(*)`.as('n')).where('round_id', '=', id).where('district_code', '=', districtCode).execute();
    const now = tx.now().toISOString();
    const ins = await tx.db
      .insertInto('risk_round_submissions')
      .values({ round_id: id, district_code: districtCode, report_file_id: files[0] ?? null, note: body.note ?? null, items: Number(n), submitted_by: tx.actor.userId || null, submitted_by_name: tx.actor.displayName, submitted_at: now })
      .onConflict((oc) => oc.columns(['round_id', 'district_code']).doNothing())
      .executeTakeFirst();
    if (!Number(ins.numInsertedOrUpdatedRows ?? 0)) throw new AppError('ALREADY_SUBMITTED', '本区已提交本轮评估成果', 'This district has already submitted');
    await audit(tx, { action: 'risk_round.submitted', entityType: 'risk_round', entityId: id, districtCode, after: { items: Number(n), reportFileId: files[0] ?? null } });
  });
  return roundCompletion(ctx, id);
}
