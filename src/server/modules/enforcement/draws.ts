/**
 * 双随机: an officer draws N enterprises from a pool filtered within their scope, and for each k
 * inspectors from those who may inspect it — leaving out declared conflicts of interest and whoever
 * inspected it in the last 12 months. The draw keeps its pool (sorted ids), seed, algorithm, every
 * walked enterprise's eligible inspectors and its result, and the audit log keeps the pool's hash and
 * the seed, so anyone can recompute it (`replay`) and a pool or seed changed afterwards shows. A draw
 * never changes; its inspections (type 双随机, one per enterprise) are made in the same transaction.
 */
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { Draw, DrawFilter, DrawInput, DrawQuery, DrawSummary } from '../../../shared/contracts/enforcement';
import { shanghaiDate, yearBefore } from '../../../shared/dates';
import { audit, transact, type ActorCtx, type Ctx } from '../../context';
import type { DB, DrawsTable } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { directsEnforcement, officeRecordWhere } from '../../scope/scope';
import { ALGORITHM, ALGORITHM_NOTE, newSeed, poolHash, walkDraw, type DrawOutcome } from './draw-algorithm';
import { eligibleInspectors, insertInspections } from './inspections';
import { scopedEnterprises } from '../enterprises/repository';
import { divisionsIn } from '../industries/repository';
import { appendRecordEvent } from '../../records/records';


export interface Stored {
  candidates: Record<string, string[]>;
  excluded: { enterpriseId: string; inspectorId: string; reason: 'conflict' | 'recent' }[];
  result: { enterpriseIds: string[]; assignments: { enterpriseId: string; inspectorIds: string[] }[] };
}

/** The pool: enterprises in the caller's scope matching the filter, ids sorted. */
async function poolOf(ctx: ActorCtx, f: DrawFilter, date: string): Promise<string[]> {
  let q = scopedEnterprises(ctx.db, ctx.actor).select('enterprises.id');
  if (f.districtCode) q = q.where('enterprises.district_code', '=', f.districtCode);
  if (f.streetCode) q = q.where('enterprises.street_code', '=', f.streetCode);
  if (f.industryCodes?.length) q = q.where('enterprises.industry_code', 'in', divisionsIn(ctx.db, f.industryCodes));
  if (f.riskClasses?.length) q = q.where('enterprises.risk_class', 'in', f.riskClasses);
  if (f.standardizationLevels?.length) q = q.where('enterprises.standardization_level', 'in', f.standardizationLevels);
  if (f.keyUnitsOnly) q = q.where('enterprises.id', 'in', (eb) => eb.selectFrom('key_units').select('enterprise_id').where('year', '=', Number(date.slice(0, 4))));
  if (f.notInspectedSince) {
    q = q.where('enterprises.id', 'not in', (eb) => eb.selectFrom('inspections').select('enterprise_id').where('date', '>=', f.notInspectedSince!).where('status', '=', 'finished'));
  }
  const rows = await q.execute();
  // Code-unit order, the same in JavaScript, SQLite and any shell's `LC_ALL=C sort`.
  return rows.map((r) => r.id).sort();
}

/** Each enterprise's eligible inspectors, and who was left out and why. */
async function candidatesFor(ctx: ActorCtx, ids: string[], date: string, into: Stored) {
  const ents = await ctx.db.selectFrom('enterprises').select(['id', 'district_code']).where('id', 'in', ids).execute();
  const all = await eligibleInspectors(ctx.db, ctx.actor.cityCode).select(['id', 'district_code', 'department_id']).orderBy('id').execute();
  // A department draws from its own inspectors where it has any; otherwise from those of the places.
  const own = ctx.actor.role === 'dept_officer' ? all.filter((u) => u.department_id === ctx.actor.departmentId) : [];
  const inspectors = own.length ? own : all;
  const conflicts = await ctx.db.selectFrom('inspector_conflicts').select(['user_id', 'enterprise_id']).where('enterprise_id', 'in', ids).execute();
  const recent = await ctx.db
    .selectFrom('inspection_inspectors as ii')
    .innerJoin('inspections as i', 'i.id', 'ii.inspection_id')
    .select(['ii.user_id', 'i.enterprise_id'])
    .where('i.enterprise_id', 'in', ids)
    .where('i.date', '>=', yearBefore(date))
    .where('i.date', '<=', date)
    .where('i.status', '<>', 'planned')
    .execute();
  const conflicted = new Set(conflicts.map((c) => `${c.enterprise_id}|${c.user_id}`));
  const recently = new Set(recent.map((c) => `${c.enterprise_id}|${c.user_id}`));
  for (const e of ents) {
    const ok: string[] = [];
    for (const u of inspectors) {
      if (u.district_code && u.district_code !== e.district_code) continue;
      const k = `${e.id}|${u.id}`;
      if (conflicted.has(k)) into.excluded.push({ enterpriseId: e.id, inspectorId: u.id, reason: 'conflict' });
      else if (recently.has(k)) into.excluded.push({ enterpriseId: e.id, inspectorId: u.id, reason: 'recent' });
      else ok.push(u.id);
    }
    into.candidates[e.id] = ok;
  }
}

/** A draw as kept: its pool, seed and algorithm, the walked enterprises' candidates, who was left out, and the result (the demo city writes its draws the same way). */
export function newDrawRow(f: {
  id: string;
  cityCode: string;
  districtCode: string | null;
  departmentId: string | null;
  title: string;
  filter: DrawFilter;
  count: number;
  perInspection: number;
  date: string;
  seed: string;
  pool: string[];
  stored: Stored;
  published: boolean;
  createdBy: string | null;
  createdByName: string;
  createdAt: string;
}): DrawsTable {
  return {
    id: f.id,
    city_code: f.cityCode,
    district_code: f.districtCode,
    department_id: f.departmentId,
    title: f.title,
    filter_json: JSON.stringify(f.filter),
    count: f.count,
    per_inspection: f.perInspection,
    date: f.date,
    seed: f.seed,
    algorithm: ALGORITHM,
    pool_json: JSON.stringify(f.pool),
    pool_size: f.pool.length,
    pool_hash: poolHash(f.pool),
    candidates_json: JSON.stringify(f.stored.candidates),
    excluded_json: JSON.stringify(f.stored.excluded),
    result_json: JSON.stringify(f.stored.result),
    published: f.published ? 1 : 0,
    created_by: f.createdBy,
    created_by_name: f.createdByName,
    created_at: f.createdAt,
  };
}

export async function createDraw(ctx: ActorCtx, input: z.output<typeof DrawInput>): Promise<Draw> {
  const a = ctx.actor;
  if (!directsEnforcement(a)) throw new AppError('FORBIDDEN', '双随机抽取由区、部门或市级执法机构进行', 'Draws are made by district, department or city officers');
  const date = input.date ?? shanghaiDate(ctx.now());
  const filter: DrawFilter = { ...input.filter, districtCode: input.filter.districtCode ?? a.districtCode ?? undefined };
  if (a.districtCode && filter.districtCode !== a.districtCode) throw fieldError('OUT_OF_SCOPE', 'filter.districtCode', '只能在本区范围内抽取', 'Draw within your district');
  return transact(ctx, async (tx) => {
    const pool = await poolOf(tx, filter, date);
    if (pool.length < input.count) {
      throw fieldError('VALIDATION_FAILED', 'count', `符合条件的企业只有 ${pool.length} 家，少于抽取数量 ${input.count} 家；请放宽条件或减少数量`, `The pool holds ${pool.length} enterprises, fewer than ${input.count}`);
    }
    const seed = newSeed();
    const stored: Stored = { candidates: {}, excluded: [], result: { enterpriseIds: [], assignments: [] } };
    let outcome: DrawOutcome;
    for (;;) {
      outcome = walkDraw(pool, seed, input.count, input.inspectorsPerInspection, (id) => stored.candidates[id], Math.max(50, input.count * 2));
      if (!outcome.unknown.length) break;
      await candidatesFor(tx, outcome.unknown, date, stored);
    }
    if (outcome.enterpriseIds.length < input.count) {
      throw fieldError(
        'VALIDATION_FAILED',
        'count',
        `企业池 ${pool.length} 家中只有 ${outcome.enterpriseIds.length} 家能配足 ${input.inspectorsPerInspection} 名执法人员（已排除利害关系回避和近 12 个月内检查过该企业的人员）；请减少数量或增加执法人员`,
        'Not enough enterprises can be staffed with eligible inspectors',
      );
    }
    stored.result = { enterpriseIds: outcome.enterpriseIds, assignments: outcome.assignments };
    // Only the walked enterprises' candidates matter for a replay; the exclusions of those drawn are shown.
    const drawn = new Set(outcome.enterpriseIds);
    stored.excluded = stored.excluded.filter((x) => drawn.has(x.enterpriseId));
    const id = uuidv7();
    const at = ctx.now().toISOString();
    const title = input.title?.trim() || `${date} 双随机抽查`;
    const row = newDrawRow({ id, cityCode: a.cityCode, districtCode: filter.districtCode ?? null, departmentId: a.role === 'dept_officer' ? a.departmentId : null, title, filter, count: input.count, perInspection: input.inspectorsPerInspection, date, seed, pool, stored, published: false, createdBy: a.userId, createdByName: a.displayName, createdAt: at });
    const hash = row.pool_hash;
    await tx.db.insertInto('draws').values(row).execute();
    const ents = await tx.db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code']).where('id', 'in', outcome.enterpriseIds).execute();
    const byId = new Map(ents.map((e) => [e.id, e]));
    await insertInspections(
      tx,
      outcome.assignments.map((x) => ({ enterprise: byId.get(x.enterpriseId)!, type: 'random', date, inspectorIds: x.inspectorIds, unannounced: false, checklist: null, drawId: id, followsId: null, note: null })),
    );
    await appendRecordEvent(tx.db, { entityType: 'draw', entityId: id, action: 'draw', actorId: a.userId, actorName: a.displayName, at, data: { poolSize: pool.length, poolHash: hash, seed } });
    // The audit log is append-only and hash-chained: it is where a changed pool or seed is found out.
    await audit(tx, { action: 'draw.made', entityType: 'draw', entityId: id, districtCode: filter.districtCode ?? null, after: { poolHash: hash, poolSize: pool.length, seed, algorithm: ALGORITHM, count: input.count, filter, enterpriseIds: outcome.enterpriseIds } });
    return drawDetail(tx, id);
  });
}

function scopedDraws(ctx: ActorCtx) {
  return ctx.db.selectFrom('draws').where(officeRecordWhere<DB, 'draws'>(ctx.actor, { city: 'draws.city_code', district: 'draws.district_code', department: 'draws.department_id' }));
}

export async function drawDetail(ctx: ActorCtx, id: string): Promise<Draw> {
  // Not the pool nor the candidates: megabytes at city scale, needed only to replay.
  const d = await scopedDraws(ctx)
    .select(['id', 'title', 'seed', 'algorithm', 'pool_size', 'pool_hash', 'count', 'per_inspection', 'filter_json', 'date', 'district_code', 'excluded_json', 'result_json', 'published', 'created_at', 'created_by_name'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!d) throw notFound('抽取记录', 'draw');
  const stored = { excluded: JSON.parse(d.excluded_json) as Stored['excluded'], result: JSON.parse(d.result_json) as Stored['result'] };
  const ids = stored.result.enterpriseIds;
  const ents = ids.length ? await ctx.db.selectFrom('enterprises').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  const names = new Map(ents.map((e) => [e.id, e.name]));
  const people = new Set(stored.result.assignments.flatMap((x) => x.inspectorIds));
  const users = people.size ? await ctx.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...people]).execute() : [];
  const userNames = new Map(users.map((u) => [u.id, u.display_name]));
  const inspections = await ctx.db.selectFrom('inspections').select(['id', 'enterprise_id']).where('draw_id', '=', id).execute();
  const inspectionOf = new Map(inspections.map((i) => [i.enterprise_id, i.id]));
  return {
    id: d.id,
    title: d.title,
    seed: d.seed,
    algorithm: d.algorithm,
    algorithmNote: ALGORITHM_NOTE,
    poolSize: d.pool_size,
    poolHash: d.pool_hash,
    count: d.count,
    inspectorsPerInspection: d.per_inspection,
    filter: JSON.parse(d.filter_json) as DrawFilter,
    date: d.date,
    districtCode: d.district_code,
    enterprises: ids.map((e) => ({ id: e, name: names.get(e) ?? '' })),
    assignments: stored.result.assignments.map((x) => ({ enterpriseId: x.enterpriseId, enterpriseName: names.get(x.enterpriseId) ?? '', inspectorIds: x.inspectorIds, inspectorNames: x.inspectorIds.map((u) => userNames.get(u) ?? ''), inspectionId: inspectionOf.get(x.enterpriseId) ?? null })),
    excluded: stored.excluded,
    published: d.published === 1,
    createdAt: d.created_at,
    createdByName: d.created_by_name,
  };
}

export async function listDraws(ctx: ActorCtx, q: z.output<typeof DrawQuery>): Promise<ListResult<z.infer<typeof DrawSummary>>> {
  let base = scopedDraws(ctx);
  if (q.districtCode) base = base.where('district_code', '=', q.districtCode);
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base
    .select(['id', 'title', 'pool_size', 'count', 'date', 'district_code', 'published', 'created_at', 'created_by_name', 'algorithm'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({ id: r.id, title: r.title, poolSize: r.pool_size, count: r.count, date: r.date, districtCode: r.district_code, published: r.published === 1, createdAt: r.created_at, createdByName: r.created_by_name, algorithm: r.algorithm })),
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * 复核: recomputes the draw from its stored pool, seed and candidates, and checks the pool and seed
 * against what the audit log recorded when it was made.
 */
export async function replayDraw(ctx: ActorCtx, id: string) {
  const d = await scopedDraws(ctx).selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) throw notFound('抽取记录', 'draw');
  const pool = JSON.parse(d.pool_json) as string[];
  const candidates = JSON.parse(d.candidates_json) as Record<string, string[]>;
  const stored = JSON.parse(d.result_json) as Stored['result'];
  const made = await ctx.db.selectFrom('audit_log').select('after_json').where('entity_type', '=', 'draw').where('entity_id', '=', id).where('action', '=', 'draw.made').executeTakeFirst();
  const recorded = made?.after_json ? (JSON.parse(made.after_json) as { poolHash?: string; seed?: string }) : {};
  const sorted = [...pool].sort();
  const poolMatches = poolHash(pool) === recorded.poolHash && poolHash(pool) === d.pool_hash && sorted.every((x, i) => x === pool[i]);
  const seedMatches = recorded.seed === d.seed;
  const again = walkDraw(pool, d.seed, d.count, d.per_inspection, (e) => candidates[e]);
  const resultMatches = !again.unknown.length && JSON.stringify({ enterpriseIds: again.enterpriseIds, assignments: again.assignments }) === JSON.stringify(stored);
  return {
    matches: poolMatches && seedMatches && resultMatches,
    poolMatches,
    seedMatches,
    resultMatches,
    recomputed: { enterpriseIds: again.enterpriseIds, assignments: again.assignments },
  };
}

/** 公开: the draw's result may be shown on the public page (enterprise names and dates only). Once published it stays so. */
export async function publishDraw(ctx: ActorCtx, id: string): Promise<Draw> {
  return transact(ctx, async (tx) => {
    const d = await scopedDraws(tx).select(['id', 'published', 'district_code']).where('id', '=', id).executeTakeFirst();
    if (!d) throw notFound('抽取记录', 'draw');
    if (!directsEnforcement(ctx.actor)) throw new AppError('FORBIDDEN', '由抽取机构公开抽取结果', 'The drawing office publishes its draws');
    if (d.published) throw new AppError('INVALID_TRANSITION', '抽取结果已公开', 'Already published');
    await tx.db.updateTable('draws').set({ published: 1 }).where('id', '=', id).execute();
    const at = ctx.now().toISOString();
    await appendRecordEvent(tx.db, { entityType: 'draw', entityId: id, action: 'publish', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at });
    await audit(tx, { action: 'draw.published', entityType: 'draw', entityId: id, districtCode: d.district_code, after: { published: true } });
    return drawDetail(tx, id);
  });
}

/** The public page: a published draw's enterprise names and date, its seed, algorithm and pool hash; nothing else. */
export async function publicDraw(ctx: Ctx, id: string) {
  const d = await ctx.db.selectFrom('draws').select(['id', 'title', 'date', 'created_at', 'seed', 'algorithm', 'pool_size', 'pool_hash', 'result_json', 'published']).where('id', '=', id).executeTakeFirst();
  if (!d || !d.published) throw notFound('抽取记录', 'draw');
  const ids = (JSON.parse(d.result_json) as Stored['result']).enterpriseIds;
  const names = new Map((await ctx.db.selectFrom('enterprises').select(['id', 'name']).where('id', 'in', ids.length ? ids : ['-']).execute()).map((e) => [e.id, e.name]));
  return { id: d.id, title: d.title, date: d.date, createdAt: d.created_at, seed: d.seed, algorithm: d.algorithm, poolSize: d.pool_size, poolHash: d.pool_hash, enterprises: ids.map((e) => ({ name: names.get(e) ?? '', date: d.date })) };
}

