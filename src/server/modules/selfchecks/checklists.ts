/**
 * 检查表 (self-checks, #14, first part): checklists an organisation publishes for the enterprises
 * in its scope, or an enterprise keeps for itself; generated from a judgement standard (one item
 * per clause, lead-in sentences skipped, each citing its clause) or written by hand; versioned —
 * changing the items makes a new version, and earlier versions' items stay for the rounds done
 * against them.
 *
 * Who sees what: officers see the checklists of their city's organisations, and an enterprise's
 * own checklists when that enterprise is in their scope; an enterprise sees the city's, its
 * district's and street's, every department's, and its own. Who changes what: the organisation
 * that owns it (and the city administrator). Out of sight answers 404 like everywhere.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Checklist, ChecklistInput, ChecklistItem, ChecklistOwnerLevel, ChecklistPatch, ChecklistQuery, ChecklistSummary } from '../../../shared/contracts/checklists';
import type { ListResult } from '../../../shared/contracts/common';
import { audit, transact, type ActorCtx } from '../../context';
import { containsText } from '../../db/dialect';
import type { DB } from '../../db/schema';
import { AppError, notFound } from '../../errors/app-error';
import { checklistScopeWhere, type Actor } from '../../scope/scope';

type Owner = { level: ChecklistOwnerLevel; id: string };

/** The organisation an actor publishes for; inspectors and experts publish none. */
export function ownerOf(actor: Actor): Owner | null {
  switch (actor.role) {
    case 'city_admin':
    case 'city_officer':
      return { level: 'city', id: actor.cityCode };
    case 'district_officer':
      return actor.districtCode ? { level: 'district', id: actor.districtCode } : null;
    case 'street_officer':
      return actor.streetCode ? { level: 'street', id: actor.streetCode } : null;
    case 'dept_officer':
      return actor.departmentId ? { level: 'department', id: actor.departmentId } : null;
    case 'enterprise':
      return actor.enterpriseId ? { level: 'enterprise', id: actor.enterpriseId } : null;
    default:
      return null;
  }
}

const mayEdit = (actor: Actor, row: { owner_level: string; owner_id: string }) => {
  if (actor.role === 'city_admin') return true;
  const mine = ownerOf(actor);
  return !!mine && mine.level === row.owner_level && mine.id === row.owner_id;
};

/** The checklists `actor` may see (scope/scope.ts decides; an enterprise's district and street come from its row). */
async function visibleWhere(ctx: ActorCtx) {
  const a = ctx.actor;
  const home = a.role === 'enterprise' && a.enterpriseId ? await ctx.db.selectFrom('enterprises').select(['district_code', 'street_code']).where('id', '=', a.enterpriseId).executeTakeFirst() : undefined;
  return checklistScopeWhere<DB, 'checklists'>(a, home ? { districtCode: home.district_code, streetCode: home.street_code } : null);
}

async function ownerNames(ctx: ActorCtx, rows: { owner_level: string; owner_id: string }[]): Promise<Map<string, string>> {
  const ids = (level: string) => [...new Set(rows.filter((r) => r.owner_level === level).map((r) => r.owner_id))];
  const regions = [...ids('city'), ...ids('district'), ...ids('street')];
  const out = new Map<string, string>();
  if (regions.length) for (const r of await ctx.db.selectFrom('regions').select(['code', 'name']).where('code', 'in', regions).execute()) out.set(r.code, r.name);
  const depts = ids('department');
  if (depts.length) for (const d of await ctx.db.selectFrom('departments').select(['id', 'name']).where('id', 'in', depts).execute()) out.set(d.id, d.name);
  const ents = ids('enterprise');
  if (ents.length) for (const e of await ctx.db.selectFrom('enterprises').select(['id', 'name']).where('id', 'in', ents).execute()) out.set(e.id, e.name);
  return out;
}

function summary(actor: Actor, r: DB['checklists'], itemCount: number, names: Map<string, string>): ChecklistSummary {
  return {
    id: r.id,
    title: r.title,
    version: r.version,
    ownerLevel: r.owner_level,
    ownerName: names.get(r.owner_id) ?? r.owner_id,
    industryCodes: JSON.parse(r.industry_codes) as string[],
    enterpriseKinds: JSON.parse(r.enterprise_kinds) as string[],
    standardId: r.standard_id,
    itemCount,
    editable: mayEdit(actor, r),
    updatedAt: r.updated_at,
  };
}

export async function listChecklists(ctx: ActorCtx, q: ChecklistQuery): Promise<ListResult<ChecklistSummary>> {
  let base = ctx.db.selectFrom('checklists').where(await visibleWhere(ctx));
  if (q.ownerLevel) base = base.where('checklists.owner_level', '=', q.ownerLevel);
  if (q.q) base = base.where(containsText(ctx.dialect, 'checklists.title', q.q));
  // An industry filter keeps the checklists for that industry (its division or section) and those for every industry.
  if (q.industryCode) base = base.where((eb) => eb.or([eb('checklists.industry_codes', '=', '[]'), eb('checklists.industry_codes', 'like', `%"${q.industryCode}"%`)]));
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base.selectAll('checklists').orderBy('checklists.updated_at', 'desc').orderBy('checklists.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const counts = rows.length
    ? await ctx.db
        .selectFrom('checklist_items as i')
        .innerJoin('checklists as c', (j) => j.onRef('c.id', '=', 'i.checklist_id').onRef('c.version', '=', 'i.version'))
        .select(['i.checklist_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('i.checklist_id', 'in', rows.map((r) => r.id))
        .groupBy('i.checklist_id')
        .execute()
    : [];
  const countOf = new Map(counts.map((c) => [c.checklist_id, Number(c.n)]));
  const names = await ownerNames(ctx, rows);
  return { items: rows.map((r) => summary(ctx.actor, r, countOf.get(r.id) ?? 0, names)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** The checklist as the caller may see it, with the items of its current version (or of `version`, for a round done against it). */
export async function getChecklist(ctx: ActorCtx, id: string, version?: number): Promise<Checklist> {
  const row = await ctx.db.selectFrom('checklists').selectAll('checklists').where('checklists.id', '=', id).where(await visibleWhere(ctx)).executeTakeFirst();
  if (!row) throw notFound('检查表', 'checklist');
  const list = await checklistItems(ctx.db, id, version ?? row.version);
  if (version !== undefined && !list.length) throw notFound('检查表版本', 'checklist version');
  return { ...summary(ctx.actor, row, list.length, await ownerNames(ctx, [row])), items: list };
}

/** The items of one version of a checklist, with the numbers of the clauses they cite (no scope check: the caller's). */
export async function checklistItems(db: Kysely<DB>, checklistId: string, version: number): Promise<ChecklistItem[]> {
  const items = await db
    .selectFrom('checklist_items as i')
    .leftJoin('standard_clauses as sc', 'sc.id', 'i.clause_id')
    .select(['i.id', 'i.seq', 'i.text', 'i.category', 'i.clause_id', 'sc.no'])
    .where('i.checklist_id', '=', checklistId)
    .where('i.version', '=', version)
    .orderBy('i.seq')
    .execute();
  return items.map((i) => ({ id: i.id, seq: i.seq, text: i.text, category: i.category, clauseId: i.clause_id, clauseNo: i.no }));
}

type ItemInput = { text: string; category?: string | null; clauseId?: string | null };

/** The items of one version, checked: every cited clause exists. */
async function insertItems(ctx: ActorCtx, checklistId: string, version: number, items: ItemInput[]) {
  const cited = [...new Set(items.map((i) => i.clauseId).filter((c): c is string => !!c))];
  if (cited.length) {
    const found = new Set((await ctx.db.selectFrom('standard_clauses').select('id').where('id', 'in', cited).execute()).map((c) => c.id));
    const missing = cited.filter((c) => !found.has(c));
    if (missing.length) {
      throw new AppError('VALIDATION_FAILED', `输入有误：引用的判定标准条款不存在（${missing.length} 项）`, `Unknown judgement-standard clause(s): ${missing.join(', ')}`, {
        errors: items.flatMap((i, k) => (i.clauseId && missing.includes(i.clauseId) ? [{ path: `items.${k}.clauseId`, code: 'unknown_clause', message: '条款不存在' }] : [])),
      });
    }
  }
  for (let k = 0; k < items.length; k += 200) {
    await ctx.db
      .insertInto('checklist_items')
      .values(items.slice(k, k + 200).map((i, j) => ({ id: uuidv7(), checklist_id: checklistId, version, seq: k + j + 1, text: i.text, category: i.category ?? null, clause_id: i.clauseId ?? null })))
      .execute();
  }
}

function requireOwner(actor: Actor): Owner {
  const owner = ownerOf(actor);
  if (!owner) throw new AppError('FORBIDDEN', '当前角色不能发布检查表', 'Your role cannot publish checklists');
  return owner;
}

/** Publishes a checklist for the caller's organisation (version 1). */
export async function createChecklist(ctx: ActorCtx, input: ChecklistInput & { standardId?: string | null }): Promise<Checklist> {
  const owner = requireOwner(ctx.actor);
  const id = uuidv7();
  const now = ctx.now().toISOString();
  await transact(ctx, async (tx) => {
    await tx.db
      .insertInto('checklists')
      .values({
        id,
        city_code: ctx.actor.cityCode,
        owner_level: owner.level,
        owner_id: owner.id,
        title: input.title,
        industry_codes: JSON.stringify(input.industryCodes ?? []),
        enterprise_kinds: JSON.stringify(input.enterpriseKinds ?? []),
        standard_id: input.standardId ?? null,
        version: 1,
        created_by: ctx.actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await insertItems(tx, id, 1, input.items);
    await audit(tx, { action: 'checklist.created', entityType: 'checklist', entityId: id, districtCode: owner.level === 'district' ? owner.id : undefined, after: { title: input.title, owner, items: input.items.length, standardId: input.standardId ?? null } });
  });
  return getChecklist(ctx, id);
}

/** 按判定标准生成: one item per clause of the standard (lead-in sentences skipped), each citing its clause, for the standard's industries. */
export async function checklistFromStandard(ctx: ActorCtx, input: { standardId: string; title: string }): Promise<Checklist> {
  requireOwner(ctx.actor);
  const standard = await ctx.db.selectFrom('standards').select(['id', 'title']).where('id', '=', input.standardId).executeTakeFirst();
  if (!standard) throw notFound('判定标准', 'judgement standard');
  const clauses = await ctx.db.selectFrom('standard_clauses').select(['id', 'text', 'category']).where('standard_id', '=', standard.id).where('is_lead_in', '=', 0).orderBy('sort').execute();
  if (!clauses.length) throw new AppError('VALIDATION_FAILED', `判定标准「${standard.title}」尚无条款，不能生成检查表`, 'The standard has no clauses to check');
  const industries = (await ctx.db.selectFrom('standard_industries').select('industry_code').where('standard_id', '=', standard.id).execute()).map((r) => r.industry_code);
  return createChecklist(ctx, {
    title: input.title,
    industryCodes: industries.includes('*') ? [] : industries,
    enterpriseKinds: [],
    items: clauses.map((c) => ({ text: c.text.length > 500 ? `${c.text.slice(0, 499)}…` : c.text, category: c.category, clauseId: c.id })),
    standardId: standard.id,
  });
}

/** Changes a checklist (its owner): new items make a new version; title and applicability change in place. */
export async function patchChecklist(ctx: ActorCtx, id: string, patch: ChecklistPatch): Promise<Checklist> {
  const before = await getChecklist(ctx, id);
  const row = await ctx.db.selectFrom('checklists').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (!mayEdit(ctx.actor, row)) throw new AppError('FORBIDDEN', '只能修改本单位发布的检查表', 'Only the organisation that published a checklist may change it');
  const version = patch.items ? row.version + 1 : row.version;
  await transact(ctx, async (tx) => {
    const moved = await tx.db
      .updateTable('checklists')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.industryCodes !== undefined ? { industry_codes: JSON.stringify(patch.industryCodes) } : {}),
        ...(patch.enterpriseKinds !== undefined ? { enterprise_kinds: JSON.stringify(patch.enterpriseKinds) } : {}),
        version,
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', id)
      .where('version', '=', patch.version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该检查表已被他人修改，请刷新后重试', 'Someone else changed this checklist; reload and try again');
    if (patch.items) await insertItems(tx, id, version, patch.items);
    await audit(tx, {
      action: 'checklist.changed',
      entityType: 'checklist',
      entityId: id,
      before: { version: before.version, title: before.title, industryCodes: before.industryCodes, items: before.items.length },
      after: { version, title: patch.title ?? before.title, industryCodes: patch.industryCodes ?? before.industryCodes, items: patch.items?.length ?? before.items.length },
    });
  });
  return getChecklist(ctx, id);
}
