/**
 * 可计算指标: what Zhiben counts for a district over an assessment period, each by one formula that
 * the list behind it shares — the ledger as it stood at the period's end (or now, while the period
 * runs: `ledgerAt`, the monthly report's own fold), the accident registry, the self-check rounds,
 * inspections, expert programmes, tip tallies, leaders' meetings and accountability records. Each
 * value carries the web list with its filters whose total is the value (or a rate's denominator).
 * Every district at once: one read per source, grouped in memory.
 */
import type { Kysely } from 'kysely';
import type { ComputableIndicator } from '../../../shared/contracts/assessment';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import { shanghaiDate } from '../../../shared/dates';
import type { DB } from '../../db/schema';
import { fieldError } from '../../errors/app-error';
import { isOverdue } from '../hazards/workflow';
import { ledgerAt } from '../reports/monthly';

const DAY = 86_400_000;
const startOf = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString();
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);

export interface PeriodSpan {
  period: string;
  kind: 'month' | 'quarter' | 'year';
  year: number;
  /** Shanghai days, inclusive. */
  from: string;
  to: string;
}

/** `YYYY-MM`, `YYYYQn` or `YYYY` as its first and last Shanghai day. */
export function periodSpan(period: string): PeriodSpan {
  const y = Number(period.slice(0, 4));
  const q = /^\d{4}Q([1-4])$/.exec(period);
  if (q) {
    const n = Number(q[1]);
    return { period, kind: 'quarter', year: y, from: `${y}-${String(n * 3 - 2).padStart(2, '0')}-01`, to: lastDayOf(y, n * 3) };
  }
  const m = /^\d{4}-(\d{2})$/.exec(period);
  if (m) return { period, kind: 'month', year: y, from: `${period}-01`, to: lastDayOf(y, Number(m[1])) };
  return { period, kind: 'year', year: y, from: `${y}-01-01`, to: `${y}-12-31` };
}

/** The instant a period's figures are read at: its end (24:00 of its last Shanghai day), or now while it runs. */
export const asAtOf = (span: PeriodSpan, now: Date) => new Date(Math.min(now.getTime(), Date.parse(startOf(addDays(span.to, 1)))));

export interface Reading {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  link: string | null;
}

interface Ctx {
  db: Kysely<DB>;
  cityCode: string;
  districts: readonly string[];
  span: PeriodSpan;
  asAt: Date;
  /** The last Shanghai day whose end has passed at `asAt`: what fell due by then. */
  dueTo: string;
  /** The period has ended: asAt is its end, and what is read as at asAt is no longer what the lists show now. */
  complete: boolean;
  memo: Map<string, Promise<unknown>>;
}

interface IndicatorDef extends ComputableIndicator {
  read(c: Ctx): Promise<Map<string, Reading>>;
}

const qs = (o: Record<string, string | undefined>) => new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => !!e[1])).toString();
const count = (value: number, link: string | null): Reading => ({ value, numerator: null, denominator: null, link });
const rate = (num: number, den: number, link: string | null): Reading => ({ value: den > 0 ? num / den : null, numerator: num, denominator: den, link });
const perDistrict = (c: Ctx, f: (d: string) => Reading) => new Map(c.districts.map((d) => [d, f(d)]));

/** A list of the ledger as it is now has the as-at value's total only while the period runs; after it, no link (the value is the period end's). */
const liveLink = (c: Ctx, link: string) => (c.complete ? null : link);

/** Read once per run and shared by the indicators that need it. */
function once<T>(c: Ctx, key: string, load: () => Promise<T>): Promise<T> {
  if (!c.memo.has(key)) c.memo.set(key, load());
  return c.memo.get(key) as Promise<T>;
}

/** Each district's ledger as it stood at `asAt`. */
const held = (c: Ctx) => once(c, 'ledger', async () => new Map(await Promise.all(c.districts.map(async (d) => [d, await ledgerAt(c.db, d, c.asAt.toISOString())] as const))));

const OPEN = new Set<string>(OPEN_STATUSES);
const HAZARDS_OPEN = OPEN_STATUSES.join(',');

/** The period's accidents (and the same days a year before), by district. */
const accidents = (c: Ctx) =>
  once(c, 'accidents', async () => {
    // This period up to asAt, against the same days a year before: the whole of last year's period
    // once this one has ended (leap days included), else up to the same day last year.
    const back = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4) === '-02-29' ? '-02-28' : day.slice(4)}`;
    const end = c.asAt.toISOString();
    const complete = c.complete;
    const lastSpan = periodSpan(c.span.kind === 'quarter' ? `${c.span.year - 1}${c.span.period.slice(4)}` : c.span.kind === 'month' ? `${c.span.year - 1}${c.span.period.slice(4)}` : String(c.span.year - 1));
    const lastEnd = startOf(addDays(complete ? lastSpan.to : back(shanghaiDate(c.asAt)), 1));
    const rows = await c.db
      .selectFrom('accidents')
      .select(['id', 'district_code', 'occurred_at', 'deaths', 'grade', 'concealment', 'code'])
      .where('city_code', '=', c.cityCode)
      .where((eb) => eb.or([eb.and([eb('occurred_at', '>=', startOf(c.span.from)), eb('occurred_at', '<', end)]), eb.and([eb('occurred_at', '>=', startOf(lastSpan.from)), eb('occurred_at', '<', lastEnd)])]))
      .execute();
    const from = startOf(c.span.from);
    // 瞒报/谎报 found within the period (whenever the accident happened): the veto looks at both.
    const found = await c.db
      .selectFrom('record_events as ev')
      .innerJoin('accidents as a', 'a.id', 'ev.entity_id')
      .select(['a.id', 'a.district_code', 'a.occurred_at', 'a.deaths', 'a.grade', 'a.concealment', 'a.code'])
      .where('ev.entity_type', '=', 'accident')
      .where('ev.action', 'in', ['concealed', 'false_report'])
      .where('a.city_code', '=', c.cityCode)
      .where('ev.at', '>=', from)
      .where('ev.at', '<', end)
      .execute();
    return { now: rows.filter((r) => r.occurred_at >= from), last: rows.filter((r) => r.occurred_at < from), concealedFound: found };
  });

const accidentLink = (c: Ctx, d: string) => `/accidents?${qs({ districtCode: d, from: c.span.from, to: c.span.to })}`;
const sumBy = <T>(rows: readonly T[], d: string, key: (r: T) => string, n: (r: T) => number) => rows.filter((r) => key(r) === d).reduce((s, r) => s + n(r), 0);
/** The change on last year; from none to some counts as +100%, none to none as 0. */
const change = (now: number, last: number) => (last > 0 ? (now - last) / last : now > 0 ? 1 : 0);

/** An accident figure summed per district: this period's total, or its change on last year's same days. */
type AccidentRow = { district_code: string; deaths: number };
const ONE = () => 1;
const DEATHS = (r: AccidentRow) => Number(r.deaths);
const accidentTotal = (measure: (r: AccidentRow) => number) => async (c: Ctx) => {
  const a = await accidents(c);
  return perDistrict(c, (d) => count(sumBy(a.now, d, (r) => r.district_code, measure), accidentLink(c, d)));
};
const accidentChange = (measure: (r: AccidentRow) => number) => async (c: Ctx) => {
  const a = await accidents(c);
  return perDistrict(c, (d): Reading => {
    const now = sumBy(a.now, d, (r) => r.district_code, measure);
    const last = sumBy(a.last, d, (r) => r.district_code, measure);
    return { value: change(now, last), numerator: now, denominator: last, link: accidentLink(c, d) };
  });
};

export const INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'hazards.open_major',
    title: { zh: '未销号重大事故隐患（项）', en: 'Open major hazards' },
    unit: 'count',
    better: 'lower',
    timing: 'as_at',
    note: '重大隐患库中期末（期间未结束时为计算时）已上报、整改中、待验收的重大隐患数，与隐患台账同一口径。',
    suggestedRule: { kind: 'deduction', perItem: 2 },
    read: async (c) => {
      const l = await held(c);
      return perDistrict(c, (d) => count(l.get(d)!.filter((h) => h.grade === 'major' && OPEN.has(h.status)).length, liveLink(c, `/hazards?${qs({ districtCode: d, grade: 'major', status: HAZARDS_OPEN })}`)));
    },
  },
  {
    key: 'hazards.overdue_major',
    title: { zh: '逾期未整改重大事故隐患（项）', en: 'Overdue major hazards' },
    unit: 'count',
    better: 'lower',
    timing: 'as_at',
    note: '期末（或计算时）整改期限（上海时间当日 24 时）已过仍未销号的重大隐患数，与台账“逾期”筛选同一口径。',
    suggestedRule: { kind: 'deduction', perItem: 5 },
    read: async (c) => {
      const l = await held(c);
      return perDistrict(c, (d) => count(l.get(d)!.filter((h) => h.grade === 'major' && isOverdue(h, c.asAt)).length, liveLink(c, `/hazards?${qs({ districtCode: d, grade: 'major', overdue: 'true' })}`)));
    },
  },
  {
    key: 'hazards.stock_to2023',
    title: { zh: '2023年及以前存量隐患（项）', en: 'Open hazards found in 2023 or before' },
    unit: 'count',
    better: 'lower',
    timing: 'as_at',
    note: '2023 年及以前（上海时间）发现、期末（或计算时）仍未销号的隐患数（各等级），即治本攻坚要求清零的存量。',
    suggestedRule: { kind: 'deduction', perItem: 1 },
    read: async (c) => {
      const l = await held(c);
      return perDistrict(c, (d) => count(l.get(d)!.filter((h) => OPEN.has(h.status) && shanghaiDate(new Date(h.foundAt)) <= '2023-12-31').length, liveLink(c, `/hazards?${qs({ districtCode: d, foundTo: '2023-12-31', status: HAZARDS_OPEN })}`)));
    },
  },
  {
    key: 'hazards.major_on_time_rate',
    title: { zh: '重大事故隐患按期整改率', en: 'Major hazards closed by their deadline' },
    unit: 'rate',
    better: 'higher',
    timing: 'period',
    note: '整改期限在本期内且已届满的重大隐患（不含作废）中，在期限当日（上海时间）24 时前销号的比例；分母即台账按整改期限筛选的结果。',
    suggestedRule: { kind: 'linear', zeroAt: 0.6, fullAt: 1 },
    read: async (c) => {
      const out = new Map<string, Reading>();
      if (c.dueTo < c.span.from) return perDistrict(c, () => rate(0, 0, null));
      const rows = await c.db
        .selectFrom('hazards')
        .select(['district_code', 'deadline', 'closed_at', 'status'])
        .where('city_code', '=', c.cityCode)
        .where('grade', '=', 'major')
        .where('status', '<>', 'voided')
        .where('deadline', '>=', c.span.from)
        .where('deadline', '<=', c.dueTo)
        .execute();
      for (const d of c.districts) {
        const mine = rows.filter((r) => r.district_code === d);
        const onTime = mine.filter((r) => r.status === 'closed' && r.closed_at && shanghaiDate(new Date(r.closed_at)) <= r.deadline!).length;
        out.set(d, rate(onTime, mine.length, `/hazards?${qs({ districtCode: d, grade: 'major', deadlineFrom: c.span.from, deadlineTo: c.dueTo, status: `${HAZARDS_OPEN},closed` })}`));
      }
      return out;
    },
  },
  {
    key: 'selfchecks.on_time_rate',
    title: { zh: '企业自查按时完成率', en: 'Self-checks done on time' },
    unit: 'rate',
    better: 'higher',
    timing: 'period',
    note: '到期日在本期内且已届满的企业自查中，在到期日（上海时间）当日或之前提交的比例。',
    suggestedRule: { kind: 'linear', zeroAt: 0.5, fullAt: 0.95 },
    read: async (c) => {
      if (c.dueTo < c.span.from) return perDistrict(c, () => rate(0, 0, null));
      const rows = await c.db.selectFrom('selfcheck_rounds').select(['district_code', 'due_date', 'submitted_at']).where('city_code', '=', c.cityCode).where('due_date', '>=', c.span.from).where('due_date', '<=', c.dueTo).execute();
      return perDistrict(c, (d) => {
        const mine = rows.filter((r) => r.district_code === d);
        return rate(mine.filter((r) => r.submitted_at && r.submitted_at < c.asAt.toISOString() && shanghaiDate(new Date(r.submitted_at)) <= r.due_date).length, mine.length, null);
      });
    },
  },
  {
    key: 'enforcement.plan_completion',
    title: { zh: '年度执法检查计划完成率', en: 'Enforcement plan completion' },
    unit: 'rate',
    better: 'higher',
    timing: 'at_run',
    note: '本区（不含部门）考核年度执法检查计划中已完成的检查（每家企业至多计到应完成次数；完成次数按计算时）÷ 计划在期末（或计算时）所在月及以前应完成的检查。',
    suggestedRule: { kind: 'linear', zeroAt: 0.5, fullAt: 1 },
    read: async (c) => {
      const rows = await c.db.selectFrom('inspection_plan_items as i').innerJoin('inspection_plans as p', 'p.id', 'i.plan_id').select(['p.district_code', 'i.planned', 'i.done', 'i.months_json']).where('p.city_code', '=', c.cityCode).where('p.year', '=', c.span.year).where('p.department_id', 'is', null).execute();
      // What the plan set for the months up to the period's end (or asAt's month while it runs).
      const lastMonth = Number((c.complete ? c.span.to : shanghaiDate(c.asAt)).slice(5, 7));
      const due = (r: { months_json: string }) => (JSON.parse(r.months_json) as number[]).filter((m) => m <= lastMonth).length;
      return perDistrict(c, (d) =>
        rate(
          sumBy(rows, d, (r) => r.district_code, (r) => Math.min(Number(r.done), due(r))),
          sumBy(rows, d, (r) => r.district_code, (r) => due(r)),
          null,
        ),
      );
    },
  },
  {
    key: 'enforcement.findings_per_inspection',
    title: { zh: '执法检查平均发现隐患数（项/次）', en: 'Hazards found per inspection' },
    unit: 'count',
    better: 'higher',
    timing: 'period',
    note: '本期内（检查日期，上海时间）完成的执法检查发现的隐患总数 ÷ 完成的检查次数。',
    suggestedRule: { kind: 'linear', zeroAt: 0, fullAt: 2 },
    read: async (c) => {
      const rows = await c.db.selectFrom('inspections').select(['district_code', 'findings']).where('city_code', '=', c.cityCode).where('status', '=', 'finished').where('date', '>=', c.span.from).where('date', '<=', c.span.to).execute();
      return perDistrict(c, (d) => rate(sumBy(rows, d, (r) => r.district_code, (r) => Number(r.findings)), sumBy(rows, d, (r) => r.district_code, () => 1), `/enforcement?${qs({ districtCode: d, status: 'finished', from: c.span.from, to: c.span.to })}`));
    },
  },
  {
    key: 'experts.coverage',
    title: { zh: '“啄木鸟”专家检查覆盖率', en: 'Expert (啄木鸟) coverage' },
    unit: 'rate',
    better: 'higher',
    timing: 'at_run',
    note: '与本期重叠的本区专家检查计划中，已完成专家检查的目标企业 ÷ 目标企业（与计划的覆盖页相同，按计算时）。',
    suggestedRule: { kind: 'linear', zeroAt: 0.5, fullAt: 1 },
    read: async (c) => {
      const rows = await c.db.selectFrom('expert_programmes').select(['district_code', 'targets', 'covered']).where('city_code', '=', c.cityCode).where('department_id', 'is', null).where('period_from', '<=', c.span.to).where('period_to', '>=', c.span.from).execute();
      return perDistrict(c, (d) => rate(sumBy(rows, d, (r) => r.district_code, (r) => Number(r.covered)), sumBy(rows, d, (r) => r.district_code, (r) => Number(r.targets)), null));
    },
  },
  {
    key: 'tips.verified_on_time_rate',
    title: { zh: '举报按时核查办结率', en: 'Tips verified on time' },
    unit: 'rate',
    better: 'higher',
    timing: 'period',
    note: '本期各月受理并核查办结的举报中按时办结的比例（与举报统计页同一统计表）。',
    suggestedRule: { kind: 'linear', zeroAt: 0.6, fullAt: 1 },
    read: async (c) => {
      const rows = await c.db.selectFrom('tip_tallies').select(['district_code', 'verified', 'verified_on_time']).where('city_code', '=', c.cityCode).where('month', '>=', c.span.from.slice(0, 7)).where('month', '<=', c.span.to.slice(0, 7)).execute();
      return perDistrict(c, (d) => rate(sumBy(rows, d, (r) => r.district_code, (r) => Number(r.verified_on_time)), sumBy(rows, d, (r) => r.district_code, (r) => Number(r.verified)), null));
    },
  },
  {
    key: 'meetings.held',
    title: { zh: '党政主要负责人主持的安全生产会议（次）', en: 'Safety meetings chaired by the leaders' },
    unit: 'count',
    better: 'higher',
    timing: 'period',
    note: '本期内本区登记的、由党委或政府主要负责人主持的安全生产专题会议次数（与会议页“符合要求”同一口径）。',
    suggestedRule: { kind: 'bands', bands: [{ from: 1, share: 1 }] },
    read: async (c) => {
      const rows = await c.db.selectFrom('meetings').select(['unit_key']).where('city_code', '=', c.cityCode).where('unit_kind', '=', 'district').where('qualifies', '=', 1).where('held_on', '>=', c.span.from).where('held_on', '<=', c.span.to).execute();
      return perDistrict(c, (d) => count(rows.filter((r) => r.unit_key === d).length, null));
    },
  },
  {
    key: 'accidents.count',
    title: { zh: '生产安全事故起数', en: 'Accidents' },
    unit: 'count',
    better: 'lower',
    timing: 'period',
    note: '本期内（上海时间）发生的生产安全事故起数，与事故登记列表同一口径。',
    suggestedRule: { kind: 'deduction', perItem: 2 },
    read: accidentTotal(ONE),
  },
  {
    key: 'accidents.deaths',
    title: { zh: '生产安全事故死亡人数', en: 'Accident deaths' },
    unit: 'count',
    better: 'lower',
    timing: 'period',
    note: '本期内发生的生产安全事故死亡人数（含补报后的人数）。',
    suggestedRule: { kind: 'deduction', perItem: 3 },
    read: accidentTotal(DEATHS),
  },
  {
    key: 'accidents.count_change',
    title: { zh: '事故起数同比变化', en: 'Accidents on the same period last year' },
    unit: 'change',
    better: 'lower',
    timing: 'period',
    note: '本期事故起数较上年同期的变化率（上年同期为 0 时：本期有事故计 +100%，无事故计 0）。目标为“持续下降”。',
    suggestedRule: { kind: 'linear', zeroAt: 0.2, fullAt: -0.1 },
    read: accidentChange(ONE),
  },
  {
    key: 'accidents.deaths_change',
    title: { zh: '事故死亡人数同比变化', en: 'Deaths on the same period last year' },
    unit: 'change',
    better: 'lower',
    timing: 'period',
    note: '本期事故死亡人数较上年同期的变化率（上年同期为 0 时：本期有死亡计 +100%，无死亡计 0）。',
    suggestedRule: { kind: 'linear', zeroAt: 0.2, fullAt: -0.1 },
    read: accidentChange(DEATHS),
  },
  {
    key: 'accountability.count',
    title: { zh: '区被点名、通报、约谈、移交（次）', en: 'Accountability records against the district' },
    unit: 'count',
    better: 'lower',
    timing: 'period',
    note: '本期内对本区（不含对本区企业）作出的点名、通报、约谈、移交记录数（问责记录页按对象“区”筛选的同一口径）：区对本区企业的问责是其履职，不扣本区的分。',
    suggestedRule: { kind: 'deduction', perItem: 2 },
    read: async (c) => {
      const rows = await c.db.selectFrom('accountability_records').select(['district_code']).where('city_code', '=', c.cityCode).where('target_kind', '=', 'district').where('on_date', '>=', c.span.from).where('on_date', '<=', c.span.to).execute();
      return perDistrict(c, (d) => count(rows.filter((r) => r.district_code === d).length, `/assessment?${qs({ view: 'accountability', targetKind: 'district', districtCode: d, from: c.span.from, to: c.span.to })}`));
    },
  },
];

export const indicatorList = (): ComputableIndicator[] => INDICATORS.map(({ read: _r, ...rest }) => rest);

export function checkIndicator(key: string, path: string): IndicatorDef {
  const def = INDICATORS.find((i) => i.key === key);
  if (!def) throw fieldError('VALIDATION_FAILED', path, `没有名为“${key}”的可计算指标（见 /api/assessment/indicators）`, `No such indicator: ${key}`);
  return def;
}

/** The readings of the given indicators for every district over a period, at `asAt`. */
export async function readIndicators(db: Kysely<DB>, cityCode: string, districts: readonly string[], span: PeriodSpan, now: Date, keys: readonly string[]) {
  const asAt = asAtOf(span, now);
  // What fell due by asAt: days whose 24:00 has passed (yesterday's Shanghai day while the period runs).
  const dueTo = addDays(shanghaiDate(new Date(asAt.getTime() - 1)), asAt.getTime() >= Date.parse(startOf(addDays(span.to, 1))) ? 0 : -1);
  const dueDay = dueTo > span.to ? span.to : dueTo;
  const complete = asAt.getTime() >= Date.parse(startOf(addDays(span.to, 1)));
  const c: Ctx = { db, cityCode, districts, span, asAt, dueTo: dueDay, complete, memo: new Map() };
  const out = new Map<string, Map<string, Reading>>();
  for (const key of new Set(keys)) out.set(key, await checkIndicator(key, 'indicator').read(c));
  const acc = await accidents(c);
  const seen = new Set<string>();
  const periodAccidents = new Map(
    districts.map((d) => [
      d,
      [...acc.now, ...acc.concealedFound]
        .filter((r) => r.district_code === d && !seen.has(r.id) && seen.add(r.id))
        .map((r) => ({ code: r.code, grade: r.grade, concealment: r.concealment })),
    ]),
  );
  return { asAt: asAt.toISOString(), readings: out, accidents: periodAccidents };
}
