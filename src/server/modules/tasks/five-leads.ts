/**
 * 五带头 (measure 3): enterprise principals' record per item of the 五带头 list — entered by the
 * enterprise (or an officer for an enterprise in scope) with evidence, checked by the street,
 * district or city — and the list of enterprises with no record for the year (记录和通报机制).
 * The items are configuration (a versioned rule): the guiding opinion's own text was not found, so
 * the shipped items say they are to be confirmed.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { FiveLeadCheck, FiveLeadInput, FiveLeadMissing, FiveLeadMissingQuery, FiveLeadQuery, FiveLeadRecord } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { appendRecordEvent } from '../../records/records';
import { defineRule, ruleValue } from '../../rules/rules';
import { checksFiveLeads, fiveLeadScopeWhere, recordsFiveLeads, reportsFiveLeads, rowInScope, scopeWhere } from '../../scope/scope';
import { checkAttachments } from '../files/commands';

export const FIVE_LEAD_ITEMS = defineRule<{ key: string; title: string; confirmed: boolean }[]>({
  key: 'tasks.five_leads',
  title: { zh: '主要负责人“五带头”事项', en: 'The 五带头 items of enterprise principals' },
  help: {
    zh: '《关于进一步强化生产经营单位安全生产主体责任落实的指导意见》所列主要负责人“五带头”各项：key 为编号，title 为事项原文，confirmed 表示已据原文核对。',
    en: 'The five items of the guiding opinion: key, the item’s text, and whether it was checked against the official text.',
  },
  schema: z.array(z.object({ key: z.string().min(1).max(20), title: z.string().min(2).max(200), confirmed: z.boolean() }).strict()).min(1).max(20),
  default: [1, 2, 3, 4, 5].map((k) => ({ key: String(k), title: `第${'一二三四五'[k - 1]}项（待据《指导意见》原文确认）`, confirmed: false })),
  defaultSource: '未取得《关于进一步强化生产经营单位安全生产主体责任落实的指导意见》原文：只提供五项结构，事项文字待管理员据原文填写。The guiding opinion’s text was not found: five placeholder items, to be filled in from it.',
});

const FIVE_COLS = { city: 'five_lead_records.city_code', district: 'five_lead_records.district_code', street: 'five_lead_records.street_code', industry: 'five_lead_records.industry_code', enterpriseId: 'five_lead_records.enterprise_id' };

const present = (r: DB['five_lead_records'] & { enterprise_name: string }): FiveLeadRecord => ({
  id: r.id,
  enterpriseId: r.enterprise_id,
  enterpriseName: r.enterprise_name,
  districtCode: r.district_code,
  year: Number(r.year),
  itemKey: r.item_key,
  itemTitle: r.item_title,
  principalName: r.principal_name,
  happenedOn: r.happened_on,
  description: r.description,
  attachmentIds: r.file_ids_json ? (JSON.parse(r.file_ids_json) as string[]) : [],
  state: r.state,
  checkNote: r.check_note,
  checkedByName: r.checked_by_name,
  checkedAt: r.checked_at,
  version: Number(r.version),
  createdAt: r.created_at,
});

export async function fiveLeadItems(ctx: ActorCtx) {
  return ruleValue(ctx.db, ctx.actor.cityCode, FIVE_LEAD_ITEMS, shanghaiDate(ctx.now()));
}

function base(ctx: ActorCtx) {
  return ctx.db
    .selectFrom('five_lead_records')
    .innerJoin('enterprises', 'enterprises.id', 'five_lead_records.enterprise_id')
    .where(fiveLeadScopeWhere<DB, 'five_lead_records'>(ctx.actor, FIVE_COLS) as never);
}

export async function listFiveLeads(ctx: ActorCtx, q: z.output<typeof FiveLeadQuery>): Promise<ListResult<FiveLeadRecord>> {
  let b = base(ctx);
  if (q.year) b = b.where('five_lead_records.year', '=', q.year);
  if (q.districtCode) b = b.where('five_lead_records.district_code', '=', q.districtCode);
  if (q.enterpriseId) b = b.where('five_lead_records.enterprise_id', '=', q.enterpriseId);
  if (q.state) b = b.where('five_lead_records.state', '=', q.state);
  if (q.itemKey) b = b.where('five_lead_records.item_key', '=', q.itemKey);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.selectAll('five_lead_records').select('enterprises.name as enterprise_name').orderBy('five_lead_records.created_at', 'desc').orderBy('five_lead_records.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return { items: rows.map(present), total: Number(n), page: q.page, pageSize: q.pageSize };
}

async function findRecord(ctx: ActorCtx, id: string) {
  const r = await base(ctx).selectAll('five_lead_records').select('enterprises.name as enterprise_name').where('five_lead_records.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('五带头记录', 'record');
  return r;
}

export async function createFiveLead(ctx: ActorCtx, body: z.output<typeof FiveLeadInput>): Promise<FiveLeadRecord> {
  const a = ctx.actor;
  if (!recordsFiveLeads(a)) throw forbidden('五带头记录由企业填报', 'Records are entered by the enterprise');
  const enterpriseId = a.role === 'enterprise' ? a.enterpriseId : body.enterpriseId;
  if (!enterpriseId) throw fieldError('VALIDATION_FAILED', 'enterpriseId', '请选择企业', 'Choose the enterprise');
  if (a.role === 'enterprise' && body.enterpriseId && body.enterpriseId !== a.enterpriseId) throw forbidden('只能填报本企业的记录', 'Your own enterprise only');
  const ent = await ctx.db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code']).where('id', '=', enterpriseId).executeTakeFirst();
  if (!ent || !rowInScope(a, { cityCode: ent.city_code, districtCode: ent.district_code, streetCode: ent.street_code, industryCode: ent.industry_code, enterpriseId: ent.id })) {
    throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or outside your scope');
  }
  const today = shanghaiDate(ctx.now());
  if (body.happenedOn > today) throw fieldError('VALIDATION_FAILED', 'happenedOn', '日期不能晚于今天', 'The date cannot be in the future');
  const item = (await fiveLeadItems(ctx)).find((i) => i.key === body.itemKey);
  if (!item) throw fieldError('VALIDATION_FAILED', 'itemKey', '没有该“五带头”事项', 'No such item');
  const id = await transact(ctx, async (tx) => {
    const files = await checkAttachments(tx.db, a, body.attachmentIds, { required: false });
    const id = uuidv7();
    const at = tx.now().toISOString();
    await tx.db
      .insertInto('five_lead_records')
      .values({ id, city_code: ent.city_code, district_code: ent.district_code, street_code: ent.street_code, industry_code: ent.industry_code, enterprise_id: ent.id, year: Number(body.happenedOn.slice(0, 4)), item_key: item.key, item_title: item.title, principal_name: body.principalName, happened_on: body.happenedOn, description: body.description, file_ids_json: files.length ? JSON.stringify(files) : null, state: 'submitted', check_note: null, checked_by: null, checked_by_name: null, checked_at: null, version: 1, created_by: a.userId, created_at: at })
      .execute();
    await appendRecordEvent(tx.db, { entityType: 'five_lead', entityId: id, action: 'submitted', actorId: a.userId, actorName: a.displayName, at, fileIds: files });
    await audit(tx, { action: 'five_lead.submitted', entityType: 'five_lead', entityId: id, districtCode: ent.district_code, after: { enterpriseId: ent.id, itemKey: item.key, happenedOn: body.happenedOn, files: files.length } });
    return id;
  });
  return present(await findRecord(ctx, id));
}

/** 审核: the street, district or city accepts a record or returns it with a note; a returned record may be checked again after a new submission only. */
export async function checkFiveLead(ctx: ActorCtx, id: string, body: z.output<typeof FiveLeadCheck>): Promise<FiveLeadRecord> {
  await transact(ctx, async (tx) => {
    const r = await findRecord(tx, id);
    if (!checksFiveLeads(tx.actor)) throw forbidden('五带头记录由街镇、区或市安委办审核', 'Checked by the street, district or city');
    if (r.state !== 'submitted') throw new AppError('INVALID_TRANSITION', '该记录已审核', 'The record was already checked');
    if (r.created_by === tx.actor.userId) throw new AppError('SEPARATION_OF_DUTIES', '不能审核本人录入的记录', 'You cannot check a record you entered');
    if (body.decision === 'return' && !body.note) throw fieldError('VALIDATION_FAILED', 'note', '退回请说明原因', 'Say why it is returned');
    if (body.version !== Number(r.version)) throw new AppError('VERSION_CONFLICT', '该记录已被更新，请刷新后重试', 'The record changed; reload and try again');
    const at = tx.now().toISOString();
    const state = body.decision === 'accept' ? 'checked' : 'returned';
    const u = await tx.db
      .updateTable('five_lead_records')
      .set({ state, check_note: body.note ?? null, checked_by: tx.actor.userId, checked_by_name: tx.actor.displayName, checked_at: at, version: Number(r.version) + 1 })
      .where('id', '=', id)
      .where('version', '=', r.version)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该记录刚刚已被更新，请刷新后重试', 'The record just changed; reload and try again');
    await appendRecordEvent(tx.db, { entityType: 'five_lead', entityId: id, action: body.decision, actorId: tx.actor.userId, actorName: tx.actor.displayName, at, comment: body.note ?? null });
    await audit(tx, { action: `five_lead.${state}`, entityType: 'five_lead', entityId: id, districtCode: r.district_code, before: { state: r.state }, after: { state, note: body.note ?? null } });
  });
  return present(await findRecord(ctx, id));
}

/** 未记录: enterprises in scope with no record for the year that was not returned. */
export async function missingFiveLeads(ctx: ActorCtx, q: z.output<typeof FiveLeadMissingQuery>): Promise<ListResult<z.infer<typeof FiveLeadMissing>>> {
  if (!reportsFiveLeads(ctx.actor)) throw forbidden('该报表由监管部门查看', 'This report is for the offices');
  const year = q.year ?? Number(shanghaiDate(ctx.now()).slice(0, 4));
  const has = ctx.db.selectFrom('five_lead_records').select('enterprise_id').where('year', '=', year).where('state', '<>', 'returned');
  let b = ctx.db
    .selectFrom('enterprises')
    .where(scopeWhere<DB, 'enterprises'>(ctx.actor, { city: 'enterprises.city_code', district: 'enterprises.district_code', street: 'enterprises.street_code', industry: 'enterprises.industry_code', enterpriseId: 'enterprises.id' }))
    .where('enterprises.id', 'not in', has);
  if (q.districtCode) b = b.where('enterprises.district_code', '=', q.districtCode);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.select(['enterprises.id', 'enterprises.name', 'enterprises.district_code', 'enterprises.street_code', 'enterprises.principal_name']).orderBy('enterprises.district_code').orderBy('enterprises.name').orderBy('enterprises.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const returned = rows.length
    ? await ctx.db.selectFrom('five_lead_records').select(['enterprise_id', sql<number>`count(*)`.as('n')]).where('year', '=', year).where('enterprise_id', 'in', rows.map((r) => r.id)).groupBy('enterprise_id').execute()
    : [];
  const codes = [...new Set(rows.flatMap((r) => [r.district_code, r.street_code ?? '']).filter(Boolean))];
  const names = new Map(codes.length ? (await ctx.db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute()).map((g) => [g.code, g.name]) : []);
  return {
    items: rows.map((r) => ({ enterpriseId: r.id, name: r.name, districtCode: r.district_code, districtName: names.get(r.district_code) ?? r.district_code, streetCode: r.street_code, streetName: r.street_code ? (names.get(r.street_code) ?? r.street_code) : null, principalName: r.principal_name, records: Number(returned.find((x) => x.enterprise_id === r.id)?.n ?? 0) })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}
