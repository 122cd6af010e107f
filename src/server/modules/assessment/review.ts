/**
 * 季度点评: the quarter's published assessment as an official document — the ranking with the
 * change on the quarter before, each district's indicators, the units named (grades capped by a
 * veto, 不合格, accountability records in the quarter), and the office's comments written in the
 * app beforehand (saved per quarter, versioned).
 */
import type { z } from 'zod';
import type { ReviewInput, UnitResult } from '../../../shared/contracts/assessment';
import { ACCOUNTABILITY_LABELS } from '../../../shared/contracts/assessment';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { AppError, forbidden, notFound } from '../../errors/app-error';
import { assessesDistricts, readsPublishedRuns } from '../../scope/scope';
import { chineseDate, heading, line, officialDocx, para, table, title, type DocPart } from '../reports/docx-kit';
import { periodSpan } from './indicators';
import { publishedRun, unitsOf } from './runs';

const QUARTER_ZH = ['一', '二', '三', '四'];
const previousQuarter = (q: string) => (q.endsWith('Q1') ? `${Number(q.slice(0, 4)) - 1}Q4` : `${q.slice(0, 5)}${Number(q.slice(5)) - 1}`);
const quarterName = (q: string) => `${q.slice(0, 4)}年第${QUARTER_ZH[Number(q.slice(5)) - 1]}季度`;

export async function getReview(ctx: ActorCtx, quarter: string) {
  if (!assessesDistricts(ctx.actor) && !readsPublishedRuns(ctx.actor)) throw forbidden('季度点评由市安委办撰写', 'Only the offices read the review');
  // The office's words are a draft until the quarter's run is published.
  if (!assessesDistricts(ctx.actor) && !(await publishedRun(ctx, quarter))) return { quarter, version: 0, overall: '', units: [], updatedAt: null, updatedBy: null };
  const r = await ctx.db.selectFrom('assessment_reviews').selectAll().where('city_code', '=', ctx.actor.cityCode).where('quarter', '=', quarter).executeTakeFirst();
  const body = r ? (JSON.parse(r.body_json) as { overall: string; units: { code: string; text: string }[] }) : { overall: '', units: [] };
  return { quarter, version: r ? Number(r.version) : 0, ...body, updatedAt: r?.updated_at ?? null, updatedBy: r?.updated_by_name ?? null };
}

export async function putReview(ctx: ActorCtx, quarter: string, input: z.output<typeof ReviewInput>) {
  if (!assessesDistricts(ctx.actor)) throw forbidden('季度点评由市安委办撰写', 'Only the city office writes the review');
  const { version, ...body } = input;
  await transact(ctx, async (tx) => {
    const cur = await getReview(tx, quarter);
    if (cur.version !== version) throw new AppError('VERSION_CONFLICT', '点评意见已被他人更新，请刷新后重试', 'The comments changed; reload');
    const at = tx.now().toISOString();
    const row = { body_json: JSON.stringify(body), version: version + 1, updated_by_name: tx.actor.displayName, updated_at: at };
    const done =
      version === 0
        ? (await tx.db.insertInto('assessment_reviews').values({ city_code: tx.actor.cityCode, quarter, ...row }).onConflict((oc) => oc.doNothing()).executeTakeFirst()).numInsertedOrUpdatedRows
        : (await tx.db.updateTable('assessment_reviews').set(row).where('city_code', '=', tx.actor.cityCode).where('quarter', '=', quarter).where('version', '=', version).executeTakeFirst()).numUpdatedRows;
    if (Number(done ?? 0) !== 1) throw new AppError('VERSION_CONFLICT', '点评意见刚刚已被他人更新，请刷新后重试', 'The comments just changed; reload');
    await audit(tx, { action: 'assessment.review_saved', entityType: 'assessment_review', entityId: quarter, after: { version: version + 1, overall: body.overall.length, units: body.units.length } });
  });
  return getReview(ctx, quarter);
}

const fmt = (i: UnitResult['indicators'][number]) => {
  if (i.value === null) return '无数据';
  if (i.kind === 'computed' && i.denominator !== null && i.numerator !== null && i.indicator?.endsWith('_change')) return `${i.value >= 0 ? '+' : ''}${Math.round(i.value * 1000) / 10}%（${i.numerator}/上年${i.denominator}）`;
  if (i.denominator !== null && i.numerator !== null && i.indicator?.endsWith('_rate')) return `${Math.round(i.value * 1000) / 10}%（${i.numerator}/${i.denominator}）`;
  return String(Math.round(i.value * 100) / 100);
};

export async function buildQuarterlyReview(ctx: ActorCtx, quarter: string): Promise<{ file: Buffer; name: string; ascii: string }> {
  if (!assessesDistricts(ctx.actor) && !readsPublishedRuns(ctx.actor)) throw forbidden('季度点评由市安委办印发', 'Only the offices read the review');
  const run = await publishedRun(ctx, quarter);
  if (!run) throw notFound(`${quarterName(quarter)}已发布的考核结果`, 'published assessment of the quarter');
  const units = unitsOf(run);
  const prev = await publishedRun(ctx, previousQuarter(quarter));
  const before = new Map((prev ? unitsOf(prev) : []).map((u) => [u.code, u]));
  const review = await getReview(ctx, quarter);
  const span = periodSpan(quarter);
  // The review is about the districts: the records against districts (those against enterprises stay with their district).
  const records = await ctx.db.selectFrom('accountability_records').select(['target_name', 'kind', 'reason', 'on_date', 'district_code']).where('city_code', '=', ctx.actor.cityCode).where('target_kind', '=', 'district').where('on_date', '>=', span.from).where('on_date', '<=', span.to).orderBy('on_date').execute();
  const docTitle = `${quarterName(quarter)}安全生产治本攻坚工作点评`;
  const change = (u: UnitResult) => {
    const b = before.get(u.code);
    if (!b) return '—';
    const d = Math.round((u.score - b.score) * 100) / 100;
    return `${d > 0 ? '+' : ''}${d}（上季第${b.rank}名）`;
  };
  const scheme = JSON.parse(run.scheme_json) as { title: string; grades: { grade: string; from: number }[] };
  const lowest = [...scheme.grades].sort((a, b) => a.from - b.from)[0].grade;
  // Named: a grade capped by a veto, or the lowest grade.
  const named = units.filter((u) => u.vetoes.length || u.grade === lowest);
  const city = (await ctx.db.selectFrom('regions').select('name').where('code', '=', ctx.actor.cityCode).executeTakeFirst())?.name ?? '';
  const body: DocPart['children'] = [
    title(docTitle),
    para(`根据本市安全生产治本攻坚三年行动考核方案（${scheme.title}），市安委办对各区${quarterName(quarter)}（${span.from}至${span.to}）工作进行了考核。现将考核结果和点评意见通报如下。`),
    heading('一、考核排名'),
    table(
      ['名次', '区', '得分', '等次', '较上季度', '一票否优'],
      units.map((u) => [u.rank, u.name, u.score, u.grade, change(u), u.vetoes.map((v) => v.reason).join('；') || '—']),
      [700, 1500, 900, 900, 1700, 3300],
    ),
    heading('二、总体点评'),
    ...(review.overall ? review.overall.split(/\n+/).map((p) => para(p)) : [para('（考核办未填写总体点评。）')]),
    heading('三、点名单位'),
    ...(named.length ? named.map((u) => para(`${u.name}：${u.grade}（${u.score}分）${u.vetoes.length ? `，${u.vetoes.map((v) => `${v.reason}，等次不高于“${v.cap}”`).join('；')}` : ''}。`)) : [para('本季度无点名单位。')]),
    ...(records.length ? [line('本季度问责记录：'), table(['日期', '对象', '方式', '事由'], records.map((r) => [r.on_date, r.target_name, ACCOUNTABILITY_LABELS[r.kind].zh, r.reason]), [1300, 2200, 900, 5000])] : []),
  ];
  const perUnit: DocPart['children'] = [heading('四、各区指标情况')];
  for (const u of units) {
    perUnit.push(line(`${u.rank}. ${u.name}　${u.score}分　${u.grade}`));
    const prevInd = new Map((before.get(u.code)?.indicators ?? []).map((i) => [i.key, i]));
    const changeOf = (i: UnitResult['indicators'][number]) => {
      const p = prevInd.get(i.key);
      if (!p) return '—';
      const d = Math.round((i.points - p.points) * 100) / 100;
      return `上季${fmt(p)}，得分${d > 0 ? '+' : ''}${d}`;
    };
    perUnit.push(table(['指标', '权重', '数值', '得分', '较上季度'], u.indicators.map((i) => [i.name, i.weight, fmt(i), i.points, changeOf(i)]), [2700, 700, 2600, 800, 2600]));
    const text = review.units.find((x) => x.code === u.code)?.text;
    if (text) perUnit.push(para(`点评：${text}`));
  }
  const end = [line(''), line(`${city}安全生产委员会办公室　　${chineseDate(shanghaiDate(ctx.now()))}`), line(`（考核结果：${run.period} 第${run.number}版，数据截至 ${shanghaiDate(new Date(run.as_at))}；发布于 ${shanghaiDate(new Date(run.published_at!))}）`)];
  const file = await officialDocx(docTitle, [{ children: body }, { children: [...perUnit, ...end] }]);
  await transact(ctx, (tx) => audit(tx, { action: 'assessment.review_exported', entityType: 'assessment_run', entityId: run.id, after: { quarter, number: Number(run.number) } }));
  return { file, name: `${docTitle}.docx`, ascii: `quarterly-review-${quarter}.docx` };
}
