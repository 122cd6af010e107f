/**
 * 安全生产标准化 (#20, action 8): an enterprise's standardization record — level (一级/二级/三级/小微),
 * certificate number, issuer, valid from and to (three years when not given), review date — kept as
 * a history; the record in force sets the level the enforcement frequency matrix reads (小微 and an
 * expired record count as 未定级, the matrix's own rows). Benchmark enterprises (标杆企业, 用体系管安全)
 * with the reason. Written by the offices; read by whoever sees the enterprise.
 */
import { findEnterprise } from '../enterprises/repository';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { Standardization, StandardizationInput, StandardizationGrade, StandardizationListItem, StandardizationListQuery } from '../../../shared/contracts/certificates';
import type { ListResult } from '../../../shared/contracts/common';
import { sql } from 'kysely';
import { containsText } from '../../db/dialect';
import type { DB } from '../../db/schema';
import { addDays, shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx, type Ctx } from '../../context';
import type { StandardizationsTable } from '../../db/schema';
import { fieldError, forbidden, notFound } from '../../errors/app-error';
import { recordsStandardization, rowInScope, scopeWhere } from '../../scope/scope';
import { STANDARDIZATION_REVIEW_MONTHS, STANDARDIZATION_VALID_YEARS } from './rules';

type Record_ = StandardizationsTable;

const present = (r: Record_) => ({ id: r.id, level: r.level, certificateNo: r.certificate_no, issuer: r.issuer, validFrom: r.valid_from, validTo: r.valid_to, reviewOn: r.review_on, note: r.note, createdAt: r.created_at, createdByName: r.created_by_name });

/** Three years from a day, less a day (a certificate from 2024-03-01 runs to 2027-02-28). */
export function threeYearsFrom(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + STANDARDIZATION_VALID_YEARS);
  // 29 February plus three years is 1 March: step back to the day before that.
  return addDays(d.toISOString().slice(0, 10), -1);
}

/** The last day of the re-review window from today: a record expiring on or before it is due (one rule for the detail and the register). */
export function reviewWindowEnd(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + STANDARDIZATION_REVIEW_MONTHS);
  // 30 November + 3 months is the end of February, not 2 March.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
}

/** The record in force on a day: the latest recorded whose validity covers it. */
const inForce = (history: Record_[], today: string) => history.find((r) => r.valid_from <= today && r.valid_to >= today) ?? null;

/** What the matrix reads: the level in force, 小微 and none as 未定级. */
export const matrixLevel = (r: Pick<Record_, 'level'> | null): 'level1' | 'level2' | 'level3' | 'none' => (r && r.level !== 'small' ? (r.level as Exclude<StandardizationGrade, 'small'>) : 'none');

async function enterpriseOf(ctx: ActorCtx, id: string) {
  const e = await findEnterprise(ctx.db, ctx.actor, id);
  if (!e) throw notFound('企业', 'enterprise');
  return e;
}

export async function standardizationOf(ctx: ActorCtx, enterpriseId: string): Promise<z.infer<typeof Standardization>> {
  const e = await enterpriseOf(ctx, enterpriseId);
  const today = shanghaiDate(ctx.now());
  const history = await ctx.db.selectFrom('standardizations').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const current = inForce(history, today);
  const latest = history[0] ?? null;
  const b = await ctx.db.selectFrom('benchmark_enterprises').selectAll().where('enterprise_id', '=', enterpriseId).executeTakeFirst();
  const expiresInDays = current ? Math.round((Date.parse(`${current.valid_to}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000) : null;
  return {
    enterpriseId,
    current: current ? present(current) : null,
    expired: !!latest && latest.valid_to < today && !current,
    expiresInDays,
    reviewDue: !!current && current.valid_to <= reviewWindowEnd(today),
    levelInForce: matrixLevel(current),
    history: history.map(present),
    benchmark: b ? { reason: b.reason, since: b.since, namedBy: b.named_by_name } : null,
    mayEdit: recordsStandardization(ctx.actor) && rowInScope(ctx.actor, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.id }),
  };
}

/** Sets the enterprise's matrix level to what is in force, with the enterprise's version and an audit record, when it differs. */
async function followLevel(tx: Ctx, id: string, level: string, why: string): Promise<void> {
  // Read in the transaction: the enterprise's version moves on from what it is now, never back.
  const e = await tx.db.selectFrom('enterprises').select(['id', 'district_code', 'standardization_level']).where('id', '=', id).executeTakeFirstOrThrow();
  if (e.standardization_level === level) return;
  const at = tx.now().toISOString();
  await tx.db.updateTable('enterprises').set((eb) => ({ standardization_level: level as 'none', version: eb('version', '+', 1), updated_at: at })).where('id', '=', e.id).execute();
  await audit(tx, { action: 'enterprise.standardization_level', entityType: 'enterprise', entityId: e.id, districtCode: e.district_code, before: { standardizationLevel: e.standardization_level }, after: { standardizationLevel: level, why } });
}

/** 登记标准化等级: a new record (the history kept); the benchmark named or removed with it. */
export async function recordStandardization(ctx: ActorCtx, enterpriseId: string, body: z.output<typeof StandardizationInput>) {
  const e = await enterpriseOf(ctx, enterpriseId);
  if (!recordsStandardization(ctx.actor)) throw forbidden('标准化等级由属地或行业监管人员登记', 'Recorded by the offices');
  const validTo = body.validTo ?? threeYearsFrom(body.validFrom);
  if (validTo < body.validFrom) throw fieldError('VALIDATION_FAILED', 'validTo', '有效期截止日不能早于起始日', 'Valid-to is before valid-from');
  if (body.reviewOn && body.reviewOn < body.validFrom) throw fieldError('VALIDATION_FAILED', 'reviewOn', '复评日期不能早于有效期起始日', 'The review is before the start');
  const today = shanghaiDate(ctx.now());
  await transact(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const row: Record_ = { id: uuidv7(), enterprise_id: enterpriseId, level: body.level, certificate_no: body.certificateNo, issuer: body.issuer, valid_from: body.validFrom, valid_to: validTo, review_on: body.reviewOn ?? null, note: body.note ?? null, created_by: tx.actor.userId || null, created_by_name: tx.actor.displayName, created_at: at };
    await tx.db.insertInto('standardizations').values(row).execute();
    await audit(tx, { action: 'enterprise.standardization', entityType: 'enterprise', entityId: enterpriseId, districtCode: e.district_code, after: present(row) });
    const history = await tx.db.selectFrom('standardizations').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    await followLevel(tx, enterpriseId, matrixLevel(inForce(history, today)), `标准化证书 ${body.certificateNo}`);
    if (body.benchmark !== undefined) {
      const was = await tx.db.selectFrom('benchmark_enterprises').selectAll().where('enterprise_id', '=', enterpriseId).executeTakeFirst();
      await tx.db.deleteFrom('benchmark_enterprises').where('enterprise_id', '=', enterpriseId).execute();
      if (body.benchmark) await tx.db.insertInto('benchmark_enterprises').values({ enterprise_id: enterpriseId, reason: body.benchmark.reason, since: body.benchmark.since, named_by: tx.actor.userId || null, named_by_name: tx.actor.displayName, created_at: at }).execute();
      if (was || body.benchmark) await audit(tx, { action: 'enterprise.benchmark', entityType: 'enterprise', entityId: enterpriseId, districtCode: e.district_code, before: was ? { reason: was.reason, since: was.since } : null, after: body.benchmark ?? null });
    }
  });
  return standardizationOf(ctx, enterpriseId);
}

/** The daily pass: an enterprise whose record has run out falls back to 未定级 in the matrix (and one whose new record starts today rises). */
export async function followStandardizationLevels(ctx: Ctx, today: string): Promise<number> {
  const db = ctx.db;
  const ents = await db
    .selectFrom('enterprises as e')
    .select(['e.id', 'e.district_code', 'e.standardization_level', 'e.version'])
    .where((eb) => eb.exists(eb.selectFrom('standardizations as s').select('s.id').whereRef('s.enterprise_id', '=', 'e.id')))
    .execute();
  let changed = 0;
  for (const e of ents) {
    const history = await db.selectFrom('standardizations').selectAll().where('enterprise_id', '=', e.id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    const level = matrixLevel(inForce(history, today));
    if (level === e.standardization_level) continue;
    await transact(ctx, (t) => followLevel(t, e.id, level, level === 'none' ? '标准化证书已过期' : '标准化证书生效'));
    changed++;
  }
  return changed;
}

/** 标准化台账: each enterprise in scope with a record, by its latest record — expired, in the review window, benchmarks. */
export async function listStandardizations(ctx: ActorCtx, q: z.output<typeof StandardizationListQuery>): Promise<ListResult<z.infer<typeof StandardizationListItem>>> {
  const today = shanghaiDate(ctx.now());
  const reviewFrom = reviewWindowEnd(today);
  let b = ctx.db
    .selectFrom('enterprises as e')
    // The record in force today, else the latest recorded — as the enterprise's own page reads it.
    .innerJoin('standardizations as s', (j) =>
      j.on(sql<boolean>`s.id = (select s2.id from standardizations s2 where s2.enterprise_id = e.id order by case when s2.valid_from <= ${today} and s2.valid_to >= ${today} then 0 else 1 end, s2.created_at desc, s2.id desc limit 1)`),
    )
    .leftJoin('benchmark_enterprises as b', 'b.enterprise_id', 'e.id')
    .where(scopeWhere<DB, 'enterprises'>(ctx.actor, { city: 'e.city_code', district: 'e.district_code', street: 'e.street_code', industry: 'e.industry_code', enterpriseId: 'e.id' }) as never);
  if (q.districtCode) b = b.where('e.district_code', '=', q.districtCode);
  if (q.level) b = b.where('s.level', '=', q.level);
  if (q.expired !== undefined) b = b.where('s.valid_to', q.expired ? '<' : '>=', today);
  if (q.reviewDue !== undefined) b = q.reviewDue ? b.where('s.valid_to', '>=', today).where('s.valid_to', '<=', reviewFrom) : b.where((eb) => eb.or([eb('s.valid_to', '<', today), eb('s.valid_to', '>', reviewFrom)]));
  if (q.benchmark !== undefined) b = b.where('b.enterprise_id', q.benchmark ? 'is not' : 'is', null);
  if (q.q) b = b.where((eb) => eb.or([containsText(ctx.dialect, 'e.name', q.q!), containsText(ctx.dialect, 's.certificate_no', q.q!)]));
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b
    .select(['e.id', 'e.name', 'e.district_code', 's.level', 's.certificate_no', 's.valid_to', 'b.reason', 'b.since'])
    .orderBy('s.valid_to')
    .orderBy('e.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({ enterpriseId: r.id, enterpriseName: r.name, districtCode: r.district_code, level: r.level, certificateNo: r.certificate_no, validTo: r.valid_to, expired: r.valid_to < today, reviewDue: r.valid_to >= today && r.valid_to <= reviewFrom, benchmark: r.reason ? { reason: r.reason, since: r.since! } : null })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}
