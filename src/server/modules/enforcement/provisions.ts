/**
 * 法律依据 and 裁量基准. The catalogue of legal provisions a case may cite is kept by city
 * administrators; the product ships only articles verified in full-text copies of the laws (see
 * reference/legal-provisions.md, with sources) — their numbers and short titles, never the laws' text as if
 * it were ours. The discretion table (circumstance → fine range) is configuration: Shanghai's own
 * 裁量基准 was not found, so the shipped table is a labelled example.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { ProvisionInput } from '../../../shared/contracts/enforcement';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError } from '../../errors/app-error';
import { defineRule, ruleValue } from '../../rules/rules';
import { shanghaiDate } from '../../../shared/dates';

const AQ = '《中华人民共和国安全生产法》（2021年修正）';
const XZ = '《中华人民共和国行政处罚法》（2021年修订）';

/** Verified articles (two full-text copies each; check once against flk.npc.gov.cn before release). */
export const SHIPPED_PROVISIONS: readonly { law: string; article: string; title: string; note?: string }[] = [
  { law: AQ, article: '第一百零二条', title: '未采取措施消除事故隐患' },
  { law: AQ, article: '第九十七条第（五）项', title: '未将事故隐患排查治理情况如实记录或者未向从业人员通报' },
  { law: AQ, article: '第一百零一条第（五）项', title: '未建立事故隐患排查治理制度，或者重大事故隐患排查治理情况未按照规定报告' },
  { law: AQ, article: '第九十七条第（七）项', title: '特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业' },
  { law: AQ, article: '第九十七条第（二）项', title: '主要负责人和安全生产管理人员未按照规定经考核合格', note: '仅适用于危险物品的生产、经营、储存、装卸单位以及矿山、金属冶炼、建筑施工、运输单位' },
  { law: AQ, article: '第九十七条第（三）项', title: '未按照规定对从业人员、被派遣劳动者、实习学生进行安全生产教育和培训，或者未按照规定如实告知有关的安全生产事项' },
  { law: AQ, article: '第九十七条第（四）项', title: '未如实记录安全生产教育和培训情况' },
  { law: AQ, article: '第一百零八条', title: '拒绝、阻碍负有安全生产监督管理职责的部门依法实施监督检查' },
  { law: AQ, article: '第一百一十二条', title: '按日连续处罚' },
  { law: XZ, article: '第六十七条第三款', title: '自收到行政处罚决定书之日起十五日内缴纳罚款', note: '程序条款，不作为处罚依据' },
];

/** Adds the shipped provisions a city does not have yet (reference data, on every start). */
export async function loadProvisions(db: Kysely<DB>, cityCode: string, now: string): Promise<number> {
  const have = new Set((await db.selectFrom('legal_provisions').select(['law', 'article']).where('city_code', '=', cityCode).execute()).map((r) => `${r.law}|${r.article}`));
  const rows = SHIPPED_PROVISIONS.filter((p) => !have.has(`${p.law}|${p.article}`)).map((p) => ({ id: uuidv7(), city_code: cityCode, law: p.law, article: p.article, title: p.title, note: p.note ?? null, active: 1, created_at: now }));
  if (rows.length) await db.insertInto('legal_provisions').values(rows).execute();
  return rows.length;
}

const present = (r: DB['legal_provisions']) => ({ id: r.id, law: r.law, article: r.article, title: r.title, note: r.note, active: r.active === 1 });

export async function listProvisions(ctx: ActorCtx) {
  const rows = await ctx.db.selectFrom('legal_provisions').selectAll().where('city_code', '=', ctx.actor.cityCode).orderBy('law').orderBy('created_at').execute();
  return { items: rows.map(present), total: rows.length, page: 1, pageSize: rows.length };
}

export async function addProvision(ctx: ActorCtx, body: z.output<typeof ProvisionInput>) {
  if (ctx.actor.role !== 'city_admin') throw new AppError('FORBIDDEN', '法律依据目录由市级管理员维护', 'City administrators keep the catalogue');
  return transact(ctx, async (tx) => {
    const taken = await tx.db.selectFrom('legal_provisions').select('id').where('city_code', '=', ctx.actor.cityCode).where('law', '=', body.law).where('article', '=', body.article).executeTakeFirst();
    if (taken) throw new AppError('DUPLICATE', '该法律条款已在目录中', 'This provision is in the catalogue already');
    const row = { id: uuidv7(), city_code: ctx.actor.cityCode, law: body.law, article: body.article, title: body.title, note: body.note ?? null, active: 1, created_at: ctx.now().toISOString() };
    await tx.db.insertInto('legal_provisions').values(row).execute();
    await audit(tx, { action: 'provision.added', entityType: 'legal_provision', entityId: row.id, after: { law: row.law, article: row.article, title: row.title } });
    return present(row);
  });
}

const Circumstance = z.object({ code: z.string().regex(/^[a-z0-9_-]{1,40}$/), label: z.string().min(1).max(100), minYuan: z.number().min(0), maxYuan: z.number().min(0) });
export type Circumstance = z.infer<typeof Circumstance>;

export const DISCRETION = defineRule<Circumstance[]>({
  key: 'enforcement.discretion',
  title: { zh: '行政处罚裁量基准', en: 'Penalty discretion table' },
  help: {
    zh: '违法情节 → 罚款幅度（元）。处罚决定须选择一种情节，罚款金额须在其幅度内。',
    en: 'Circumstance → fine range (yuan). A decision names one circumstance and its fine lies within the range.',
  },
  schema: z.array(Circumstance).min(1).refine((a) => a.every((c) => c.minYuan <= c.maxYuan), '下限不能大于上限'),
  default: [
    { code: 'minor', label: '情节轻微（示例）', minYuan: 0, maxYuan: 10_000 },
    { code: 'ordinary', label: '情节一般（示例）', minYuan: 10_000, maxYuan: 30_000 },
    { code: 'serious', label: '情节严重（示例）', minYuan: 30_000, maxYuan: 50_000 },
  ],
  defaultSource:
    '示例（非上海正式裁量基准）：未查到本市安全生产行政处罚裁量基准；幅度按《安全生产法》第一百零二条“五万元以下罚款”的上限分为三档示例，请按本市规定设置。Example only: Shanghai’s discretion table was not found.',
});

export const ENFORCEMENT_RULES = [DISCRETION];

export async function discretionTable(db: Kysely<DB>, cityCode: string, date: string) {
  return ruleValue(db, cityCode, DISCRETION, date);
}

export async function getDiscretion(ctx: ActorCtx) {
  const items = await discretionTable(ctx.db, ctx.actor.cityCode, shanghaiDate(ctx.now()));
  const isExample = items === DISCRETION.default;
  return { items, isExample, note: isExample ? DISCRETION.defaultSource : '本市设置的裁量基准（规则配置）' };
}
