/**
 * 事故趋势: accidents and deaths per month of a year against the same months of the year before, by
 * district, industry section and category, with a plain verdict against the plan's goal
 * (生产安全事故起数和死亡人数持续下降): rising when either rose, falling when neither rose and one
 * fell, flat otherwise — over the same period of both years (to today's Shanghai day in the current
 * year). Counted from the registry directly: accidents are few (hundreds a year in a city), so a
 * read of the year's rows costs less than keeping tallies.
 */
import type { z } from 'zod';
import { shanghaiDate } from '../../../shared/dates';
import type { ActorCtx } from '../../context';
import { fieldError } from '../../errors/app-error';
import type { DB } from '../../db/schema';
import { accidentScopeWhere } from '../../scope/scope';
import { sectionOf } from '../dashboard/tallies';
import { listRegions } from '../regions/repository';
import { trendVerdict, type AccidentStats, type StatsQuery, type TrendQuery } from '../../../shared/contracts/accidents';

export { trendVerdict, type Verdict } from '../../../shared/contracts/accidents';
interface Counts {
  accidents: number;
  deaths: number;
}

const startOf = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000).toISOString();

export async function accidentTrends(ctx: ActorCtx, q: z.output<typeof TrendQuery>) {
  const today = shanghaiDate(ctx.now());
  const year = q.year ?? Number(today.slice(0, 4));
  // The same period of both years: the whole year for a past one, up to today's day for this one.
  const end = year < Number(today.slice(0, 4)) ? `${year}-12-31` : `${year}${today.slice(4)}`;
  const lastEnd = `${year - 1}${end.slice(4) === '-02-29' ? '-02-28' : end.slice(4)}`;
  let b = ctx.db
    .selectFrom('accidents as a')
    .where(accidentScopeWhere<DB, 'accidents'>(ctx.actor, { city: 'a.city_code', district: 'a.district_code', street: 'a.street_code', industry: 'a.industry_code', enterpriseId: 'a.enterprise_id' }) as never)
    .where((eb) => eb.or([eb.and([eb('a.occurred_at', '>=', startOf(`${year}-01-01`)), eb('a.occurred_at', '<', nextDay(end))]), eb.and([eb('a.occurred_at', '>=', startOf(`${year - 1}-01-01`)), eb('a.occurred_at', '<', nextDay(lastEnd))])]));
  if (q.districtCode) b = b.where('a.district_code', '=', q.districtCode);
  const rows = await b.select(['a.occurred_at', 'a.district_code', 'a.industry_code', 'a.category', 'a.deaths', 'a.grade']).execute();
  const zero = (): Counts => ({ accidents: 0, deaths: 0 });
  const add = (m: Map<string, { now: Counts; last: Counts }>, k: string, thisYear: boolean, deaths: number) => {
    const e = m.get(k) ?? { now: zero(), last: zero() };
    const c = thisYear ? e.now : e.last;
    c.accidents++;
    c.deaths += deaths;
    m.set(k, e);
  };
  const total = new Map<string, { now: Counts; last: Counts }>();
  const byMonth = new Map<string, { now: Counts; last: Counts }>();
  const byDistrict = new Map<string, { now: Counts; last: Counts }>();
  const bySection = new Map<string, { now: Counts; last: Counts }>();
  const byCategory = new Map<string, { now: Counts; last: Counts }>();
  let larger = 0;
  for (const r of rows) {
    const day = shanghaiDate(new Date(r.occurred_at));
    const thisYear = day.startsWith(String(year));
    const deaths = Number(r.deaths);
    add(total, 'all', thisYear, deaths);
    add(byMonth, day.slice(5, 7), thisYear, deaths);
    add(byDistrict, r.district_code, thisYear, deaths);
    add(bySection, r.industry_code ? sectionOf(r.industry_code) : '-', thisYear, deaths);
    add(byCategory, r.category, thisYear, deaths);
    if (thisYear && r.grade !== 'general') larger++;
  }
  const names = new Map((await listRegions(ctx.db, { level: 'district', parent: ctx.actor.cityCode })).map((r) => [r.code, r.name]));
  const sections = new Map((await ctx.db.selectFrom('industries').select(['code', 'name']).where('level', '=', 'section').execute()).map((s) => [s.code, s.name]));
  const line = (k: string, name: string, e = { now: zero(), last: zero() }) => ({ key: k, name, ...e.now, lastYear: e.last, verdict: trendVerdict(e.now, e.last) });
  const t = total.get('all');
  const districts = q.districtCode ? [q.districtCode] : ctx.actor.districtCode ? [ctx.actor.districtCode] : [...names.keys()];
  return {
    year,
    from: `${year}-01-01`,
    to: end,
    lastYearTo: lastEnd,
    total: { ...(t?.now ?? zero()), lastYear: t?.last ?? zero(), verdict: trendVerdict(t?.now ?? zero(), t?.last ?? zero()), largerOrAbove: larger },
    months: Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0')).map((m) => line(`${year}-${m}`, `${Number(m)}月`, byMonth.get(m))),
    districts: districts.map((code) => line(code, names.get(code) ?? code, byDistrict.get(code))),
    sections: [...bySection.keys()].sort().map((k) => line(k, sections.get(k) ?? '未划分行业', bySection.get(k))),
    categories: [...byCategory.keys()].sort().map((k) => line(k, k, byCategory.get(k))),
  };
}

const yearBack = (date: string) => `${Number(date.slice(0, 4)) - 1}${date.slice(4) === '-02-29' ? '-02-28' : date.slice(4)}`;

/**
 * 事故统计: accidents, deaths, serious injuries, direct loss and larger-or-above accidents between two
 * Shanghai days (this year to today by default), grouped by district, industry division, category or
 * month, each against the same days a year before with its verdict. The figures a scorecard reads.
 */
export async function accidentStats(ctx: ActorCtx, q: z.output<typeof StatsQuery>): Promise<z.infer<typeof AccidentStats>> {
  const today = shanghaiDate(ctx.now());
  const from = q.from ?? `${today.slice(0, 4)}-01-01`;
  const to = q.to ?? (from > today ? from : today);
  if (to < from) throw fieldError('VALIDATION_FAILED', 'from', '开始日期不能晚于结束日期', 'from is after to');
  if (Date.parse(to) - Date.parse(from) >= 366 * 86_400_000) throw fieldError('VALIDATION_FAILED', q.to ? 'to' : 'from', '统计区间不能超过一年（与上年同期比较）', 'At most a year, to compare with the year before');
  const lastFrom = yearBack(from);
  const lastTo = yearBack(to);
  let b = ctx.db
    .selectFrom('accidents as a')
    .where(accidentScopeWhere<DB, 'accidents'>(ctx.actor, { city: 'a.city_code', district: 'a.district_code', street: 'a.street_code', industry: 'a.industry_code', enterpriseId: 'a.enterprise_id' }) as never)
    .where((eb) => eb.or([eb.and([eb('a.occurred_at', '>=', startOf(from)), eb('a.occurred_at', '<', nextDay(to))]), eb.and([eb('a.occurred_at', '>=', startOf(lastFrom)), eb('a.occurred_at', '<', nextDay(lastTo))])]));
  if (q.districtCode) b = b.where('a.district_code', '=', q.districtCode);
  const rows = await b.select(['a.occurred_at', 'a.district_code', 'a.industry_code', 'a.category', 'a.deaths', 'a.serious_injuries', 'a.loss_yuan', 'a.grade']).execute();
  type C = { accidents: number; deaths: number; seriousInjuries: number; directLossYuan: number; largerOrAbove: number };
  const zero = (): C => ({ accidents: 0, deaths: 0, seriousInjuries: 0, directLossYuan: 0, largerOrAbove: 0 });
  const groups = new Map<string, { now: C; last: C }>();
  const total = { now: zero(), last: zero() };
  const fromAt = startOf(from);
  for (const r of rows) {
    const day = shanghaiDate(new Date(r.occurred_at));
    const key = q.groupBy === 'district' ? r.district_code : q.groupBy === 'industry' ? (r.industry_code ?? '-') : q.groupBy === 'category' ? r.category : (r.occurred_at >= fromAt ? day : yearForward(day)).slice(0, 7);
    const g = groups.get(key) ?? { now: zero(), last: zero() };
    for (const c of r.occurred_at >= fromAt ? [g.now, total.now] : [g.last, total.last]) {
      c.accidents++;
      c.deaths += Number(r.deaths);
      c.seriousInjuries += Number(r.serious_injuries);
      c.directLossYuan += Number(r.loss_yuan);
      if (r.grade !== 'general') c.largerOrAbove++;
    }
    groups.set(key, g);
  }
  const names = new Map<string, string>();
  if (q.groupBy === 'district') for (const r of await listRegions(ctx.db, { level: 'district', parent: ctx.actor.cityCode })) names.set(r.code, r.name);
  if (q.groupBy === 'industry') for (const r of await ctx.db.selectFrom('industries').select(['code', 'name']).where('code', 'in', [...groups.keys(), '-']).execute()) names.set(r.code, r.name);
  if (q.groupBy === 'district') for (const code of q.districtCode ? [q.districtCode] : ctx.actor.districtCode ? [ctx.actor.districtCode] : names.keys()) if (!groups.has(code)) groups.set(code, { now: zero(), last: zero() });
  const name = (k: string) => (k === '-' ? '未划分行业' : q.groupBy === 'month' ? `${k.slice(0, 4)}年${Number(k.slice(5))}月` : (names.get(k) ?? k));
  return {
    groupBy: q.groupBy,
    from,
    to,
    lastYearFrom: lastFrom,
    lastYearTo: lastTo,
    total: { ...total.now, lastYear: total.last, verdict: trendVerdict(total.now, total.last) },
    rows: [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, g]) => ({ key, name: name(key), ...g.now, lastYear: g.last, verdict: trendVerdict(g.now, g.last) })),
  };
}

/** A day of last year's period, placed in this year's month for grouping by month. */
const yearForward = (day: string) => `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
