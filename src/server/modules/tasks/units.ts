/**
 * The plan's units: the city (its safety committee office), a district, a department — keyed by
 * the city's code, the district's code or the department's id. Resolves what a caller names (or
 * their own unit) and names them for the views.
 */
import type { Kysely } from 'kysely';
import type { PlanUnit, PlanUnitView, UnitKind } from '../../../shared/contracts/tasks';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, fieldError } from '../../errors/app-error';
import { planUnitOf, type Actor } from '../../scope/scope';

export interface UnitRef {
  kind: UnitKind;
  key: string;
}

/** A named unit, checked to exist in the caller's city; or the caller's own unit when none is named. */
export async function resolveUnit(ctx: ActorCtx, named: PlanUnit | undefined, path: string): Promise<UnitRef> {
  const a = ctx.actor;
  if (!named) {
    const own = planUnitOf(a);
    if (!own) throw new AppError('FORBIDDEN', '您的账号不属于任何责任单位', 'Your account belongs to no unit of the plan');
    return own;
  }
  if (named.kind === 'city') return { kind: 'city', key: a.cityCode };
  if (named.kind === 'district') {
    const r = await ctx.db.selectFrom('regions').select(['code']).where('code', '=', named.code!).where('level', '=', 'district').where('parent_code', '=', a.cityCode).executeTakeFirst();
    if (!r) throw fieldError('UNKNOWN_REGION', `${path}.code`, '区不存在', 'Unknown district');
    return { kind: 'district', key: r.code };
  }
  const d = await ctx.db.selectFrom('departments').select(['id']).where('id', '=', named.departmentId!).where('city_code', '=', a.cityCode).executeTakeFirst();
  if (!d) throw fieldError('UNKNOWN_DEPARTMENT', `${path}.departmentId`, '部门不存在', 'Unknown department');
  return { kind: 'department', key: d.id };
}

/** Names for unit keys, in one read per kind. */
export async function unitNames(db: Kysely<DB>, cityCode: string, units: readonly UnitRef[]): Promise<(u: UnitRef) => PlanUnitView> {
  const districts = [...new Set(units.filter((u) => u.kind !== 'department').map((u) => u.key))];
  const depts = [...new Set(units.filter((u) => u.kind === 'department').map((u) => u.key))];
  const names = new Map<string, string>();
  if (districts.length) for (const r of await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', districts).execute()) names.set(r.code, r.name);
  if (depts.length) for (const r of await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', depts).execute()) names.set(r.id, r.name);
  return (u) => ({
    kind: u.kind,
    code: u.kind === 'department' ? null : u.key,
    departmentId: u.kind === 'department' ? u.key : null,
    name: u.kind === 'city' ? `${names.get(u.key) ?? u.key}安委会` : (names.get(u.key) ?? u.key),
  });
}

/** The unit a query names (districtCode or departmentId), for filters. */
export function queryUnitKey(q: { districtCode?: string; departmentId?: string }): string | undefined {
  return q.districtCode ?? q.departmentId;
}

/** Whether a unit filter asks for a unit outside the actor's own (a district's officer asking for another district): the answer is empty, not an error. */
export function unitOutsideActor(actor: Actor, key: string | undefined): boolean {
  const own = planUnitOf(actor);
  return !!key && !!own && own.kind !== 'city' && own.key !== key;
}
