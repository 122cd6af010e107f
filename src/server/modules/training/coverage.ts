/**
 * 培训覆盖 (#20): for a year, each focus population (the rule in force that year) — its enterprises in
 * the reader's scope (by industry division or kind), those with a trainee of the population's role
 * who attended and passed a course that year, and those not yet, per district; the not-yet list; and
 * the principal persons and safety managers below the year's required hours (the rule's standard or
 * high-risk figure by the enterprise's division; the initial hours for someone with no passed training
 * before the year, the yearly retraining otherwise), named on the enterprise or on an attendance row.
 */
import { findEnterprise } from '../enterprises/repository';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type { Coverage, CoverageQuery, EnterpriseKinds, HoursQuery, HoursShort, KindsInput, Untrained, UntrainedQuery } from '../../../shared/contracts/training';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { fieldError, forbidden, notFound } from '../../errors/app-error';
import { ruleValue } from '../../rules/rules';
import { canEditEnterprise, rowInScope, scopeWhere, trainingReaders } from '../../scope/scope';
import { TRAINING_FOCUS, TRAINING_HOURS, type Population } from './rules';

const ENT = { city: 'e.city_code', district: 'e.district_code', street: 'e.street_code', industry: 'e.industry_code', enterpriseId: 'e.id' };

function enterprises(ctx: ActorCtx, districtCode?: string) {
  let b = ctx.db.selectFrom('enterprises as e').where(scopeWhere<DB, 'enterprises'>(ctx.actor, ENT) as never);
  if (districtCode) b = b.where('e.district_code', '=', districtCode);
  return b;
}

/** An enterprise is in the population by its division or a kind it is tagged with. */
const inPopulation = (p: Population): Expression<SqlBool> => {
  const parts = [];
  if (p.industryCodes.length) parts.push(sql<SqlBool>`e.industry_code in (${sql.join(p.industryCodes)})`);
  if (p.kinds.length) parts.push(sql<SqlBool>`e.id in (select k.enterprise_id from enterprise_kinds k where k.kind in (${sql.join(p.kinds)}))`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
};
/** …trained: a trainee of the role who attended and passed a course that started in the year. */
const trainedIn = (p: Population, year: number): Expression<SqlBool> =>
  sql<SqlBool>`e.id in (select a.enterprise_id from course_attendance a join courses c on c.id = a.course_id where a.role = ${p.role} and a.passed = 1 and c.starts_on >= ${`${year}-01-01`} and c.starts_on <= ${`${year}-12-31`} and a.enterprise_id is not null)`;

async function populationsOf(ctx: ActorCtx, year: number): Promise<Population[]> {
  const focus = await ruleValue(ctx.db, ctx.actor.cityCode, TRAINING_FOCUS, `${year}-12-31`);
  return focus.find((f) => f.year === year)?.populations ?? [];
}

export async function trainingCoverage(ctx: ActorCtx, q: z.output<typeof CoverageQuery>): Promise<z.infer<typeof Coverage>> {
  if (!trainingReaders(ctx.actor)) throw forbidden('专家和举报人信息保管员不查看培训覆盖', 'Not for your role');
  const names = new Map((await ctx.db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').execute()).map((r) => [r.code, r.name]));
  const populations = await populationsOf(ctx, q.year);
  const out = [];
  for (const p of populations) {
    const rows = await enterprises(ctx, q.districtCode)
      .select(['e.district_code', sql<number>`count(*)`.as('target'), sql<number>`sum(case when ${trainedIn(p, q.year)} then 1 else 0 end)`.as('trained')])
      .where(inPopulation(p))
      .groupBy('e.district_code')
      .orderBy('e.district_code')
      .execute();
    const byDistrict = rows.map((r) => ({ districtCode: r.district_code, districtName: names.get(r.district_code) ?? r.district_code, target: Number(r.target), trained: Number(r.trained ?? 0), notYet: Number(r.target) - Number(r.trained ?? 0) }));
    const target = byDistrict.reduce((s, d) => s + d.target, 0);
    const trained = byDistrict.reduce((s, d) => s + d.trained, 0);
    out.push({ ...p, target, trained, notYet: target - trained, rate: target ? trained / target : null, byDistrict });
  }
  return { year: q.year, source: TRAINING_FOCUS.defaultSource, populations: out };
}

/** The population's enterprises not yet trained that year: the list whose total is its `notYet`. */
export async function untrained(ctx: ActorCtx, q: z.output<typeof UntrainedQuery>): Promise<z.infer<typeof Untrained>> {
  if (!trainingReaders(ctx.actor)) throw forbidden('专家和举报人信息保管员不查看培训覆盖', 'Not for your role');
  const p = (await populationsOf(ctx, q.year)).find((x) => x.key === q.population);
  if (!p) throw fieldError('VALIDATION_FAILED', 'population', `${q.year} 年没有此重点人群`, 'No such population that year');
  const b = enterprises(ctx, q.districtCode).where(inPopulation(p)).where(sql<SqlBool>`not ${trainedIn(p, q.year)}`);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.select(['e.id', 'e.name', 'e.district_code', 'e.industry_code', 'e.principal_name']).orderBy('e.district_code').orderBy('e.name').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.name, districtCode: r.district_code, industryCode: r.industry_code, principalName: r.principal_name })), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** 学时不足: principal persons and safety managers of enterprises in scope whose passed hours that year are below the yearly requirement. */
export async function hoursShort(ctx: ActorCtx, q: z.output<typeof HoursQuery>): Promise<z.infer<typeof HoursShort>> {
  if (!trainingReaders(ctx.actor)) throw forbidden('专家和举报人信息保管员不查看培训学时', 'Not for your role');
  const rule = await ruleValue(ctx.db, ctx.actor.cityCode, TRAINING_HOURS, `${q.year}-12-31`);
  const highWhere = rule.highRisk.industryCodes.length ? sql<SqlBool>`e.industry_code in (${sql.join(rule.highRisk.industryCodes)})` : sql<SqlBool>`1 = 0`;
  const high = sql<number>`case when ${highWhere} then 1 else 0 end`;
  const from = `${q.year}-01-01`;
  const to = `${q.year}-12-31`;
  // The people: named on the enterprise, or on an attendance row of the year, in either role.
  const named = enterprises(ctx, q.districtCode).select(['e.id as enterprise_id', 'e.name as enterprise_name', 'e.district_code', 'e.principal_name as person_name', sql<string>`cast('principal' as text)`.as('role'), high.as('high')]);
  const managers = enterprises(ctx, q.districtCode)
    .where('e.safety_manager_name', 'is not', null)
    .select(['e.id as enterprise_id', 'e.name as enterprise_name', 'e.district_code', sql<string>`e.safety_manager_name`.as('person_name'), sql<string>`cast('safety_manager' as text)`.as('role'), high.as('high')]);
  const attended = enterprises(ctx, q.districtCode)
    .innerJoin('course_attendance as a', 'a.enterprise_id', 'e.id')
    .innerJoin('courses as c', 'c.id', 'a.course_id')
    .where('a.role', 'in', ['principal', 'safety_manager'])
    .where('c.starts_on', '>=', from)
    .where('c.starts_on', '<=', to)
    .select(['e.id as enterprise_id', 'e.name as enterprise_name', 'e.district_code', 'a.person_name', sql<string>`a.role`.as('role'), high.as('high')]);
  const people = named.union(managers).union(attended);
  // Initial hours for someone with no passed training before the year (never trained here), the yearly retraining otherwise.
  const initial = sql<number>`case when exists (select 1 from course_attendance a0 join courses c0 on c0.id = a0.course_id where a0.enterprise_id = p.enterprise_id and a0.person_name = p.person_name and a0.role = p.role and a0.passed = 1 and c0.starts_on < ${from}) then 0 else 1 end`;
  const hours = (kind: 'initial' | 'yearly') =>
    sql<number>`case when p.role = 'principal' then (case when p.high = 1 then ${sql.lit(rule.highRisk.principal[kind])} else ${sql.lit(rule.standard.principal[kind])} end) else (case when p.high = 1 then ${sql.lit(rule.highRisk.safety_manager[kind])} else ${sql.lit(rule.standard.safety_manager[kind])} end) end`;
  const required = sql<number>`case when ${initial} = 1 then ${hours('initial')} else ${hours('yearly')} end`;
  const withHours = ctx.db
    .selectFrom(people.as('p'))
    .select([
      'p.enterprise_id',
      'p.enterprise_name',
      'p.district_code',
      'p.person_name',
      'p.role',
      'p.high',
      sql<number>`coalesce((select sum(a2.hours) from course_attendance a2 join courses c2 on c2.id = a2.course_id where a2.enterprise_id = p.enterprise_id and a2.person_name = p.person_name and a2.role = p.role and a2.passed = 1 and c2.starts_on >= ${from} and c2.starts_on <= ${to}), 0)`.as('hours'),
      required.as('required'),
      initial.as('initial'),
    ]);
  const short = ctx.db.selectFrom(withHours.as('h')).where(sql<SqlBool>`h.hours < h.required`);
  const [{ n }] = await short.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await short.selectAll().orderBy('h.district_code').orderBy('h.enterprise_name').orderBy('h.person_name').orderBy('h.role').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return {
    year: q.year,
    items: rows.map((r) => ({ enterpriseId: r.enterprise_id, enterpriseName: r.enterprise_name, districtCode: r.district_code, personName: r.person_name, role: r.role as 'principal' | 'safety_manager', hours: Number(r.hours), required: Number(r.required), initial: !!Number(r.initial), highRisk: !!Number(r.high) })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

async function enterpriseOf(ctx: ActorCtx, id: string) {
  const e = await findEnterprise(ctx.db, ctx.actor, id);
  if (!e) throw notFound('企业', 'enterprise');
  return e;
}

/** The kinds the focus names (every year's), offered on the enterprise page. */
async function knownKinds(ctx: ActorCtx): Promise<string[]> {
  const focus = await ruleValue(ctx.db, ctx.actor.cityCode, TRAINING_FOCUS, '2100-12-31');
  return [...new Set(focus.flatMap((f) => f.populations.flatMap((p) => p.kinds)))];
}

export async function enterpriseKinds(ctx: ActorCtx, id: string): Promise<z.infer<typeof EnterpriseKinds>> {
  await enterpriseOf(ctx, id);
  const rows = await ctx.db.selectFrom('enterprise_kinds').select('kind').where('enterprise_id', '=', id).orderBy('kind').execute();
  return { enterpriseId: id, kinds: rows.map((r) => r.kind), known: await knownKinds(ctx) };
}

/** 企业类别: the whole list, by the offices that edit the enterprise. */
export async function setEnterpriseKinds(ctx: ActorCtx, id: string, body: z.output<typeof KindsInput>) {
  const e = await enterpriseOf(ctx, id);
  if (ctx.actor.role === 'enterprise' || !canEditEnterprise(ctx.actor, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.id })) throw forbidden('企业类别由属地或行业监管人员标注', 'Enterprise kinds are tagged by the offices');
  const want = [...new Set(body.kinds)].sort();
  await transact(ctx, async (tx) => {
    const was = (await tx.db.selectFrom('enterprise_kinds').select('kind').where('enterprise_id', '=', id).execute()).map((r) => r.kind).sort();
    if (was.join('|') === want.join('|')) return;
    const at = tx.now().toISOString();
    await tx.db.deleteFrom('enterprise_kinds').where('enterprise_id', '=', id).execute();
    if (want.length) await tx.db.insertInto('enterprise_kinds').values(want.map((k) => ({ enterprise_id: id, kind: k, tagged_by: tx.actor.userId || null, tagged_at: at }))).execute();
    await audit(tx, { action: 'enterprise.kinds', entityType: 'enterprise', entityId: id, districtCode: e.district_code, before: { kinds: was }, after: { kinds: want } });
  });
  return enterpriseKinds(ctx, id);
}
