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
import type { EnforcementTalliesTable } from '../../db/schema';
import { shanghaiDate } from '../../../shared/dates';
import type { ActorCtx } from '../../context';
import { AppError } from '../../errors/app-error';
import { mayViewCityDashboard, mayViewDistrictDashboard } from '../../scope/scope';
import { listRegions } from '../regions/repository';
import { quarterOf, quarterSpan } from './tallies';

/** A district's counts as kept (money in fen), with last year's inspections and its key units: they add up across districts. */
type Raw = Omit<EnforcementTalliesTable, 'city_code' | 'district_code' | 'quarter'> & { lastYear: number; keyUnits: number; keyCovered: number };
const KEYS = ['inspections', 'planned', 'triggered', 'unannounced', 'hazards', 'major_hazards', 'findings_closed', 'findings_voided', 'cases', 'decisions', 'fines', 'fine_fen', 'lastYear', 'keyUnits', 'keyCovered'] as const;
const ratio = (a: number, b: number) => (b ? a / b : null);
const sum = (raws: Raw[]) => Object.fromEntries(KEYS.map((k) => [k, raws.reduce((n, r) => n + Number(r[k]), 0)])) as Raw;

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

function figures(r: Raw): BulletinFigures {
  return {
    inspections: r.inspections,
    inspectionsLastYear: r.lastYear,
    change: r.lastYear ? (r.inspections - r.lastYear) / r.lastYear : null,
    planned: r.planned,
    triggered: r.triggered,
    unannounced: r.unannounced,
    hazards: r.hazards,
    majorHazards: r.major_hazards,
    hazardsPer100: r.inspections ? (r.hazards * 100) / r.inspections : null,
    majorPer100: r.inspections ? (r.major_hazards * 100) / r.inspections : null,
    findingsClosed: r.findings_closed,
    // Of the findings not voided as wrong, the share closed.
    rectificationRate: ratio(r.findings_closed, r.hazards - r.findings_voided),
    cases: r.cases,
    decisions: r.decisions,
    fines: r.fines,
    fineYuan: r.fine_fen / 100,
    keyUnits: r.keyUnits,
    keyUnitsCovered: r.keyCovered,
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
  const raws = districts.map((d): Raw => {
    const key = keys.get(d.code);
    return { ...sum([]), ...now.find((x) => x.district_code === d.code), lastYear: before.find((x) => x.district_code === d.code)?.inspections ?? 0, keyUnits: key?.total ?? 0, keyCovered: key?.covered ?? 0 };
  });
  const rows = districts.map((d, i) => ({ districtCode: d.code, name: d.name, ...figures(raws[i]) }));
  return { quarter, from, to, districtCode: district, name: district ? (districts[0]?.name ?? district) : '全市', totals: figures(sum(raws)), rows };
}
