/**
 * 季度执法通报: per district and for the city — inspections and their change on the same quarter last
 * year, planned versus triggered, unannounced, hazards and major hazards found (per 100 inspections),
 * the rectification rate of the findings, cases, decisions and fines, key-unit coverage. Counts come
 * from the tallies kept in the writing transaction — the findings' rectification too, moved by the
 * hazard loop's steps through the origin observer; key-unit coverage, which moves with the calendar,
 * is counted from its index when asked.
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

type Counts = Omit<BulletinFigures, 'inspectionsLastYear' | 'change' | 'hazardsPer100' | 'majorPer100' | 'rectificationRate' | 'keyUnits' | 'keyUnitsCovered'> & { findingsVoided: number };
const ratio = (a: number, b: number) => (b ? a / b : null);

async function tallies(ctx: ActorCtx, quarter: string, district: string | null) {
  let q = ctx.db.selectFrom('enforcement_tallies').selectAll().where('city_code', '=', ctx.actor.cityCode).where('quarter', '=', quarter);
  if (district) q = q.where('district_code', '=', district);
  return q.execute();
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

const ZERO: Counts = { inspections: 0, planned: 0, triggered: 0, unannounced: 0, hazards: 0, majorHazards: 0, findingsClosed: 0, findingsVoided: 0, cases: 0, decisions: 0, fines: 0, fineYuan: 0 };

function figures(all: Counts, last: number, key: { total: number; covered: number }): BulletinFigures {
  const { findingsVoided, ...c } = all;
  return {
    ...c,
    inspectionsLastYear: last,
    change: last ? (c.inspections - last) / last : null,
    hazardsPer100: c.inspections ? (c.hazards * 100) / c.inspections : null,
    majorPer100: c.inspections ? (c.majorHazards * 100) / c.inspections : null,
    // Of the findings not voided as wrong, the share closed.
    rectificationRate: ratio(c.findingsClosed, c.hazards - findingsVoided),
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
  const [now, before, keys] = await Promise.all([tallies(ctx, quarter, district), tallies(ctx, lastQuarter, district), keyUnits(ctx, Number(quarter.slice(0, 4)), from, to, district)]);
  const districts = (await listRegions(ctx.db, { level: 'district' })).filter((r) => !district || r.code === district);
  const rows = districts.map((d) => {
    const t = now.find((x) => x.district_code === d.code);
    const c: Counts = t
      ? { inspections: t.inspections, planned: t.planned, triggered: t.triggered, unannounced: t.unannounced, hazards: t.hazards, majorHazards: t.major_hazards, findingsClosed: t.findings_closed, findingsVoided: t.findings_voided, cases: t.cases, decisions: t.decisions, fines: t.fines, fineYuan: Number(t.fine_fen) / 100 }
      : ZERO;
    const last = before.find((x) => x.district_code === d.code)?.inspections ?? 0;
    return { districtCode: d.code, name: d.name, voided: c.findingsVoided, ...figures(c, last, keys.get(d.code) ?? { total: 0, covered: 0 }) };
  });
  const sum = (k: keyof Counts | 'voided') => rows.reduce((s, r) => s + (r[k === 'findingsVoided' ? 'voided' : k] as number), 0);
  const totalCounts = Object.fromEntries(Object.keys(ZERO).map((k) => [k, sum(k as keyof Counts)])) as Counts;
  totalCounts.fineYuan = Math.round(totalCounts.fineYuan * 100) / 100;
  const totals = figures(totalCounts, rows.reduce((s, r) => s + r.inspectionsLastYear, 0), { total: rows.reduce((s, r) => s + r.keyUnits, 0), covered: rows.reduce((s, r) => s + r.keyUnitsCovered, 0) });
  return { quarter, from, to, districtCode: district, name: district ? (districts[0]?.name ?? district) : '全市', totals, rows: rows.map(({ voided: _v, ...r }) => r) };
}
