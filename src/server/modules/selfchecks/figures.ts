/**
 * 驾驶舱的自查数字: this month's self-check figures of a cockpit's region (optionally its
 * department's industries) — read from the self-check tallies, overdue from the index of open
 * rounds — and of one enterprise, from its rounds. They total the same as the round list filtered
 * to the month (`from`/`to` on due dates) and the region.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { SelfCheckMonth } from '../../../shared/contracts/dashboard';
import { shanghaiDate } from '../../../shared/dates';
import type { DB } from '../../db/schema';
import { tallyLevel } from './tallies';

export interface RegionFilter {
  cityCode: string;
  districtCode?: string;
  streetCode?: string;
  industryCodes?: string[];
}

const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

export async function selfCheckMonth(db: Kysely<DB>, f: RegionFilter, today: string, enterpriseId?: string): Promise<SelfCheckMonth> {
  const month = today.slice(0, 7);
  const from = `${month}-01`;
  const to = lastDay(month);
  // The region (and industries, and enterprise) as a condition on rounds (r) or tallies (t).
  const where = (p: 'r' | 't') => (eb: ExpressionBuilder<DB, never>) => {
    const col = (c: string) => sql.ref(`${p}.${c}`);
    const conds: Expression<SqlBool>[] = [eb(col('city_code') as never, '=', f.cityCode as never)];
    if (f.districtCode) conds.push(eb(col('district_code') as never, '=', f.districtCode as never));
    if (f.streetCode) conds.push(eb(col('street_code') as never, '=', f.streetCode as never));
    if (f.industryCodes) conds.push(eb(col('industry_code') as never, 'in', (f.industryCodes.length ? f.industryCodes : ['-']) as never));
    if (enterpriseId && p === 'r') conds.push(eb(col('enterprise_id') as never, '=', enterpriseId as never));
    return eb.and(conds);
  };
  const rounds = () => db.selectFrom('selfcheck_rounds as r').where(where('r') as never);
  const out: SelfCheckMonth = { month, from, to, enterprises: 0, rounds: 0, onTime: 0, late: 0, overdue: 0, pending: 0, withFindings: 0, hazards: 0 };
  if (enterpriseId) {
    const r = await rounds()
      .select([
        sql<number>`count(*)`.as('rounds'),
        sql<number>`sum(case when r.submitted_at is not null then 1 else 0 end)`.as('done'),
        sql<number>`sum(case when r.findings > 0 then 1 else 0 end)`.as('with_findings'),
        sql<number>`sum(coalesce(r.findings, 0))`.as('hazards'),
      ])
      .where('r.due_date', '>=', from)
      .where('r.due_date', '<=', to)
      .executeTakeFirst();
    // On time or late needs the Shanghai date of each submission: few rows, counted here.
    const done = await rounds().select(['r.submitted_at', 'r.due_date']).where('r.due_date', '>=', from).where('r.due_date', '<=', to).where('r.submitted_at', 'is not', null).execute();
    for (const d of done) {
      if (shanghaiDate(new Date(d.submitted_at!)) <= d.due_date) out.onTime++;
      else out.late++;
    }
    out.rounds = Number(r?.rounds ?? 0);
    out.withFindings = Number(r?.with_findings ?? 0);
    out.hazards = Number(r?.hazards ?? 0);
    out.enterprises = (await db.selectFrom('selfcheck_enterprises').select('enterprise_id').where('enterprise_id', '=', enterpriseId).executeTakeFirst()) ? 1 : 0;
  } else {
    const t = await db
      .selectFrom('selfcheck_tallies as t')
      .where('t.level', '=', tallyLevel({ street: !!f.streetCode, industry: !!f.industryCodes }))
      .where(where('t') as never)
      .select([
        sql<number>`sum(case when t.month = '' then t.enterprises else 0 end)`.as('enterprises'),
        sql<number>`sum(t.rounds)`.as('rounds'),
        sql<number>`sum(t.on_time)`.as('on_time'),
        sql<number>`sum(t.late)`.as('late'),
        sql<number>`sum(t.with_findings)`.as('with_findings'),
        sql<number>`sum(t.hazards)`.as('hazards'),
      ])
      .where((eb) => eb.or([eb('t.month', '=', month), eb('t.month', '=', '')]))
      .executeTakeFirst();
    out.enterprises = Number(t?.enterprises ?? 0);
    out.rounds = Number(t?.rounds ?? 0);
    out.onTime = Number(t?.on_time ?? 0);
    out.late = Number(t?.late ?? 0);
    out.withFindings = Number(t?.with_findings ?? 0);
    out.hazards = Number(t?.hazards ?? 0);
  }
  const overdue = await rounds()
    .select(sql<number>`count(*)`.as('n'))
    .where('r.submitted_at', 'is', null)
    .where('r.due_date', '>=', from)
    .where('r.due_date', '<', today)
    .executeTakeFirst();
  out.overdue = Number(overdue?.n ?? 0);
  out.pending = Math.max(0, out.rounds - out.onTime - out.late - out.overdue);
  return out;
}
