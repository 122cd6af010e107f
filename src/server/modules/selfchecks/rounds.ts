/**
 * 自查计划与记录 (#14, second part): a schedule assigns a checklist to enterprises — named, or
 * selected by region and industry within the scheduler's scope, resolved when it is made — with a
 * frequency; rounds are made for each enterprise and period, as soon as the schedule exists and
 * then by the hourly job, idempotently (one round per schedule, enterprise and period: a unique
 * key, so several processes may run the job at once). Due and overdue are derived from the due
 * date, a Shanghai date, like every deadline.
 */
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { ListResult } from '../../../shared/contracts/common';
import type { Round, RoundDetail, RoundQuery, Schedule, ScheduleInput, SelfCheckFrequency } from '../../../shared/contracts/checklists';
import { shanghaiDate } from '../../../shared/dates';
import { periodOf, type Period } from '../../../shared/periods';
import { audit, transact, type ActorCtx, type Ctx } from '../../context';
import { SelfCheckDelta } from './tallies';
import type { DB, SelfcheckRoundsTable } from '../../db/schema';
import { bumpLedgerVersion } from '../hazards/cache';
import { findDepartment } from '../departments/repository';
import { departmentDivisions } from '../../auth/actor';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { scopeWhere } from '../../scope/scope';
import { scopedEnterprises } from '../enterprises/repository';
import { divisionsIn } from '../industries/repository';
import { checklistItems, getChecklist, ownerOf } from './checklists';
import { signersOf } from './signers';

export { periodOf, type Period } from '../../../shared/periods';


/** Makes a schedule: its enterprises resolved within the caller's scope, its current period's rounds made at once. */
export async function createSchedule(ctx: ActorCtx, input: ScheduleInput): Promise<Schedule> {
  const owner = ownerOf(ctx.actor);
  if (!owner) throw new AppError('FORBIDDEN', '当前角色不能安排自查', 'Your role cannot schedule self-checks');
  const checklist = await getChecklist(ctx, input.checklistId);
  // A filter that selects by nothing is no choice: officers name enterprises or choose a region or industry.
  const filtered = Object.values(input.filter ?? {}).some(Boolean);
  if (!input.enterpriseIds && !filtered && ctx.actor.role !== 'enterprise') {
    throw new AppError('VALIDATION_FAILED', '请指定企业，或按区、街道、行业选择企业', 'Name the enterprises, or select them by district, street or industry');
  }
  if (input.filter?.streetCode) {
    const street = await ctx.db.selectFrom('regions').select('parent_code').where('code', '=', input.filter.streetCode).where('level', '=', 'street').executeTakeFirst();
    if (!street) throw fieldError('UNKNOWN_REGION', 'filter.streetCode', `未知的街道代码：${input.filter.streetCode}`, 'Unknown street');
    if (input.filter.districtCode && street.parent_code !== input.filter.districtCode) throw fieldError('STREET_NOT_IN_DISTRICT', 'filter.streetCode', '所选街道不属于所选区', 'The street is not in the district');
  }
  // An enterprise's own checklist is that enterprise's alone.
  const own = await ctx.db.selectFrom('checklists').select(['owner_level', 'owner_id']).where('id', '=', checklist.id).executeTakeFirstOrThrow();
  if (own.owner_level === 'enterprise' && (ctx.actor.role !== 'enterprise' || (input.enterpriseIds ?? []).some((e) => e !== own.owner_id))) {
    throw fieldError('VALIDATION_FAILED', 'checklistId', '企业自定的检查表只能由该企业自己安排自查', 'An enterprise’s own checklist is scheduled by that enterprise only');
  }
  let q = scopedEnterprises(ctx.db, ctx.actor).select('enterprises.id');
  if (input.enterpriseIds) q = q.where('enterprises.id', 'in', input.enterpriseIds);
  if (input.filter?.districtCode) q = q.where('enterprises.district_code', '=', input.filter.districtCode);
  if (input.filter?.streetCode) q = q.where('enterprises.street_code', '=', input.filter.streetCode);
  if (input.filter?.industryCode) q = q.where('enterprises.industry_code', 'in', divisionsIn(ctx.db, [input.filter.industryCode]));
  // A checklist for some industries goes to enterprises of those industries only (sections stand for their divisions).
  if (checklist.industryCodes.length) q = q.where('enterprises.industry_code', 'in', divisionsIn(ctx.db, checklist.industryCodes));
  const targets = (await q.execute()).map((e) => e.id);
  if (input.enterpriseIds && targets.length !== new Set(input.enterpriseIds).size) throw notFound('企业', 'enterprise');
  if (!targets.length) throw new AppError('VALIDATION_FAILED', checklist.industryCodes.length ? '所选范围内没有适用该检查表行业的企业' : '所选范围内没有企业', 'No enterprise in the selection (of the checklist’s industries)');
  // The same checklist at the same frequency twice would make two rounds a period: refused.
  const already = new Set<string>();
  for (let k = 0; k < targets.length; k += 1000) {
    const rows = await ctx.db
      .selectFrom('selfcheck_schedule_targets as t')
      .innerJoin('selfcheck_schedules as s', 's.id', 't.schedule_id')
      .select('t.enterprise_id')
      .where('s.checklist_id', '=', checklist.id)
      .where('s.frequency', '=', input.frequency)
      .where('t.enterprise_id', 'in', targets.slice(k, k + 1000))
      .execute();
    for (const r of rows) already.add(r.enterprise_id);
  }
  if (already.size) {
    throw new AppError('DUPLICATE', `其中 ${already.size} 家企业已按同一检查表、同一频次安排了自查，请勿重复安排`, `${already.size} of the enterprises already have this checklist at this frequency`);
  }
  const id = uuidv7();
  const now = ctx.now();
  await transact(ctx, async (tx) => {
    await tx.db
      .insertInto('selfcheck_schedules')
      .values({ id, city_code: ctx.actor.cityCode, checklist_id: checklist.id, owner_level: owner.level, owner_id: owner.id, frequency: input.frequency, start_date: input.startDate, filter_json: input.filter ? JSON.stringify(input.filter) : null, created_by: ctx.actor.userId, created_at: now.toISOString() })
      .execute();
    const delta = new SelfCheckDelta();
    for (let k = 0; k < targets.length; k += 1000) {
      const slice = targets.slice(k, k + 1000);
      await tx.db.insertInto('selfcheck_schedule_targets').values(slice.map((e) => ({ schedule_id: id, enterprise_id: e }))).execute();
      // An enterprise's first schedule counts it among the enterprises that self-check.
      const first = await tx.db
        .insertInto('selfcheck_enterprises')
        .columns(['enterprise_id', 'city_code', 'district_code', 'street_code', 'industry_code', 'first_scheduled_at'])
        .expression((eb) =>
          eb
            .selectFrom('enterprises')
            .select((x) => ['id', 'city_code', 'district_code', x.fn.coalesce('street_code', sql.lit('')).as('street_code'), 'industry_code', sql.lit(now.toISOString()).as('at')])
            .where('id', 'in', slice),
        )
        .onConflict((oc) => oc.column('enterprise_id').doNothing())
        .returning(['city_code', 'district_code', 'street_code', 'industry_code'])
        .execute();
      for (const e of first) delta.enterprise(e);
    }
    await delta.apply(tx.db, tx.dialect);
    await audit(tx, { action: 'selfcheck.scheduled', entityType: 'selfcheck_schedule', entityId: id, after: { checklistId: checklist.id, frequency: input.frequency, startDate: input.startDate, enterprises: targets.length, filter: input.filter ?? null } });
  });
  // The current period's rounds, after the commit and in the job's own short transactions (a large
  // selection must not hold the database for all of it); if this is cut short, the hourly job finishes it.
  await makeRounds(ctx.inTransaction ? ctx : { db: ctx.db, dialect: ctx.dialect }, now, id);
  return { id, checklistId: checklist.id, checklistTitle: checklist.title, frequency: input.frequency, startDate: input.startDate, enterprises: targets.length, createdAt: now.toISOString() };
}

/** A new round's row: the enterprise's place, the schedule's checklist version, the period; not yet submitted. */
export function newRoundRow(
  e: { id: string; city_code: string; district_code: string; street_code: string | null; industry_code: string },
  s: { id: string; checklist_id: string; version: number },
  period: Period,
  at: string,
  id: string = uuidv7(),
): SelfcheckRoundsTable {
  return {
    id,
    city_code: e.city_code,
    district_code: e.district_code,
    street_code: e.street_code,
    industry_code: e.industry_code,
    enterprise_id: e.id,
    schedule_id: s.id,
    checklist_id: s.checklist_id,
    checklist_version: s.version,
    period: period.key,
    period_start: period.start,
    due_date: period.due,
    submitted_at: null,
    version: 1,
    created_at: at,
    submitted_by: null,
    signed_by_name: null,
    signed_by_role: null,
    findings: null,
  };
}

/** Targets looked at per step of the job: one bounded read and one short transaction each. */
const ROUNDS_PAGE = 500;
/** Lets the event loop turn: requests waiting for the database (and the network) go first. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * 生成自查记录: for every schedule begun by today (Shanghai), the round of each of its enterprises
 * for today's period, unless it exists. Idempotent; safe with several processes (unique key).
 * A schedule's targets are walked in pages by enterprise id, each page's new rounds and their
 * tallies in one transaction (the caller's, when there is one), and the event loop is let turn
 * between pages: on SQLite every statement runs in this thread, and one pass over 200,000 targets
 * would keep the server from answering anyone until it ended.
 */
export async function makeRounds(ctx: Pick<Ctx, 'db' | 'dialect'>, now: Date, scheduleId?: string): Promise<number> {
  const db = ctx.db;
  const today = shanghaiDate(now);
  const at = now.toISOString();
  let schedules = db.selectFrom('selfcheck_schedules as s').innerJoin('checklists as c', 'c.id', 's.checklist_id').select(['s.id', 's.city_code', 's.frequency', 's.checklist_id', 'c.version']).where('s.start_date', '<=', today);
  if (scheduleId) schedules = schedules.where('s.id', '=', scheduleId);
  let made = 0;
  for (const s of await schedules.execute()) {
    const period = periodOf(s.frequency, today);
    const before = made;
    for (let after = ''; ; ) {
      // Small statements, each bounded by the page whatever the planner believes of the tables'
      // sizes: just after a schedule's first rounds are made, PostgreSQL's statistics still count
      // none, and one joined statement had it hash every round of the period for each page.
      const page = (await db.selectFrom('selfcheck_schedule_targets').select('enterprise_id').where('schedule_id', '=', s.id).where('enterprise_id', '>', after).orderBy('enterprise_id').limit(ROUNDS_PAGE).execute()).map((t) => t.enterprise_id);
      if (!page.length) break;
      const first = page[0];
      after = page[page.length - 1];
      const exist = new Set(
        (
          await db
            .selectFrom('selfcheck_rounds')
            .select('enterprise_id')
            .where('schedule_id', '=', s.id)
            .where('enterprise_id', '>=', first)
            .where('enterprise_id', '<=', after)
            .where('enterprise_id', 'in', page)
            .where('period', '=', period.key)
            .execute()
        ).map((r) => r.enterprise_id),
      );
      const todo = page.filter((id) => !exist.has(id));
      if (todo.length) {
        const missing = await db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code']).where('id', 'in', todo).execute();
        await turn();
        const batch = async (trx: Kysely<DB>) => {
          const inserted = await trx
            .insertInto('selfcheck_rounds')
            .values(missing.map((e) => newRoundRow(e, s, period, at)))
            // Another process may have made some meanwhile: the key keeps one.
            .onConflict((oc) => oc.columns(['schedule_id', 'enterprise_id', 'period']).doNothing())
            .returning(['city_code', 'district_code', 'street_code', 'industry_code', 'due_date'])
            .execute();
          const delta = new SelfCheckDelta();
          for (const r of inserted) delta.round(r);
          await delta.apply(trx, ctx.dialect);
          return inserted.length;
        };
        made += await (db.isTransaction ? batch(db) : db.transaction().execute(batch));
      }
      if (page.length < ROUNDS_PAGE) break;
      await turn();
    }
    // The cockpits read through the ledger's cache: new rounds change their figures.
    if (made > before) await bumpLedgerVersion(db, s.city_code);
  }
  return made;
}

const roundCols = { city: 'r.city_code', district: 'r.district_code', street: 'r.street_code', industry: 'r.industry_code', enterpriseId: 'r.enterprise_id' };

function statusOf(r: { submitted_at: string | null; due_date: string }, today: string): Round['status'] {
  if (r.submitted_at) return 'done';
  return r.due_date < today ? 'overdue' : 'due';
}

function roundsQuery(ctx: ActorCtx) {
  return ctx.db
    .selectFrom('selfcheck_rounds as r')
    .innerJoin('enterprises as e', 'e.id', 'r.enterprise_id')
    .innerJoin('checklists as c', 'c.id', 'r.checklist_id')
    .where(scopeWhere<DB, 'selfcheck_rounds'>(ctx.actor, roundCols) as never);
}

const present = (r: DB['selfcheck_rounds'] & { enterprise_name: string; checklist_title: string }, today: string): Round => ({
  id: r.id,
  enterpriseId: r.enterprise_id,
  enterpriseName: r.enterprise_name,
  checklistId: r.checklist_id,
  checklistTitle: r.checklist_title,
  checklistVersion: r.checklist_version,
  scheduleId: r.schedule_id,
  period: r.period,
  dueDate: r.due_date,
  status: statusOf(r, today),
  version: r.version,
  submittedAt: r.submitted_at,
});

/** 自查记录 in the caller's scope: an enterprise its own; filters by enterprise, district, derived status and due dates. */
export async function listRounds(ctx: ActorCtx, q: RoundQuery): Promise<ListResult<Round>> {
  const today = shanghaiDate(ctx.now());
  let base = roundsQuery(ctx);
  if (q.enterpriseId) base = base.where('r.enterprise_id', '=', q.enterpriseId);
  if (q.districtCode) base = base.where('r.district_code', '=', q.districtCode);
  if (q.departmentId) {
    // As the department's cockpit counts: its industries, in its region (an unknown department selects nothing).
    const dept = await findDepartment(ctx.db, q.departmentId);
    const codes = dept ? await departmentDivisions(ctx.db, dept.id) : [];
    base = base.where('r.industry_code', 'in', codes.length ? codes : ['-']);
    if (dept && dept.region_code !== dept.city_code) base = base.where('r.district_code', '=', dept.region_code);
  }
  if (q.from) base = base.where('r.due_date', '>=', q.from);
  if (q.to) base = base.where('r.due_date', '<=', q.to);
  if (q.status === 'done') base = base.where('r.submitted_at', 'is not', null);
  if (q.status === 'due') base = base.where('r.submitted_at', 'is', null).where('r.due_date', '>=', today);
  if (q.status === 'overdue') base = base.where('r.submitted_at', 'is', null).where('r.due_date', '<', today);
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  // What is still to do, most urgent first.
  // What is done, latest submitted first; everything, latest due first.
  const dir = q.status === 'due' || q.status === 'overdue' ? 'asc' : 'desc';
  const first = q.status === 'done' ? 'r.submitted_at' : 'r.due_date';
  const rows = await base.selectAll('r').select(['e.name as enterprise_name', 'c.title as checklist_title']).orderBy(first, dir).orderBy('r.id', dir).limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return { items: rows.map((r) => present(r, today)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** A round in the caller's scope, or undefined. */
export async function findRound(ctx: ActorCtx, id: string) {
  return roundsQuery(ctx).selectAll('r').select(['e.name as enterprise_name', 'c.title as checklist_title', 'e.principal_name', 'e.safety_manager_name']).where('r.id', '=', id).executeTakeFirst();
}

/** One round with the items of the checklist version it is done against, its results, sign-off and events. */
export async function roundDetail(ctx: ActorCtx, id: string): Promise<RoundDetail> {
  const r = await findRound(ctx, id);
  if (!r) throw notFound('自查记录', 'self-check round');
  // The round's own checklist version, whoever may see the round (an enterprise's own checklist included).
  const items = await checklistItems(ctx.db, r.checklist_id, r.checklist_version);
  const results = await ctx.db
    .selectFrom('selfcheck_results as s')
    .leftJoin('hazards as h', 'h.id', 's.hazard_id')
    .select(['s.item_id', 's.result', 's.note', 's.hazard_id', 'h.code', 'h.status'])
    .where('s.round_id', '=', id)
    .execute();
  const events = await ctx.db.selectFrom('selfcheck_round_events').select(['seq', 'action', 'actor_name', 'at', 'comment']).where('round_id', '=', id).orderBy('seq').execute();
  const seq = new Map(items.map((i) => [i.id, i.seq]));
  results.sort((a, b) => (seq.get(a.item_id) ?? 0) - (seq.get(b.item_id) ?? 0));
  const own = ctx.actor.role === 'enterprise' && ctx.actor.enterpriseId === r.enterprise_id;
  return {
    ...present(r, shanghaiDate(ctx.now())),
    items,
    results: results.map((x) => ({ itemId: x.item_id, result: x.result, note: x.note, hazardId: x.hazard_id, hazardCode: x.code ?? null, hazardStatus: x.status ?? null })),
    findings: r.findings,
    signedByName: r.signed_by_name,
    signedByRole: r.signed_by_role,
    signers: own ? signersOf(r) : [],
    hazardIds: results.flatMap((x) => (x.hazard_id ? [x.hazard_id] : [])),
    events: events.map((e) => ({ seq: e.seq, action: e.action as 'submit' | 'annotate', actorName: e.actor_name, at: e.at, comment: e.comment })),
    mayAnnotate: !!r.submitted_at && ctx.actor.role !== 'expert',
    maySubmit: !r.submitted_at && own,
  };
}

/** The schedules the caller made (or, for officers, those of their organisation). */
export async function listSchedules(ctx: ActorCtx): Promise<ListResult<Schedule>> {
  const owner = ownerOf(ctx.actor);
  if (!owner) return { items: [], total: 0, page: 1, pageSize: 0 };
  const rows = await ctx.db
    .selectFrom('selfcheck_schedules as s')
    .innerJoin('checklists as c', 'c.id', 's.checklist_id')
    .select(['s.id', 's.checklist_id', 'c.title', 's.frequency', 's.start_date', 's.created_at'])
    .select((eb) => eb.selectFrom('selfcheck_schedule_targets as t').select((x) => x.fn.countAll<number>().as('n')).whereRef('t.schedule_id', '=', 's.id').as('n'))
    .where('s.city_code', '=', ctx.actor.cityCode)
    .where('s.owner_level', '=', owner.level)
    .where('s.owner_id', '=', owner.id)
    .orderBy('s.created_at', 'desc')
    .execute();
  const items = rows.map((s) => ({ id: s.id, checklistId: s.checklist_id, checklistTitle: s.title, frequency: s.frequency, startDate: s.start_date, enterprises: Number(s.n ?? 0), createdAt: s.created_at }));
  return { items, total: items.length, page: 1, pageSize: items.length };
}
