/**
 * 分级分类 frequency matrix: risk class × 安全生产标准化 level → planned inspections per enterprise
 * per year, with a floor and a cap. The city sets it per year; a district or a department overrides
 * cells for its own scope; each change is a new revision (the earlier ones stay, audited). Until
 * anyone sets it, the shipped example answers — labelled as an example, never as Shanghai's rule.
 */
import type { z } from 'zod';
import { uuidv7 } from 'uuidv7';
import { RISK_CLASSES, STANDARDIZATION_LEVELS, type Matrix, type MatrixCell, type MatrixInput, type MatrixSource, type RiskClass, type StandardizationLevel } from '../../../shared/contracts/enforcement';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, fieldError } from '../../errors/app-error';
import type { Actor } from '../../scope/scope';
import { findDepartment } from '../departments/repository';
import { findRegion } from '../regions/repository';
import type { Kysely } from 'kysely';

type Cell = Omit<MatrixCell, 'from'>;

/**
 * The example (山西, see reference/domain-rules.md "Enforcement", C15): caps of 2/4/8/12 a year for
 * high-risk enterprises at 一级/二级/三级/未定级 and 1/2/4/6 for the others; half the cap (rounded
 * up) planned; high-risk ones at least once a year. Not Shanghai's rule: its 《分类分级执法的意见》
 * was not found.
 */
const HIGH_CAPS: Record<StandardizationLevel, number> = { level1: 2, level2: 4, level3: 8, none: 12 };
const OTHER_CAPS: Record<StandardizationLevel, number> = { level1: 1, level2: 2, level3: 4, none: 6 };
export const EXAMPLE_NOTE =
  '示例矩阵（非上海正式规定）：上限取自山西省公布的分级分类执法频次（高危行业一级/二级/三级/未定级企业每年至多 2/4/8/12 次，其他 1/2/4/6 次），计划次数为上限的一半（向上取整），高危企业每年至少 1 次。请按本市规定修改。';

export const EXAMPLE_CELLS: readonly Cell[] = RISK_CLASSES.flatMap((riskClass) =>
  STANDARDIZATION_LEVELS.map((standardizationLevel) => {
    const high = riskClass === 'major' || riskClass === 'high';
    const cap = (high ? HIGH_CAPS : OTHER_CAPS)[standardizationLevel];
    return { riskClass, standardizationLevel, perYear: Math.ceil(cap / 2), floor: high ? 1 : 0, cap };
  }),
);

const key = (c: { riskClass: RiskClass; standardizationLevel: StandardizationLevel }) => `${c.riskClass}:${c.standardizationLevel}`;

export interface MatrixScope {
  level: 'city' | 'district' | 'department';
  id: string;
}

async function latest(db: Kysely<DB>, cityCode: string, scope: MatrixScope, year: number) {
  return db
    .selectFrom('enforcement_matrices')
    .selectAll()
    .where('city_code', '=', cityCode)
    .where('scope_level', '=', scope.level)
    .where('scope_id', '=', scope.id)
    .where('year', '=', year)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The cells in force for a scope and year: the example, then the city's, then the scope's own override. */
export async function resolveMatrix(db: Kysely<DB>, cityCode: string, scope: MatrixScope, year: number): Promise<{ cells: MatrixCell[]; revision: number; sourceNote: string | null }> {
  const cells = new Map<string, MatrixCell>(EXAMPLE_CELLS.map((c) => [key(c), { ...c, from: 'example' as MatrixSource }]));
  const layers: MatrixScope[] = [{ level: 'city', id: cityCode }, ...(scope.level === 'city' ? [] : [scope])];
  let own: Awaited<ReturnType<typeof latest>>;
  for (const layer of layers) {
    const row = await latest(db, cityCode, layer, year);
    if (!row) continue;
    for (const c of JSON.parse(row.cells_json) as Cell[]) cells.set(key(c), { ...c, from: layer.level });
    if (layer.level === scope.level) own = row;
  }
  return { cells: [...cells.values()], revision: own?.revision ?? 0, sourceNote: own?.source_note ?? null };
}

const CITY_ROLES = new Set(['city_admin', 'city_officer']);

export function mayEditMatrix(actor: Actor, scope: MatrixScope): boolean {
  if (CITY_ROLES.has(actor.role)) return true;
  if (scope.level === 'district') return actor.role === 'district_officer' && actor.districtCode === scope.id;
  if (scope.level === 'department') return actor.role === 'dept_officer' && actor.departmentId === scope.id;
  return false;
}

/** Which scope a request names: a department, a district, or (by default) the caller's own. */
async function scopeOf(ctx: ActorCtx, q: { districtCode?: string; departmentId?: string }, own = true): Promise<MatrixScope & { name: string }> {
  const a = ctx.actor;
  if (q.departmentId) {
    const d = await findDepartment(ctx.db, q.departmentId);
    if (!d || d.city_code !== a.cityCode) throw fieldError('UNKNOWN_DEPARTMENT', 'departmentId', '部门不存在', 'Unknown department');
    return { level: 'department', id: d.id, name: d.name };
  }
  const district = q.districtCode ?? (own ? a.districtCode : null);
  if (!district && own && a.role === 'dept_officer' && a.departmentId) return scopeOf(ctx, { departmentId: a.departmentId });
  if (!district) return { level: 'city', id: a.cityCode, name: '全市' };
  const r = await findRegion(ctx.db, district);
  if (!r || r.level !== 'district') throw fieldError('UNKNOWN_REGION', 'districtCode', '区代码不存在', 'Unknown district');
  return { level: 'district', id: district, name: r.name };
}

export async function getMatrix(ctx: ActorCtx, q: { year?: number; districtCode?: string; departmentId?: string }): Promise<Matrix> {
  const year = q.year ?? Number(shanghaiDate(ctx.now()).slice(0, 4));
  const scope = await scopeOf(ctx, q);
  if (ctx.actor.role === 'enterprise' || ctx.actor.role === 'expert') throw new AppError('FORBIDDEN', '当前角色不能查看执法频次矩阵', 'Your role cannot see the frequency matrix');
  const { cells, revision, sourceNote } = await resolveMatrix(ctx.db, ctx.actor.cityCode, scope, year);
  return {
    year,
    scope: { level: scope.level, id: scope.id, name: scope.name },
    cells,
    isExample: cells.some((c) => c.from === 'example'),
    exampleNote: EXAMPLE_NOTE,
    sourceNote,
    revision,
    editable: mayEditMatrix(ctx.actor, scope),
  };
}

/** Sets cells for a scope and year (a new revision; cells not sent keep what they inherit). */
export async function putMatrix(ctx: ActorCtx, body: z.output<typeof MatrixInput>): Promise<Matrix> {
  // Setting names its scope: a department, a district, or (neither) the city's own matrix.
  const scope = await scopeOf(ctx, { departmentId: body.departmentId, districtCode: body.districtCode }, false);
  if (!mayEditMatrix(ctx.actor, scope)) throw new AppError('FORBIDDEN', '只能设置本级（本区、本部门）的执法频次；全市矩阵由市级设置', 'You may set the matrix of your own scope only');
  const seen = new Set<string>();
  body.cells.forEach((c, i) => {
    if (seen.has(key(c))) throw fieldError('VALIDATION_FAILED', `cells.${i}`, '同一风险等级与标准化等级的格子重复', 'Duplicate cell');
    seen.add(key(c));
  });
  return transact(ctx, async (tx) => {
    const before = await resolveMatrix(tx.db, ctx.actor.cityCode, scope, body.year);
    const prev = await latest(tx.db, ctx.actor.cityCode, scope, body.year);
    const merged = new Map<string, Cell>((prev ? (JSON.parse(prev.cells_json) as Cell[]) : []).map((c) => [key(c), c]));
    for (const c of body.cells) merged.set(key(c), { riskClass: c.riskClass, standardizationLevel: c.standardizationLevel, perYear: c.perYear, floor: c.floor, cap: c.cap });
    const revision = (prev?.revision ?? 0) + 1;
    await tx.db
      .insertInto('enforcement_matrices')
      .values({ id: uuidv7(), city_code: ctx.actor.cityCode, scope_level: scope.level, scope_id: scope.id, year: body.year, revision, cells_json: JSON.stringify([...merged.values()]), source_note: body.sourceNote, set_by: ctx.actor.userId, created_at: ctx.now().toISOString() })
      .execute();
    await audit(tx, {
      action: 'enforcement.matrix_set',
      entityType: 'enforcement_matrix',
      entityId: `${scope.level}:${scope.id}:${body.year}`,
      districtCode: scope.level === 'district' ? scope.id : null,
      before: { revision: before.revision, cells: before.cells },
      after: { revision, cells: body.cells, sourceNote: body.sourceNote },
    });
    return getMatrix(tx, { year: body.year, ...(scope.level === 'department' ? { departmentId: scope.id } : scope.level === 'district' ? { districtCode: scope.id } : {}) });
  });
}

/** The number planned for an enterprise in a year: the cell's count within its floor and cap; a key unit at least once. */
export function plannedCount(cells: readonly Cell[], e: { risk_class: RiskClass; standardization_level: StandardizationLevel }, keyUnit: boolean): number {
  const c = cells.find((x) => x.riskClass === e.risk_class && x.standardizationLevel === e.standardization_level);
  if (!c) return keyUnit ? 1 : 0;
  const n = Math.min(c.cap, Math.max(c.floor, c.perYear));
  return keyUnit ? Math.max(1, n) : n;
}

/** The months of an enterprise's planned inspections, spread over the year and staggered by enterprise so the months carry even loads. */
export function plannedMonths(n: number, enterpriseId: string): number[] {
  if (n <= 0) return [];
  let h = 0;
  for (const ch of enterpriseId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const offset = h % 12;
  return Array.from({ length: n }, (_, k) => 1 + Math.floor((k * 12 + offset) / n));
}
