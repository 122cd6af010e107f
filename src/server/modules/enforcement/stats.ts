/**
 * 季度执法通报: per district and for the city — inspections and their change on the same quarter last
 * year, planned versus triggered, unannounced, hazards and major hazards found (per 100 inspections),
 * the rectification rate of the findings, cases, decisions and fines, key-unit coverage. Counts come
 * from the tallies kept in the writing transaction; the rectification rate and key-unit coverage,
 * which move with the ledger and the calendar, are counted from their indexes when asked.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Bulletin, BulletinFigures, StatsQuery } from '../../../shared/contracts/enforcement';
import { shanghaiDate } from '../../../shared/dates';
import type { ActorCtx } from '../../context';
import { AppError } from '../../errors/app-error';
import { mayViewCityDashboard, mayViewDistrictDashboard } from '../../scope/scope';
import { listRegions } from '../regions/repository';
import { quarterOf, quarterSpan } from './tallies';

type Counts = Omit<BulletinFigures, 'inspectionsLastYear' | 'change' | 'hazardsPer100' | 'majorPer100' | 'rectificationRate' | 'findingsClosed' | 'keyUnits' | 'keyUnitsCovered'>;
const ratio = (a: number, b: number) => (b ? a / b : null);

async function tallies(ctx: ActorCtx, quarter: string, district: string | null) {
  let q = ctx.db.selectFrom('enforcement_tallies').selectAll().where('city_code', '=', ctx.actor.cityCode).where('quarter', '=', quarter);
  if (district) q = q.where('district_code', '=', district);
  return q.execute();
}

/** Per district: findings of the quarter's finished inspections, and how many of them are closed now. */
async function rectification(ctx: ActorCtx, from: string, to: string, district: string | null) {
  const rows = await sql<{ district_code: string; found: number; closed: number }>`
    select i.district_code, count(*) as found, sum(case when h.status = 'closed' then 1 else 0 end) as closed
    from inspections i
    join hazard_origins o on o.origin_type = 'inspection' and o.origin_id = i.id
    join hazards h on h.id = o.hazard_id
    where i.city_code = ${ctx.actor.cityCode} and i.date >= ${from} and i.date <= ${to} and i.status = 'finished' and h.status <> 'voided'
      ${district ? sql`and i.district_code = ${district}` : sql``}
    group by i.district_code`.execute(ctx.db);
  return new Map(rows.rows.map((r) => [r.district_code, { found: Number(r.found), closed: Number(r.closed) }]));
}

/** Per district: key units of the year, and those with a finished inspection in the quarter. */
async function keyUnits(ctx: ActorCtx, year: number, from: string, to: string, district: string | null) {
  const rows = await sql<{ district_code: string; total: number; covered: number }>`
    select k.district_code, count(*) as total,
      sum(case when exists (select 1 from inspections i where i.enterprise_id = k.enterprise_id and i.date >= ${from} and i.date <= ${to} and i.status = 'finished') then 1 else 0 end) as covered
    from key_units k
    where k.city_code = ${ctx.actor.cityCode} and k.year = ${year} ${district ? sql`and k.district_code = ${district}` : sql``}
    group by k.district_code`.execute(ctx.db);
  return new Map(rows.rows.map((r) => [r.district_code, { total: Number(r.total), covered: Number(r.covered) }]));
}

const ZERO: Counts = { inspections: 0, planned: 0, triggered: 0, unannounced: 0, hazards: 0, majorHazards: 0, cases: 0, decisions: 0, fines: 0, fineYuan: 0 };

function figures(c: Counts, last: number, rect: { found: number; closed: number }, key: { total: number; covered: number }): BulletinFigures {
  return {
    ...c,
    inspectionsLastYear: last,
    change: last ? (c.inspections - last) / last : null,
    hazardsPer100: c.inspections ? (c.hazards * 100) / c.inspections : null,
    majorPer100: c.inspections ? (c.majorHazards * 100) / c.inspections : null,
    findingsClosed: rect.closed,
    rectificationRate: ratio(rect.closed, rect.found),
    keyUnits: key.total,
    keyUnitsCovered: key.covered,
  };
}

export async function enforcementBulletin(ctx: ActorCtx, q: z.output<typeof StatsQuery>): Promise<Bulletin> {
  const district = q.districtCode ?? ctx.actor.districtCode ?? null;
  const allowed = district ? mayViewDistrictDashboard(ctx.actor, district) : mayViewCityDashboard(ctx.actor);
  if (!allowed) throw new AppError('NOT_FOUND', '未找到该区的执法通报', 'No bulletin for this scope');
  const quarter = q.quarter ?? quarterOf(shanghaiDate(ctx.now()));
  const { from, to } = quarterSpan(quarter);
  const lastQuarter = `${Number(quarter.slice(0, 4)) - 1}${quarter.slice(4)}`;
  const [now, before, rect, keys] = await Promise.all([tallies(ctx, quarter, district), tallies(ctx, lastQuarter, district), rectification(ctx, from, to, district), keyUnits(ctx, Number(quarter.slice(0, 4)), from, to, district)]);
  const districts = (await listRegions(ctx.db, { level: 'district' })).filter((r) => !district || r.code === district);
  const rows = districts.map((d) => {
    const t = now.find((x) => x.district_code === d.code);
    const c: Counts = t
      ? { inspections: t.inspections, planned: t.planned, triggered: t.triggered, unannounced: t.unannounced, hazards: t.hazards, majorHazards: t.major_hazards, cases: t.cases, decisions: t.decisions, fines: t.fines, fineYuan: Number(t.fine_fen) / 100 }
      : ZERO;
    const last = before.find((x) => x.district_code === d.code)?.inspections ?? 0;
    return { districtCode: d.code, name: d.name, ...figures(c, last, rect.get(d.code) ?? { found: 0, closed: 0 }, keys.get(d.code) ?? { total: 0, covered: 0 }) };
  });
  const sum = (k: keyof Counts) => rows.reduce((s, r) => s + (r[k] as number), 0);
  const totalCounts = Object.fromEntries(Object.keys(ZERO).map((k) => [k, sum(k as keyof Counts)])) as Counts;
  totalCounts.fineYuan = Math.round(totalCounts.fineYuan * 100) / 100;
  const totals = figures(
    totalCounts,
    rows.reduce((s, r) => s + r.inspectionsLastYear, 0),
    { found: [...rect.values()].reduce((s, r) => s + r.found, 0), closed: rows.reduce((s, r) => s + r.findingsClosed, 0) },
    { total: rows.reduce((s, r) => s + r.keyUnits, 0), covered: rows.reduce((s, r) => s + r.keyUnitsCovered, 0) },
  );
  return { quarter, from, to, districtCode: district, name: district ? (districts[0]?.name ?? district) : '全市', totals, rows };
}
