/**
 * 驾驶舱 views: city, district (or street), department and enterprise — read from the tallies
 * (`tallies.ts`), never by scanning the ledger; the enterprise view reads its own few hazards.
 */
import { selfCheckMonth } from '../selfchecks/figures';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { compiledPerDatabase } from '../../db/compiled';
import { HAZARD_GRADES, HAZARD_SOURCES, OPEN_STATUSES, type HazardGrade, type HazardSource } from '../../../shared/contracts/hazards';
import { STOCK_GROUPS, stockGroupOf, type Breakdown, type DashboardView, type EnterpriseDashboard, type StockGroup } from '../../../shared/contracts/dashboard';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { notFound } from '../../errors/app-error';
import { departmentDivisions } from '../../auth/actor';
import { findEnterprise } from '../enterprises/repository';
import { hazardScopeWhere, mayViewCityDashboard, mayViewDepartmentDashboard, mayViewDistrictDashboard } from '../../scope/scope';
import { findRegion } from '../regions/repository';
import { findDepartment } from '../departments/repository';
import { shanghaiDate } from '../hazards/workflow';
import { CITY_WIDE, ROLLED_UP, sectionOf, shanghaiMonth } from './tallies';

const TREND_MONTHS = 24;

/** The hazards a view counts: a region, optionally narrowed to industries. */
export interface ViewFilter {
  cityCode: string;
  districtCode?: string;
  streetCode?: string;
  industryCodes?: string[];
}

/** `count` months ending with `month` (YYYY-MM), oldest first. */
export function monthsEnding(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

type Grouping = 'A' | 'R' | 'I' | 'S' | 'X' | 'D';

/**
 * Tally rows of a view. Without a district: the city-wide copies where kept — or, with `districts`,
 * each of those districts' rows (a breakdown), sought one district after another. Every grouping but
 * R keeps '' as the street: said here, so that a `group by` in the key's order needs no sorting.
 */
function tallies(db: Kysely<DB>, f: ViewFilter, grouping: Grouping, measure: string, districts?: string[]) {
  let q = db.selectFrom('hazard_tallies').where('grouping', '=', grouping).where('measure', '=', measure).where('city_code', '=', f.cityCode);
  if (f.districtCode) q = q.where('district_code', '=', f.districtCode);
  else if (districts) q = q.where('district_code', 'in', districts.length ? districts : ['-']);
  else if (ROLLED_UP.has(grouping)) q = q.where('district_code', '=', CITY_WIDE);
  if (grouping !== 'R') q = q.where('street_code', '=', '');
  else if (f.streetCode) q = q.where('street_code', '=', f.streetCode);
  if (f.industryCodes) q = q.where('industry_code', 'in', f.industryCodes.length ? f.industryCodes : ['-']);
  return q;
}

type TallyQuery = ReturnType<typeof tallies>;

/** Sums by source, a column each (`s0` … in `HAZARD_SOURCES`' order). */
const SOURCE_SUMS = HAZARD_SOURCES.map((source, k) => sql<number>`sum(case when source = ${sql.lit(source)} then n else 0 end)`.as(`s${k}`));

/** Sums of a read: all, of major hazards, and of those supervised at city and at district level. */
const SUMS = [
  sql<number>`sum(n)`.as('n'),
  sql<number>`sum(case when grade = 'major' then n else 0 end)`.as('major'),
  sql<number>`sum(case when supervision = 'city' then n else 0 end)`.as('city'),
  sql<number>`sum(case when supervision = 'district' then n else 0 end)`.as('district'),
] as const;

const VIEW_STATEMENTS = compiledPerDatabase(300);

/**
 * Runs a statement of a view compiled once for `key`, which must name everything the statement
 * depends on (the view's filter, today's date, the breakdown): building and compiling the cockpit's
 * dozen statements cost about as much as running some of them. Text only, never rows.
 */
async function run<R>(db: Kysely<DB>, key: string, build: () => { compile(): CompiledQuery<R> }): Promise<R[]> {
  return (await db.executeQuery(VIEW_STATEMENTS(db).get(key, () => build().compile()))).rows;
}

/**
 * Open hazards whose deadline is before `today`: the earlier years' rows, this year's earlier
 * months' and this month's earlier days' (see `tallies.ts`) — three index ranges, however old the
 * ledger, each summed by `shape` (rows of the three come one after another).
 */
function pastDue<O>(db: Kysely<DB>, f: ViewFilter, grouping: Grouping, today: string, shape: (q: TallyQuery) => O, districts?: string[]): O[] {
  const year = today.slice(0, 4);
  const month = today.slice(0, 7);
  const part = (measure: string, from: string | null, below: string) => {
    const q = tallies(db, f, grouping, measure, districts).where('period', '<', below);
    return shape(from === null ? q : q.where('period', '>=', from));
  };
  return [part('due_year', null, year), part('due_month', year, month), part('due', month, today)];
}

const num = (v: unknown) => Number(v ?? 0);

function addTo<K>(m: Map<K, number>, k: K, n: number) {
  m.set(k, (m.get(k) ?? 0) + n);
}

function median(hist: Map<number, number>): number | null {
  const entries = [...hist.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const count = entries.reduce((s, [, n]) => s + n, 0);
  if (!count) return null;
  // The lower and upper middle values, averaged when the count is even.
  const at = (rank: number) => {
    let seen = 0;
    for (const [days, n] of entries) {
      seen += n;
      if (seen > rank) return days;
    }
    return entries[entries.length - 1][0];
  };
  return (at(Math.floor((count - 1) / 2)) + at(Math.floor(count / 2))) / 2;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Figures for a region or department, with a breakdown by `breakdownBy` (districts or streets). */
export async function computeView(
  db: Kysely<DB>,
  f: ViewFilter,
  now: Date,
  opts: { level: DashboardView['level']; name: string; base: DashboardView['base']; breakdownBy: 'district' | 'street' | null; worst: boolean },
): Promise<DashboardView> {
  const today = shanghaiDate(now);
  const month = today.slice(0, 7);
  const year = month.slice(0, 4);
  const months = monthsEnding(month, TREND_MONTHS);
  const first = months[0];
  // District-level figures come from A; a street's from R; a department's industries from I.
  const g: Grouping = f.industryCodes ? 'I' : f.streetCode ? 'R' : 'A';
  // Everything the view's statements depend on (see `run`).
  const key = JSON.stringify([f.cityCode, f.districtCode ?? '', f.streetCode ?? '', f.industryCodes ?? null, today, opts.breakdownBy]);

  // 1. Open now, by grade, supervision and year found (a few rows).
  const openRows = await run(db, `open|${key}`, () => tallies(db, f, g, 'open').where('period', '=', '').select(['grade', 'supervision', 'extra', 'n']));
  // 2. Overdue now: open with a deadline before today, summed in the database.
  const dueRows = await run(db, `due|${key}`, () => {
    const [y, m, d] = pastDue(db, f, g, today, (q) => q.select(SUMS));
    return y.unionAll(m).unionAll(d);
  });
  // 3. Found, closed and fixed on the spot, by month, grade and year found (all months: the closure rate is cumulative).
  // Only the trend's months are read row by row (and this year's for fixed on the spot); the
  // closures before them count in the closure rate only, summed in the database.
  const flow = (measure: string, from: string) => tallies(db, f, g, measure).where('period', '>=', from).select(['measure', 'period', 'grade', 'extra', 'n']);
  const flowRows = await run(db, `flow|${key}`, () => flow('found', first).unionAll(flow('closed', first)).unionAll(flow('spot', `${year}-01`)));
  const [closedBefore] = await run(db, `closed|${key}`, () => tallies(db, f, g, 'closed').where('period', '<', first).select(SUMS[0]));

  const totals = { open: 0, openMajor: 0, overdue: 0, overdueMajor: 0, closedThisMonth: 0, foundThisMonth: 0 };
  const supervision = { city: { open: 0, overdue: 0 }, district: { open: 0, overdue: 0 } };
  const stockNow = new Map<StockGroup, number>();
  const openByGrade = new Map<HazardGrade, number>();
  for (const r of openRows) {
    const n = num(r.n);
    totals.open += n;
    if (r.grade === 'major') totals.openMajor += n;
    addTo(openByGrade, r.grade as HazardGrade, n);
    addTo(stockNow, stockGroupOf(Number(r.extra)), n);
    if (r.supervision === 'city' || r.supervision === 'district') supervision[r.supervision].open += n;
  }
  for (const r of dueRows) {
    totals.overdue += num(r.n);
    totals.overdueMajor += num(r.major);
    supervision.city.overdue += num(r.city);
    supervision.district.overdue += num(r.district);
  }

  const idx = new Map(months.map((m, i) => [m, i]));
  const zeros = () => months.map(() => 0);
  const trend = { months, found: zeros(), closed: zeros() };
  const byGrade = HAZARD_GRADES.map((key) => ({ key, open: openByGrade.get(key) ?? 0, found: zeros(), closed: zeros() }));
  let closedAll = num(closedBefore?.n);
  let closedThisYear = 0;
  let spotThisYear = 0;
  // Found minus closed per month and stock group: what each month added to the open hazards.
  const net = new Map<string, number>();
  const netThisMonth = new Map<HazardGrade, number>();
  for (const r of flowRows) {
    const n = num(r.n);
    const i = idx.get(r.period);
    const grade = byGrade.find((x) => x.key === r.grade)!;
    if (r.measure === 'found') {
      addTo(net, `${stockGroupOf(Number(r.extra))}|${r.period}`, n);
      if (r.period === month) {
        totals.foundThisMonth += n;
        addTo(netThisMonth, r.grade as HazardGrade, n);
      }
      if (i !== undefined) {
        trend.found[i] += n;
        grade.found[i] += n;
      }
    } else if (r.measure === 'closed') {
      closedAll += n;
      addTo(net, `${stockGroupOf(Number(r.extra))}|${r.period}`, -n);
      if (r.period === month) {
        totals.closedThisMonth += n;
        addTo(netThisMonth, r.grade as HazardGrade, -n);
      }
      if (r.period.startsWith(year) && r.period <= month) closedThisYear += n;
      if (i !== undefined) {
        trend.closed[i] += n;
        grade.closed[i] += n;
      }
    } else if (r.period.startsWith(year) && r.period <= month) {
      spotThisYear += n;
    }
  }

  // Open at the end of each month, as the ledger now knows it (found by then, not closed by then —
  // the 区情月报's definition): today's figure minus what each later month added.
  const groups = STOCK_GROUPS.map((key) => {
    const series = zeros();
    let level = stockNow.get(key) ?? 0;
    for (let i = months.length - 1; i >= 0; i--) {
      series[i] = level;
      level -= net.get(`${key}|${months[i]}`) ?? 0;
    }
    return { key, open: stockNow.get(key) ?? 0, series };
  });
  const lastMonth = {
    open: totals.open - (netThisMonth.get('general') ?? 0) - (netThisMonth.get('major') ?? 0),
    openMajor: totals.openMajor - (netThisMonth.get('major') ?? 0),
  };

  // By source: kept per district, so not for a street or a department's industries.
  let bySource: DashboardView['bySource'] = null;
  if (!f.streetCode && !f.industryCodes) {
    // One row a month, a column a source (summed in the key's order: no sorting).
    const pivot = (q: TallyQuery) => q.select(['measure', 'period', ...SOURCE_SUMS]).groupBy(['measure', 'period']);
    const rows = await run(db, `source|${key}`, () => pivot(tallies(db, f, 'S', 'open').where('period', '=', '')).unionAll(pivot(tallies(db, f, 'S', 'found').where('period', '>=', first))));
    bySource = HAZARD_SOURCES.map((key) => ({ key, open: 0, found: zeros() }));
    for (const r of rows) {
      const i = r.measure === 'open' ? -1 : idx.get(r.period);
      if (i === undefined) continue;
      bySource.forEach((s, k) => {
        const n = num(r[`s${k}`]);
        if (i < 0) s.open += n;
        else s.found[i] += n;
      });
    }
  }

  // By industry section (门类): from X for a region, from a department's own divisions in I; not kept per street.
  let bySection: DashboardView['bySection'] = null;
  if (!f.streetCode) {
    const x: Grouping = f.industryCodes ? 'I' : 'X';
    // By section (or division), month and measure, summed in the key's order.
    const sums = (q: TallyQuery) => q.select(['measure', 'period', 'industry_code', SUMS[0], SUMS[1]]).groupBy(['measure', 'period', 'street_code', 'industry_code']);
    const rows = await run(db, `section|${key}`, () => sums(tallies(db, f, x, 'open').where('period', '=', '')).unionAll(sums(tallies(db, f, x, 'found').where('period', '>=', first))));
    const names = await sectionNames(db);
    const sections = new Map<string, { key: string; name: string; open: number; openMajor: number; found: number[] }>();
    for (const r of rows) {
      const key = f.industryCodes ? sectionOf(r.industry_code) : r.industry_code;
      let s = sections.get(key);
      if (!s) sections.set(key, (s = { key, name: names.get(key) ?? '未知门类', open: 0, openMajor: 0, found: zeros() }));
      if (r.measure === 'open') {
        s.open += num(r.n);
        s.openMajor += num(r.major);
      } else if (idx.has(r.period)) s.found[idx.get(r.period)!] += num(r.n);
    }
    bySection = [...sections.values()].sort((a, b) => b.open - a.open || a.key.localeCompare(b.key));
  }

  // Median days to closure over the last 12 months: kept per district only.
  let medianDays: number | null = null;
  if (!f.streetCode && !f.industryCodes) {
    const rows = await run(db, `days|${key}`, () => tallies(db, f, 'D', 'days').where('period', '>', months[months.length - 13]).where('period', '<=', month).select(['extra', SUMS[0]]).groupBy('extra'));
    const hist = new Map<number, number>();
    for (const r of rows) addTo(hist, Number(r.extra), num(r.n));
    medianDays = median(hist);
  }

  const view: DashboardView = {
    selfChecks: await selfCheckMonth(db, f, today),
    level: opts.level,
    name: opts.name,
    asOf: now.toISOString(),
    today,
    month,
    base: opts.base,
    totals,
    lastMonth,
    rates: {
      closureRate: ratio(closedAll, closedAll + totals.open),
      overdueRate: ratio(totals.overdue, totals.open),
      fixedOnSpotShare: ratio(spotThisYear, closedThisYear),
      medianDaysToClose: medianDays,
    },
    supervision,
    stock: { months, groups },
    trend,
    byGrade,
    bySource,
    bySection,
  };

  const level = opts.breakdownBy;
  if (level) {
    // Every district (or street) is listed, those without hazards with zeros.
    const regions = await run(db, `regions|${key}`, () => {
      const rq = db.selectFrom('regions').select(['code', 'name']).where('level', '=', level);
      return (level === 'district' ? rq.where('parent_code', '=', f.cityCode) : rq.where('parent_code', '=', f.districtCode ?? '-')).orderBy('code');
    });
    // Open and overdue by area, summed in the database in the key's order: districts from each
    // district's rows (A, or I for a department), streets from R.
    const ag: Grouping = level === 'street' ? 'R' : g;
    const col = level === 'street' ? 'street_code' : 'district_code';
    const districts = level === 'district' ? regions.map((r) => r.code) : undefined;
    const byArea = (q: TallyQuery) => q.select([sql.ref<string>(col).as('area'), SUMS[0], SUMS[1]]).groupBy(col);
    // The areas' codes are in the key: a statement names them.
    const areaKey = `${key}|${districts?.join() ?? ''}`;
    const open = await run(db, `area-open|${areaKey}`, () => byArea(tallies(db, f, ag, 'open', districts).where('period', '=', '')));
    const due = await run(db, `area-due|${areaKey}`, () => {
      const [y, m, d] = pastDue(db, f, ag, today, byArea, districts);
      return y.unionAll(m).unionAll(d);
    });
    const areas = new Map<string, Breakdown>();
    const areaRow = (code: string) => {
      let b = areas.get(code);
      if (!b) areas.set(code, (b = { code, name: code, open: 0, openMajor: 0, overdue: 0, overdueMajor: 0 }));
      return b;
    };
    for (const r of open) {
      const b = areaRow(r.area);
      b.open += num(r.n);
      b.openMajor += num(r.major);
    }
    for (const r of due) {
      const b = areaRow(r.area);
      b.overdue += num(r.n);
      b.overdueMajor += num(r.major);
    }
    const list: Breakdown[] = regions.map((r) => ({ ...areaRow(r.code), name: r.name }));
    // Hazards handed to a district keep no street: they show as one row of their own.
    const unplaced = areas.get('');
    if (level === 'street' && unplaced && (unplaced.open || unplaced.overdue)) list.push({ ...unplaced, code: '', name: '未落街道' });
    if (level === 'district') view.byDistrict = list;
    else view.byStreet = list;
  }
  if (opts.worst) view.worstEnterprises = await worstEnterprises(db, f, today);
  return view;
}

let sectionNameCache: Map<string, string> | null = null;
async function sectionNames(db: Kysely<DB>) {
  sectionNameCache ??= new Map((await db.selectFrom('industries').select(['code', 'name']).where('level', '=', 'section').execute()).map((r) => [r.code, r.name]));
  return sectionNameCache;
}

/** The ten enterprises with most open major, then open, hazards; overdue counted from their own rows. */
async function worstEnterprises(db: Kysely<DB>, f: ViewFilter, today: string) {
  // Walks the ranking index in order and stops at the tenth match.
  let q = db.selectFrom('enterprise_open_tallies').select(['enterprise_id', 'open', 'open_major']).where('open', '>', 0);
  q = f.districtCode ? q.where('district_code', '=', f.districtCode) : q.where('city_code', '=', f.cityCode);
  if (f.streetCode) q = q.where('street_code', '=', f.streetCode);
  if (f.industryCodes) q = q.where('industry_code', 'in', f.industryCodes.length ? f.industryCodes : ['-']);
  const top = await q.orderBy('open_major', 'desc').orderBy('open', 'desc').orderBy('enterprise_id').limit(10).execute();
  if (!top.length) return [];
  const ids = top.map((t) => t.enterprise_id);
  const names = new Map((await db.selectFrom('enterprises').select(['id', 'name']).where('id', 'in', ids).execute()).map((e) => [e.id, e.name]));
  // Their open hazards through the enterprise index (a few dozen rows), the view's filter applied here.
  const open = await db.selectFrom('hazards').select(['enterprise_id', 'district_code', 'street_code', 'industry_code', 'deadline']).where('enterprise_id', 'in', ids).where('status', 'in', [...OPEN_STATUSES]).execute();
  const overdue = new Map<string, number>();
  for (const h of open) {
    if (!h.deadline || h.deadline >= today) continue;
    if ((f.districtCode && h.district_code !== f.districtCode) || (f.streetCode && h.street_code !== f.streetCode) || (f.industryCodes && !f.industryCodes.includes(h.industry_code))) continue;
    addTo(overdue, h.enterprise_id, 1);
  }
  return top.map((t) => ({ id: t.enterprise_id, name: names.get(t.enterprise_id) ?? t.enterprise_id, open: num(t.open), openMajor: num(t.open_major), overdue: overdue.get(t.enterprise_id) ?? 0 }));
}

// Who may open which view is decided in scope.ts; anything else answers 404, like every out-of-scope read.

export async function cityView(ctx: ActorCtx): Promise<DashboardView> {
  if (!mayViewCityDashboard(ctx.actor)) throw notFound('驾驶舱', 'dashboard');
  const f = { cityCode: ctx.actor.cityCode };
  const city = await findRegion(ctx.db, f.cityCode);
  return computeView(ctx.db, f, ctx.now(), { level: 'city', name: city?.name ?? f.cityCode, base: {}, breakdownBy: 'district', worst: false });
}

export async function districtView(ctx: ActorCtx, code: string): Promise<DashboardView> {
  const a = ctx.actor;
  const region = await findRegion(ctx.db, code);
  if (!region || region.level !== 'district' || region.parentCode !== a.cityCode || !mayViewDistrictDashboard(a, code)) throw notFound('区', 'district');
  if (a.streetCode) {
    // A street officer sees the district view of their own street.
    const street = await findRegion(ctx.db, a.streetCode);
    const f = { cityCode: a.cityCode, districtCode: code, streetCode: a.streetCode };
    return computeView(ctx.db, f, ctx.now(), { level: 'street', name: `${region.name}${street?.name ?? ''}`, base: { districtCode: code, streetCode: a.streetCode }, breakdownBy: null, worst: true });
  }
  const f = { cityCode: a.cityCode, districtCode: code };
  return computeView(ctx.db, f, ctx.now(), { level: 'district', name: region.name, base: { districtCode: code }, breakdownBy: 'street', worst: true });
}

export async function departmentView(ctx: ActorCtx, id: string): Promise<DashboardView> {
  const a = ctx.actor;
  const dept = await findDepartment(ctx.db, id);
  if (!dept || dept.city_code !== a.cityCode || !mayViewDepartmentDashboard(a, { id: dept.id, regionCode: dept.region_code })) throw notFound('部门', 'department');
  const districtLevel = dept.region_code !== dept.city_code;
  const f: ViewFilter = { cityCode: a.cityCode, industryCodes: await departmentDivisions(ctx.db, id), ...(districtLevel ? { districtCode: dept.region_code } : {}) };
  return computeView(ctx.db, f, ctx.now(), {
    level: 'department',
    name: dept.name,
    base: { departmentId: id, ...(districtLevel ? { districtCode: dept.region_code } : {}) },
    breakdownBy: districtLevel ? null : 'district',
    worst: true,
  });
}

/** An enterprise's own page: few rows, read directly. */
export async function enterpriseView(ctx: ActorCtx, id: string): Promise<EnterpriseDashboard> {
  const ent = await findEnterprise(ctx.db, ctx.actor, id);
  if (!ent) throw notFound('企业', 'enterprise');
  const now = ctx.now();
  const today = shanghaiDate(now);
  const soon = shanghaiDate(new Date(now.getTime() + 7 * 86_400_000));
  // The enterprise's hazards the viewer may see, as the ledger filtered to it shows them.
  const rows = await ctx.db
    .selectFrom('hazards')
    .select(['id', 'code', 'description', 'grade', 'status', 'deadline', 'found_at', 'closed_at'])
    .where(hazardScopeWhere<DB, 'hazards'>(ctx.actor))
    .where('enterprise_id', '=', id)
    .where('status', '!=', 'voided')
    .execute();
  const open = rows.filter((r) => OPEN_STATUSES.includes(r.status));
  const overdue = (r: (typeof rows)[number]) => OPEN_STATUSES.includes(r.status) && !!r.deadline && r.deadline < today;
  const months = monthsEnding(today.slice(0, 7), 12);
  const idx = new Map(months.map((m, i) => [m, i]));
  const history = { months, found: months.map(() => 0), closed: months.map(() => 0) };
  for (const r of rows) {
    const fi = idx.get(shanghaiMonth(r.found_at));
    if (fi !== undefined) history.found[fi]++;
    const ci = r.closed_at && r.status === 'closed' ? idx.get(shanghaiMonth(r.closed_at)) : undefined;
    if (ci !== undefined) history.closed[ci]++;
  }
  const district = await ctx.db.selectFrom('regions').select('name').where('code', '=', ent.district_code).executeTakeFirst();
  return {
    enterprise: { id: ent.id, name: ent.name, districtCode: ent.district_code, districtName: district?.name ?? null },
    asOf: now.toISOString(),
    today,
    totals: {
      open: open.length,
      openMajor: open.filter((r) => r.grade === 'major').length,
      overdue: open.filter(overdue).length,
      dueSoon: open.filter((r) => !!r.deadline && r.deadline >= today && r.deadline <= soon).length,
      closed: rows.filter((r) => r.status === 'closed').length,
      found: rows.length,
    },
    // Open hazards, the most urgent first: overdue, then by deadline, then those without one.
    upcoming: open
      .sort((x, y) => (x.deadline ?? '9999').localeCompare(y.deadline ?? '9999') || x.code.localeCompare(y.code))
      .slice(0, 20)
      .map((r) => ({ id: r.id, code: r.code, description: r.description, grade: r.grade, status: r.status, deadline: r.deadline, overdue: overdue(r) })),
    history,
    selfChecks: await selfCheckMonth(ctx.db, { cityCode: ent.city_code }, today, id),
  };
}
