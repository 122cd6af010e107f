/**
 * The cockpit at city scale: the four dashboard endpoints (answered from the tallies) against the
 * same figures computed with direct GROUP BY queries over the ledger, in the same run.
 */
import { sql, type Kysely } from 'kysely';
import { OPEN_STATUSES } from '../src/shared/contracts/hazards';
import type { DB } from '../src/server/db/schema';
import { monthsEnding } from '../src/server/modules/dashboard/views';
import { shanghaiDate } from '../src/server/modules/hazards/workflow';

interface Filter {
  cityCode: string;
  districtCode?: string;
  industryCodes?: string[];
}

/** As the ledger stores instants (`db/instants.ts`): milliseconds since the epoch. */
const monthStart = (month: string) => Date.parse(`${month}-01T00:00:00+08:00`);
// Date.UTC counts months from 0, so passing the 1-based month gives the next one.
const nextMonth = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);

/**
 * The baseline: the cockpit's figures straight from the hazards table — open and overdue by area
 * and grade, supervision, stock by year found, found and closed per month for 24 months by grade,
 * found per month by source, open by industry section, and the median days to close (last 12 months).
 */
export async function directFigures(db: Kysely<DB>, f: Filter, now: Date, area: 'district_code' | 'street_code') {
  const base = () => {
    let q = db.selectFrom('hazards').where('city_code', '=', f.cityCode);
    if (f.districtCode) q = q.where('district_code', '=', f.districtCode);
    if (f.industryCodes) q = q.where('industry_code', 'in', f.industryCodes);
    return q;
  };
  const today = shanghaiDate(now);
  const months = monthsEnding(today.slice(0, 7), 24);
  const open = base().where('status', 'in', [...OPEN_STATUSES]);
  const out: Record<string, unknown> = {};
  out.open = await open.select([area, 'grade', 'supervision_level', (eb) => eb.fn.countAll<number>().as('n')]).groupBy([area, 'grade', 'supervision_level']).execute();
  out.overdue = await open.where('deadline', '<', today).select([area, 'grade', 'supervision_level', (eb) => eb.fn.countAll<number>().as('n')]).groupBy([area, 'grade', 'supervision_level']).execute();
  out.stock = await open
    .select([sql<string>`case when found_at < ${monthStart('2024-01')} then 'a' when found_at < ${monthStart('2026-01')} then 'b' else 'c' end`.as('g'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(sql`1`)
    .execute();
  out.bySection = await open
    .innerJoin('industries', 'industries.code', 'hazards.industry_code')
    .select(['industries.parent_code', 'grade', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['industries.parent_code', 'grade'])
    .execute();
  const perMonth: unknown[] = [];
  for (const m of months) {
    const [from, to] = [monthStart(m), monthStart(nextMonth(m))];
    perMonth.push(await base().where('found_at', '>=', from).where('found_at', '<', to).where('status', '!=', 'voided').select(['grade', 'source', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['grade', 'source']).execute());
    perMonth.push(await base().where('closed_at', '>=', from).where('closed_at', '<', to).where('status', '=', 'closed').select(['grade', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('grade').execute());
  }
  out.perMonth = perMonth;
  const closed = await base().where('status', '=', 'closed').where('closed_at', '>=', monthStart(months[12])).select(['found_at', 'closed_at']).execute();
  const days = closed.map((r) => Math.floor((r.closed_at! - r.found_at) / 86_400_000)).sort((a, b) => a - b);
  out.median = days.length ? days[Math.floor(days.length / 2)] : null;
  return out;
}
