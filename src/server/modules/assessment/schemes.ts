/**
 * 考核方案: a year's scheme as versioned configuration — indicators with weights summing to 100,
 * each computed by Zhiben or entered by the office, with its scoring rule; the grade bands; the
 * 一票否优 rules. Each save is a new version (the runs keep the version they used). Until the office
 * saves one, the year answers the shipped example, which says it is an example: Shanghai's own
 * assessment rules for the plan are not public in our reference, so no weight here is theirs.
 */
import type { z } from 'zod';
import type { Scheme, SchemeBody, SchemeInput } from '../../../shared/contracts/assessment';
import { audit, transact, type ActorCtx } from '../../context';
import { AppError, fieldError, forbidden } from '../../errors/app-error';
import { assessesDistricts, readsPublishedRuns } from '../../scope/scope';
import { checkIndicator } from './indicators';
import { weightsSumTo100 } from './scoring';

type Body = z.output<typeof SchemeBody>;

/** The example: labelled as such, every indicator one Zhiben computes, weights summing to 100. */
export const EXAMPLE_SCHEME: Body = {
  title: '区安全生产治本攻坚考核方案（示例）',
  note: '示例方案：指标、权重、评分规则和等次均为演示用的示例，并非上海市的正式考核办法；请按本市印发的考核细则修改后保存。',
  indicators: [
    { key: 'overdue_major', name: '逾期重大事故隐患', weight: 20, source: { kind: 'computed', indicator: 'hazards.overdue_major' }, rule: { kind: 'deduction', perItem: 5 }, ifNoData: 'full' },
    { key: 'major_on_time', name: '重大隐患按期整改率', weight: 15, source: { kind: 'computed', indicator: 'hazards.major_on_time_rate' }, rule: { kind: 'linear', zeroAt: 0.6, fullAt: 1 }, ifNoData: 'full' },
    { key: 'stock', name: '2023年及以前存量隐患', weight: 10, source: { kind: 'computed', indicator: 'hazards.stock_to2023' }, rule: { kind: 'deduction', perItem: 1 }, ifNoData: 'full' },
    { key: 'selfchecks', name: '企业自查按时完成率', weight: 10, source: { kind: 'computed', indicator: 'selfchecks.on_time_rate' }, rule: { kind: 'linear', zeroAt: 0.5, fullAt: 0.95 }, ifNoData: 'full' },
    { key: 'enforcement', name: '执法检查平均发现隐患数', weight: 10, source: { kind: 'computed', indicator: 'enforcement.findings_per_inspection' }, rule: { kind: 'linear', zeroAt: 0, fullAt: 2 }, ifNoData: 'zero' },
    { key: 'tips', name: '举报按时核查办结率', weight: 5, source: { kind: 'computed', indicator: 'tips.verified_on_time_rate' }, rule: { kind: 'linear', zeroAt: 0.6, fullAt: 1 }, ifNoData: 'full' },
    { key: 'meetings', name: '党政主要负责人主持安全生产会议', weight: 5, source: { kind: 'computed', indicator: 'meetings.held' }, rule: { kind: 'bands', bands: [{ from: 1, share: 1 }] }, ifNoData: 'zero' },
    { key: 'accidents', name: '事故起数同比变化', weight: 10, source: { kind: 'computed', indicator: 'accidents.count_change' }, rule: { kind: 'linear', zeroAt: 0.2, fullAt: -0.1 }, ifNoData: 'full' },
    { key: 'deaths', name: '事故死亡人数同比变化', weight: 10, source: { kind: 'computed', indicator: 'accidents.deaths_change' }, rule: { kind: 'linear', zeroAt: 0.2, fullAt: -0.1 }, ifNoData: 'full' },
    { key: 'work', name: '重点工作推进情况（考核办评定）', weight: 5, source: { kind: 'entered' }, rule: { kind: 'linear', zeroAt: 0, fullAt: 100 }, ifNoData: 'zero' },
  ],
  grades: [
    { grade: '优秀', from: 90 },
    { grade: '良好', from: 80 },
    { grade: '合格', from: 60 },
    { grade: '不合格', from: 0 },
  ],
  vetoes: [
    { kind: 'accident_at_least', grade: 'larger', cap: '良好' },
    { kind: 'concealed_accident', cap: '合格' },
  ],
};

/** The checks a save must pass, each naming the field. */
export function checkScheme(b: Body): void {
  if (!weightsSumTo100(b.indicators.map((i) => i.weight))) {
    const sum = Math.round(b.indicators.reduce((a, i) => a + i.weight, 0) * 100) / 100;
    throw fieldError('VALIDATION_FAILED', 'indicators', `各项指标权重之和应为 100（现为 ${sum}）`, `Weights must sum to 100 (now ${sum})`);
  }
  const keys = new Set<string>();
  b.indicators.forEach((i, n) => {
    if (keys.has(i.key)) throw fieldError('VALIDATION_FAILED', `indicators.${n}.key`, `指标编号“${i.key}”重复`, 'Duplicate indicator key');
    keys.add(i.key);
    if (i.source.kind === 'computed') checkIndicator(i.source.indicator, `indicators.${n}.source.indicator`);
  });
  const grades = new Set(b.grades.map((g) => g.grade));
  if (grades.size !== b.grades.length) throw fieldError('VALIDATION_FAILED', 'grades', '等次名称不能重复', 'Duplicate grade');
  if (new Set(b.grades.map((g) => g.from)).size !== b.grades.length) throw fieldError('VALIDATION_FAILED', 'grades', '各等次的起始分数不能相同', 'Duplicate band start');
  if (!b.grades.some((g) => g.from === 0)) throw fieldError('VALIDATION_FAILED', 'grades', '须有一个等次从 0 分起', 'One band must start at 0');
  b.vetoes.forEach((v, n) => {
    if (!grades.has(v.cap)) throw fieldError('VALIDATION_FAILED', `vetoes.${n}.cap`, `“${v.cap}”不是本方案的等次`, 'Not a grade of this scheme');
  });
}

/** The scheme in force for a year: the last saved version, or the example (version 0). */
export async function schemeOf(ctx: ActorCtx, year: number): Promise<Scheme> {
  const row = await ctx.db.selectFrom('assessment_schemes').selectAll().where('city_code', '=', ctx.actor.cityCode).where('year', '=', year).orderBy('version', 'desc').limit(1).executeTakeFirst();
  const body: Body = row ? JSON.parse(row.body_json) : EXAMPLE_SCHEME;
  return { year, version: row ? Number(row.version) : 0, example: !row, ...body, updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by_name ?? null };
}

export async function getScheme(ctx: ActorCtx, year: number): Promise<Scheme> {
  if (!assessesDistricts(ctx.actor) && !readsPublishedRuns(ctx.actor)) throw forbidden('考核方案由市安委办管理', 'Only the offices read the scheme');
  return schemeOf(ctx, year);
}

export async function putScheme(ctx: ActorCtx, year: number, input: z.output<typeof SchemeInput>): Promise<Scheme> {
  if (!assessesDistricts(ctx.actor)) throw forbidden('考核方案由市安委办制定', 'Only the city office sets the scheme');
  const { version, ...body } = input;
  checkScheme(body);
  await transact(ctx, async (tx) => {
    const current = await schemeOf(tx, year);
    const taken = await tx.db.selectFrom('assessment_schemes').select('version').where('city_code', '=', tx.actor.cityCode).where('year', '=', year).where('version', '=', version + 1).executeTakeFirst();
    if (taken) throw new AppError('VERSION_CONFLICT', '该年度方案刚刚已被更新，请刷新后重试', 'The scheme changed; reload');
    if (current.version !== version) throw new AppError('VERSION_CONFLICT', `该年度方案已被更新（现为第 ${current.version} 版），请刷新后重试`, 'The scheme changed; reload');
    const at = tx.now().toISOString();
    const put = await tx.db.insertInto('assessment_schemes').values({ city_code: tx.actor.cityCode, year, version: version + 1, body_json: JSON.stringify(body), updated_by: tx.actor.userId, updated_by_name: tx.actor.displayName, updated_at: at }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(put.numInsertedOrUpdatedRows ?? 0) !== 1) throw new AppError('VERSION_CONFLICT', '该年度方案刚刚已被更新，请刷新后重试', 'The scheme changed; reload');
    await audit(tx, { action: 'assessment.scheme_saved', entityType: 'assessment_scheme', entityId: `${year}`, before: current.example ? null : { version: current.version }, after: { version: version + 1, weights: body.indicators.map((i) => [i.key, i.weight]) } });
  });
  return schemeOf(ctx, year);
}
