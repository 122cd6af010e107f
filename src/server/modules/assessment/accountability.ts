/**
 * 点名、通报、约谈、移交: a record against a district or an enterprise — the reason (often an
 * assessment run or an accident, linked), the date, who made it, and the follow-up required by a
 * date, with its evidence when it comes. Listed per unit; counted by the `accountability.count`
 * indicator in the next assessment where the scheme takes it.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { Accountability, AccountabilityInput, AccountabilityQuery, FollowUpInput } from '../../../shared/contracts/assessment';
import type { ListResult } from '../../../shared/contracts/common';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { likeContains } from '../../db/dialect';
import type { AccountabilityRow, DB } from '../../db/schema';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent } from '../../records/records';
import { accidentScopeWhere, accountabilityScopeWhere, assessesDistricts, followsUpAccountability, recordsAccountability, rowInScope } from '../../scope/scope';
import { checkAttachments } from '../files/commands';

const ENTITY = 'accountability';
type Row = AccountabilityRow & { source_label?: string | null };

const scoped = (ctx: ActorCtx) => ctx.db.selectFrom('accountability_records').where(accountabilityScopeWhere<DB, 'accountability_records'>(ctx.actor) as never);

function present(ctx: ActorCtx, r: Row, sourceLabel: string | null): Accountability {
  const today = shanghaiDate(ctx.now());
  const status = r.follow_up_at ? 'done' : r.follow_up_due ? 'open' : 'none_required';
  const target = { kind: r.target_kind, districtCode: r.district_code, enterpriseId: r.enterprise_id };
  return {
    id: r.id,
    kind: r.kind,
    targetKind: r.target_kind,
    districtCode: r.district_code,
    enterpriseId: r.enterprise_id,
    targetName: r.target_name,
    reason: r.reason,
    sourceType: r.source_type,
    sourceId: r.source_id,
    sourceLabel,
    onDate: r.on_date,
    byName: r.by_name,
    followUpDue: r.follow_up_due,
    followUpNote: r.follow_up_note,
    followUpFileIds: r.follow_up_file_ids_json ? (JSON.parse(r.follow_up_file_ids_json) as string[]) : [],
    followUpAt: r.follow_up_at,
    status,
    overdue: status === 'open' && r.follow_up_due! < today,
    allowed: status === 'open' && followsUpAccountability(ctx.actor, target) ? ['follow_up'] : [],
    version: Number(r.version),
  };
}

/** What the source says in a word: the run's period and number, or the accident's code. */
async function sourceLabels(ctx: ActorCtx, rows: readonly Row[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const runs = rows.filter((r) => r.source_type === 'assessment_run').map((r) => r.source_id!);
  const accidents = rows.filter((r) => r.source_type === 'accident').map((r) => r.source_id!);
  if (runs.length) for (const r of await ctx.db.selectFrom('assessment_runs').select(['id', 'period', 'number']).where('id', 'in', runs).execute()) out.set(r.id, `${r.period} 考核（第${r.number}版）`);
  if (accidents.length) for (const a of await ctx.db.selectFrom('accidents').select(['id', 'code']).where('id', 'in', accidents).execute()) out.set(a.id, `事故 ${a.code}`);
  return out;
}

export async function listAccountability(ctx: ActorCtx, q: z.output<typeof AccountabilityQuery>): Promise<ListResult<Accountability>> {
  let b = scoped(ctx);
  if (q.kind) b = b.where('kind', '=', q.kind);
  if (q.targetKind) b = b.where('target_kind', '=', q.targetKind);
  if (q.districtCode) b = b.where('district_code', '=', q.districtCode);
  if (q.enterpriseId) b = b.where('enterprise_id', '=', q.enterpriseId);
  if (q.from) b = b.where('on_date', '>=', q.from);
  if (q.to) b = b.where('on_date', '<=', q.to);
  if (q.open !== undefined) b = q.open ? b.where('follow_up_due', 'is not', null).where('follow_up_at', 'is', null) : b.where((eb) => eb.or([eb('follow_up_due', 'is', null), eb('follow_up_at', 'is not', null)]));
  if (q.q) b = b.where(sql<boolean>`(target_name like ${likeContains(q.q)} escape '\\' or reason like ${likeContains(q.q)} escape '\\')`);
  const [{ n }] = await b.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await b.selectAll().orderBy('on_date', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const labels = await sourceLabels(ctx, rows);
  return { items: rows.map((r) => present(ctx, r, r.source_id ? (labels.get(r.source_id) ?? null) : null)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

async function findRecord(ctx: ActorCtx, id: string): Promise<Row> {
  const r = await scoped(ctx).selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('问责记录', 'accountability record');
  return r;
}

export async function accountabilityDetail(ctx: ActorCtx, id: string): Promise<Accountability> {
  const r = await findRecord(ctx, id);
  return present(ctx, r, r.source_id ? ((await sourceLabels(ctx, [r])).get(r.source_id) ?? null) : null);
}

export async function recordAccountability(ctx: ActorCtx, body: z.output<typeof AccountabilityInput>): Promise<Accountability> {
  const a = ctx.actor;
  let district: string;
  let name: string;
  let enterpriseId: string | null = null;
  if (body.targetKind === 'district') {
    if (!body.districtCode) throw fieldError('VALIDATION_FAILED', 'districtCode', '请选择被问责的区', 'Choose the district');
    const region = await ctx.db.selectFrom('regions').select(['code', 'name']).where('code', '=', body.districtCode).where('level', '=', 'district').where('parent_code', '=', a.cityCode).executeTakeFirst();
    if (!region) throw fieldError('UNKNOWN_REGION', 'districtCode', '区代码不存在', 'Unknown district');
    district = region.code;
    name = region.name;
  } else {
    if (!body.enterpriseId) throw fieldError('VALIDATION_FAILED', 'enterpriseId', '请选择被问责的企业', 'Choose the enterprise');
    const e = await ctx.db.selectFrom('enterprises').select(['id', 'name', 'city_code', 'district_code', 'street_code', 'industry_code']).where('id', '=', body.enterpriseId).executeTakeFirst();
    if (!e || !rowInScope(a, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.id })) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or outside your scope');
    district = e.district_code;
    name = e.name;
    enterpriseId = e.id;
  }
  if (!recordsAccountability(a, { kind: body.targetKind, districtCode: district })) throw forbidden(assessesDistricts(a) || a.role === 'district_officer' ? '区安委办只能对本区企业作出问责记录' : '问责记录由市、区安委办作出', 'You may not record this');
  const today = shanghaiDate(ctx.now());
  if (body.onDate > today) throw fieldError('VALIDATION_FAILED', 'onDate', '日期不能晚于今天', 'The date cannot be in the future');
  if (body.followUpDue && body.followUpDue < body.onDate) throw fieldError('VALIDATION_FAILED', 'followUpDue', '整改落实期限不能早于问责日期', 'The follow-up is due before the record');
  if (!!body.sourceType !== !!body.sourceId) throw fieldError('VALIDATION_FAILED', body.sourceType ? 'sourceId' : 'sourceType', '请同时填写来源类型和来源记录', 'Give the source type and id together');
  if (body.sourceType === 'assessment_run') {
    let q = ctx.db.selectFrom('assessment_runs').select('id').where('id', '=', body.sourceId!).where('city_code', '=', a.cityCode);
    if (!assessesDistricts(a)) q = q.where('published_at', 'is not', null);
    const run = await q.executeTakeFirst();
    if (!run) throw fieldError('VALIDATION_FAILED', 'sourceId', '考核结果不存在', 'Unknown assessment run');
  }
  if (body.sourceType === 'accident') {
    const acc = await ctx.db.selectFrom('accidents').select('id').where('id', '=', body.sourceId!).where(accidentScopeWhere<DB, 'accidents'>(a, { city: 'accidents.city_code', district: 'accidents.district_code', street: 'accidents.street_code', industry: 'accidents.industry_code', enterpriseId: 'accidents.enterprise_id' }) as never).executeTakeFirst();
    if (!acc) throw fieldError('VALIDATION_FAILED', 'sourceId', '事故不存在或无权查看', 'Unknown accident');
  }
  const id = await transact(ctx, async (tx) => {
    const id = uuidv7();
    const at = tx.now().toISOString();
    await tx.db
      .insertInto('accountability_records')
      .values({ id, city_code: a.cityCode, district_code: district, target_kind: body.targetKind, enterprise_id: enterpriseId, target_name: name, kind: body.kind, reason: body.reason, source_type: body.sourceType ?? null, source_id: body.sourceId ?? null, on_date: body.onDate, by_name: body.byName, follow_up_due: body.followUpDue ?? null, follow_up_note: null, follow_up_file_ids_json: null, follow_up_at: null, follow_up_by: null, created_by: a.userId, created_at: at, updated_at: at, version: 1 })
      .execute();
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'recorded', actorId: a.userId, actorName: a.displayName, at, comment: body.reason, data: { kind: body.kind, target: name, followUpDue: body.followUpDue ?? null } });
    await audit(tx, { action: `accountability.${body.kind}`, entityType: ENTITY, entityId: id, districtCode: district, after: { kind: body.kind, targetKind: body.targetKind, target: name, onDate: body.onDate, source: body.sourceType ?? null } });
    return id;
  });
  return accountabilityDetail(ctx, id);
}

/** The follow-up, with its evidence, by the target or the office; once. */
export async function followUp(ctx: ActorCtx, id: string, body: z.output<typeof FollowUpInput>): Promise<Accountability> {
  await transact(ctx, async (tx) => {
    const r = await findRecord(tx, id);
    if (!followsUpAccountability(tx.actor, { kind: r.target_kind, districtCode: r.district_code, enterpriseId: r.enterprise_id })) throw forbidden('整改落实情况由被问责单位或作出问责的机关填报', 'Only the target or the office reports the follow-up');
    if (!r.follow_up_due) throw new AppError('INVALID_TRANSITION', '该记录未要求整改落实', 'No follow-up is required');
    if (r.follow_up_at) throw new AppError('INVALID_TRANSITION', '整改落实情况已填报', 'The follow-up is in');
    if (Number(r.version) !== body.version) throw new AppError('VERSION_CONFLICT', '该记录已被更新，请刷新后重试', 'The record changed; reload');
    const files = await checkAttachments(tx.db, tx.actor, body.fileIds, { required: true });
    const at = tx.now().toISOString();
    const u = await tx.db.updateTable('accountability_records').set({ follow_up_note: body.note, follow_up_file_ids_json: JSON.stringify(files), follow_up_at: at, follow_up_by: tx.actor.userId, updated_at: at, version: body.version + 1 }).where('id', '=', id).where('version', '=', body.version).executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该记录刚刚已被更新，请刷新后重试', 'The record just changed; reload');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'followed_up', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.note, fileIds: files });
    await audit(tx, { action: 'accountability.followed_up', entityType: ENTITY, entityId: id, districtCode: r.district_code, after: { files: files.length, late: shanghaiDate(new Date(at)) > r.follow_up_due } });
  });
  return accountabilityDetail(ctx, id);
}
