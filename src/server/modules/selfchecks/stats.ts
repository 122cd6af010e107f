/**
 * 自查统计 (#14): what officers see — per district, street, industry or month, the enterprises with a
 * schedule, rounds due, done on time, done late, overdue, still pending, the share of done rounds
 * that found something, and hazards found by self-check against the other sources. Read from the
 * tallies kept in the writing transaction; overdue (it changes with the clock) from the index of
 * open rounds. An enterprise, or a question about one enterprise, is answered from its rounds
 * directly (few rows). And the list that matters most: 自查零隐患、他查有重大 — rounds that found
 * nothing while an inspection, expert, tip or third party found a major hazard at the same
 * enterprise in the same period.
 */
import { sql, type Kysely } from 'kysely';
import type { ListResult } from '../../../shared/contracts/common';
import type { HazardSource } from '../../../shared/contracts/hazards';
import type { Signal, SelfCheckStats, SelfCheckStatsQuery } from '../../../shared/contracts/checklists';
import { addDays, shanghaiDate } from '../../../shared/dates';
import type { ActorCtx } from '../../context';
import { shanghaiDay, shanghaiDayOfInstant } from '../../db/dialect';
import { TALLY_CITY_WIDE, type DB } from '../../db/schema';
import { scopeWhere } from '../../scope/scope';
import type { z } from 'zod';
import type { SignalQuery } from '../../../shared/contracts/checklists';
import { tallyLevel } from './tallies';
import { isoInstant, startOfShanghaiDay } from '../../db/instants';

type Figures = SelfCheckStats['total'];
type Dim = SelfCheckStatsQuery['groupBy'];

/** The sources whose major findings make a silent self-check suspicious. */
export const OTHER_FINDERS: readonly HazardSource[] = ['routine_inspection', 'enforcement_inspection', 'expert_inspection', 'tip', 'third_party'];

const blank = (): Figures => ({ enterprises: 0, rounds: 0, onTime: 0, late: 0, overdue: 0, pending: 0, withFindings: 0, findingsShare: null, hazards: 0 });

/** The due dates asked about: whole months, by default the twelve ending with this one. */
export function monthsOf(q: Pick<SelfCheckStatsQuery, 'from' | 'to'>, today: string) {
  const toMonth = (q.to ?? today).slice(0, 7);
  const [y, m] = toMonth.split('-').map(Number);
  const back = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 7);
  const fromMonth = q.from ? q.from.slice(0, 7) : back;
  const [ty, tm] = toMonth.split('-').map(Number);
  const end = new Date(Date.UTC(ty, tm, 0)).toISOString().slice(0, 10);
  return { fromMonth, toMonth, from: `${fromMonth}-01`, to: end };
}

const dimColumn: Record<Exclude<Dim, 'month'>, 'district_code' | 'street_code' | 'industry_code'> = { district: 'district_code', street: 'street_code', industry: 'industry_code' };
const tallyCols = { city: 't.city_code', district: 't.district_code', street: 't.street_code', industry: 't.industry_code' };
const roundCols = { city: 'r.city_code', district: 'r.district_code', street: 'r.street_code', industry: 'r.industry_code', enterpriseId: 'r.enterprise_id' };

function finish(f: Figures): Figures {
  f.pending = Math.max(0, f.rounds - f.onTime - f.late - f.overdue);
  const done = f.onTime + f.late;
  f.findingsShare = done ? f.withFindings / done : null;
  return f;
}

async function names(db: Kysely<DB>, dim: Dim, keys: string[]): Promise<Map<string, string>> {
  if (dim === 'month' || !keys.length) return new Map(keys.map((k) => [k, k]));
  const rows = dim === 'industry' ? await db.selectFrom('industries').select(['code', 'name']).where('code', 'in', keys).execute() : await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', keys).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/**
 * The stats, from the tallies (officers) or the rounds themselves (an enterprise, or one enterprise
 * asked about). From the tallies, a month wholly past has no round pending: its overdue rounds are
 * those neither on time nor late, so only this month's (and later) are counted from the index of
 * open rounds — a year's open rounds would be some 260,000 rows at 200,000 enterprises.
 */
export async function selfCheckStats(ctx: ActorCtx, q: SelfCheckStatsQuery): Promise<SelfCheckStats> {
  const today = shanghaiDate(ctx.now());
  const span = monthsOf(q, today);
  const rows = new Map<string, Figures>();
  const row = (k: string) => rows.get(k) ?? rows.set(k, blank()).get(k)!;
  const direct = ctx.actor.role === 'enterprise' || !!q.enterpriseId;
  const thisMonth = today.slice(0, 7);
  let monthEnterprises = 0;
  if (direct) {
    // Enterprises with a schedule: the one asked about, or the caller's own.
    const ent = q.enterpriseId ?? ctx.actor.enterpriseId;
    const scheduled = ent ? await ctx.db.selectFrom('selfcheck_enterprises as x').innerJoin('selfcheck_rounds as r', 'r.enterprise_id', 'x.enterprise_id').select(['x.enterprise_id', 'x.district_code', 'x.street_code', 'x.industry_code']).where('x.enterprise_id', '=', ent).where(scopeWhere<DB, 'selfcheck_rounds'>(ctx.actor, roundCols) as never).limit(1).executeTakeFirst() : undefined;
    if (scheduled) {
      const key = q.groupBy === 'district' ? scheduled.district_code : q.groupBy === 'street' ? scheduled.street_code : q.groupBy === 'industry' ? scheduled.industry_code : null;
      if (key !== null) row(key).enterprises = 1;
      else monthEnterprises = 1;
    }
    for (const x of await statsFromRounds(ctx, q, span)) {
      const f = row(x.key);
      f.rounds += x.rounds;
      f.onTime += x.onTime;
      f.late += x.late;
      f.withFindings += x.withFindings;
      f.hazards += x.hazards;
    }
  } else {
    const keyOf = q.groupBy === 'month' ? sql.ref('t.month') : sql.ref(`t.${dimColumn[q.groupBy]}`);
    // The roll-up that answers: by street only when split or scoped by street, by industry only when split or scoped by industry.
    const level = tallyLevel({ street: q.groupBy === 'street' || !!ctx.actor.streetCode, industry: q.groupBy === 'industry' || ctx.actor.role === 'dept_officer' });
    let t = ctx.db.selectFrom('selfcheck_tallies as t').where('t.level', '=', level).where(scopeWhere<DB, 'selfcheck_tallies'>(ctx.actor, tallyCols) as never);
    if (q.districtCode) t = t.where('t.district_code', '=', q.districtCode);
    const counted = await t
      .select([
        keyOf.as('key'),
        sql<number>`sum(t.rounds)`.as('rounds'),
        sql<number>`sum(t.on_time)`.as('on_time'),
        sql<number>`sum(t.late)`.as('late'),
        sql<number>`sum(t.with_findings)`.as('with_findings'),
        sql<number>`sum(t.hazards)`.as('hazards'),
        sql<number>`sum(case when t.month < ${thisMonth} then t.rounds - t.on_time - t.late else 0 end)`.as('overdue'),
      ])
      .where('t.month', '>=', span.fromMonth)
      .where('t.month', '<=', span.toMonth)
      .groupBy(keyOf)
      .execute();
    for (const x of counted) {
      const f = row(String(x.key));
      f.rounds += Number(x.rounds);
      f.onTime += Number(x.on_time);
      f.late += Number(x.late);
      f.withFindings += Number(x.with_findings);
      f.hazards += Number(x.hazards);
      f.overdue += Number(x.overdue);
    }
    const enterprises = await t
      .select([q.groupBy === 'month' ? sql<string>`''`.as('key') : keyOf.as('key'), sql<number>`sum(t.enterprises)`.as('n')])
      .where('t.month', '=', '')
      .groupBy(q.groupBy === 'month' ? sql`1` : keyOf)
      .execute();
    for (const x of enterprises) {
      if (q.groupBy === 'month') for (const f of rows.values()) f.enterprises = Number(x.n);
      else if (Number(x.n)) row(String(x.key)).enterprises += Number(x.n);
    }
  }
  // Overdue: open rounds past their due date (an index of open rounds keeps this small), those of
  // past months already counted from the tallies.
  const openFrom = direct || span.from > `${thisMonth}-01` ? span.from : `${thisMonth}-01`;
  if (openFrom <= span.to && openFrom < today) {
    let open = ctx.db.selectFrom('selfcheck_rounds as r').where(scopeWhere<DB, 'selfcheck_rounds'>(ctx.actor, roundCols) as never).where('r.submitted_at', 'is', null).where('r.due_date', '<', today).where('r.due_date', '>=', openFrom).where('r.due_date', '<=', span.to);
    if (q.districtCode) open = open.where('r.district_code', '=', q.districtCode);
    if (q.enterpriseId) open = open.where('r.enterprise_id', '=', q.enterpriseId);
    const dueCol = q.groupBy === 'month' ? sql.ref('r.due_date') : sql.ref(`r.${dimColumn[q.groupBy]}`);
    for (const x of await open.select([dueCol.as('key'), sql<number>`count(*)`.as('n')]).groupBy(dueCol).execute()) {
      const k = q.groupBy === 'month' ? String(x.key).slice(0, 7) : String(x.key ?? '');
      row(k).overdue += Number(x.n);
    }
  }
  if (monthEnterprises) for (const f of rows.values()) f.enterprises = monthEnterprises;
  const named = await names(ctx.db, q.groupBy, [...rows.keys()]);
  const total = blank();
  const out = [...rows.entries()]
    .filter(([, f]) => f.rounds || f.enterprises)
    .map(([key, f]) => {
      for (const k of ['enterprises', 'rounds', 'onTime', 'late', 'overdue', 'withFindings', 'hazards'] as const) total[k] += f[k];
      return { key, name: named.get(key) ?? (key || '未分配街道'), ...finish(f) };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
  if (q.groupBy === 'month') total.enterprises = out[0]?.enterprises ?? 0;
  return { groupBy: q.groupBy, from: span.from, to: span.to, total: finish(total), rows: out, hazardsBySource: await foundBySource(ctx, q, span) };
}

/** The same figures counted from the rounds (an enterprise's own; and the benchmark's baseline). */
export async function statsFromRounds(ctx: ActorCtx, q: SelfCheckStatsQuery, span: { from: string; to: string }) {
  let r = ctx.db.selectFrom('selfcheck_rounds as r').where(scopeWhere<DB, 'selfcheck_rounds'>(ctx.actor, roundCols) as never).where('r.due_date', '>=', span.from).where('r.due_date', '<=', span.to);
  if (q.districtCode) r = r.where('r.district_code', '=', q.districtCode);
  if (q.enterpriseId) r = r.where('r.enterprise_id', '=', q.enterpriseId);
  const key = q.groupBy === 'month' ? sql.ref('r.due_date') : sql.ref(`r.${dimColumn[q.groupBy]}`);
  const onTime = sql`r.submitted_at is not null and ${shanghaiDay(ctx.dialect, 'r.submitted_at')} <= r.due_date`;
  const rows = await r
    .select([
      key.as('key'),
      sql<number>`count(*)`.as('rounds'),
      sql<number>`sum(case when ${onTime} then 1 else 0 end)`.as('on_time'),
      sql<number>`sum(case when r.submitted_at is not null then 1 else 0 end)`.as('done'),
      sql<number>`sum(case when r.findings > 0 then 1 else 0 end)`.as('with_findings'),
      sql<number>`sum(coalesce(r.findings, 0))`.as('hazards'),
    ])
    .groupBy(key)
    .execute();
  const by = new Map<string, { key: string; rounds: number; onTime: number; late: number; withFindings: number; hazards: number }>();
  for (const x of rows) {
    const k = q.groupBy === 'month' ? String(x.key).slice(0, 7) : String(x.key ?? '');
    const f = by.get(k) ?? { key: k, rounds: 0, onTime: 0, late: 0, withFindings: 0, hazards: 0 };
    f.rounds += Number(x.rounds);
    f.onTime += Number(x.on_time);
    f.late += Number(x.done) - Number(x.on_time);
    f.withFindings += Number(x.with_findings);
    f.hazards += Number(x.hazards);
    by.set(k, f);
  }
  return [...by.values()];
}

/** Hazards found in the months by source: the ledger's tallies for regional officers, the ledger itself otherwise. */
async function foundBySource(ctx: ActorCtx, q: SelfCheckStatsQuery, span: { fromMonth: string; toMonth: string; from: string; to: string }) {
  const a = ctx.actor;
  const regional = (a.role === 'city_admin' || a.role === 'city_officer' || a.role === 'inspector' || a.role === 'district_officer') && !a.streetCode && !q.enterpriseId;
  let rows: { source: string; n: number | string }[];
  if (regional) {
    let t = ctx.db
      .selectFrom('hazard_tallies')
      .select(['source', sql<number>`sum(n)`.as('n')])
      .where('grouping', '=', 'S')
      .where('measure', '=', 'found')
      .where('city_code', '=', a.cityCode)
      .where('period', '>=', span.fromMonth)
      .where('period', '<=', span.toMonth);
    // The city-wide copy when no district is asked (it is kept beside each district's rows).
    t = t.where('district_code', '=', a.districtCode ?? q.districtCode ?? TALLY_CITY_WIDE);
    if (a.districtCode && q.districtCode && q.districtCode !== a.districtCode) t = t.where(sql<boolean>`1 = 0`);
    rows = await t.groupBy('source').execute();
  } else {
    const from = startOfShanghaiDay(span.from);
    const to = startOfShanghaiDay(addDays(span.to, 1));
    let h = ctx.db
      .selectFrom('hazards as h')
      .select(['h.source', sql<number>`count(*)`.as('n')])
      .where(scopeWhere<DB, 'hazards'>(a, { city: 'h.city_code', district: 'h.district_code', street: 'h.street_code', industry: 'h.industry_code', enterpriseId: 'h.enterprise_id' }) as never)
      .where('h.status', '<>', 'voided')
      .where('h.found_at', '>=', from)
      .where('h.found_at', '<', to);
    if (q.districtCode) h = h.where('h.district_code', '=', q.districtCode);
    if (q.enterpriseId) h = h.where('h.enterprise_id', '=', q.enterpriseId);
    rows = await h.groupBy('h.source').execute();
  }
  return rows.filter((r) => Number(r.n) > 0).map((r) => ({ source: r.source as HazardSource, found: Number(r.n) })).sort((x, y) => y.found - x.found);
}

/** 自查零隐患、他查有重大: silent rounds against major hazards others found at the same enterprise in the round's period. */
export async function selfCheckSignals(ctx: ActorCtx, q: z.output<typeof SignalQuery>): Promise<ListResult<Signal>> {
  const found = shanghaiDayOfInstant(ctx.dialect, 'h.found_at');
  let base = ctx.db
    .selectFrom('selfcheck_rounds as r')
    .innerJoin('hazards as h', 'h.enterprise_id', 'r.enterprise_id')
    .innerJoin('enterprises as e', 'e.id', 'r.enterprise_id')
    .where(scopeWhere<DB, 'selfcheck_rounds'>(ctx.actor, roundCols) as never)
    .where('r.findings', '=', 0)
    .where('h.grade', '=', 'major')
    .where('h.status', '<>', 'voided')
    .where('h.source', 'in', [...OTHER_FINDERS])
    .where(sql<boolean>`${found} >= r.period_start and ${found} <= r.due_date`);
  if (q.districtCode) base = base.where('r.district_code', '=', q.districtCode);
  if (q.from) base = base.where('r.due_date', '>=', q.from);
  if (q.to) base = base.where('r.period_start', '<=', q.to);
  const [{ n }] = await base.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await base
    .select(['r.id as round_id', 'r.enterprise_id', 'e.name', 'r.district_code', 'r.period', 'r.period_start', 'r.due_date', 'r.submitted_at', 'h.id as hazard_id', 'h.code', 'h.source', 'h.found_at', 'h.description'])
    .orderBy('h.found_at', 'desc')
    .orderBy('r.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  return {
    items: rows.map((x) => ({
      roundId: x.round_id,
      enterpriseId: x.enterprise_id,
      enterpriseName: x.name,
      districtCode: x.district_code,
      period: x.period,
      periodStart: x.period_start,
      dueDate: x.due_date,
      submittedAt: iso(x.submitted_at),
      hazardId: x.hazard_id,
      hazardCode: x.code,
      hazardSource: x.source as HazardSource,
      hazardFoundAt: isoInstant(x.found_at),
      hazardDescription: x.description,
    })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}
