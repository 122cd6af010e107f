/**
 * 实时数据: where Zhiben keeps a figure, a task shows it live instead of asking for it. Each binding
 * reads its figure for the task's lead unit through the module's own code (the cockpit's view, the
 * self-check month, a programme's coverage, a plan's completion, the tip tallies), so the task and
 * the module never disagree; a reader sees it only where they may open that unit's view. The
 * `plan-readings` job keeps one reading per bound task and day, for the figure over time.
 */
import type { Kysely } from 'kysely';
import type { BindingValue, PlanBinding, UnitKind } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { departmentDivisions } from '../../auth/actor';
import type { DB } from '../../db/schema';
import { fieldError } from '../../errors/app-error';
import { mayViewCityDashboard, mayViewDepartmentDashboard, mayViewDistrictDashboard, type Actor } from '../../scope/scope';
import { computeView, type ViewFilter } from '../dashboard/views';
import { selfCheckMonth } from '../selfchecks/figures';
import type { UnitRef } from './units';

interface Scope {
  db: Kysely<DB>;
  cityCode: string;
  unit: UnitRef;
  now: Date;
}

interface BindingDef extends PlanBinding {
  /** The unit kinds the figure is kept for. */
  units: readonly UnitKind[];
  read(s: Scope, f: ViewFilter): Promise<number | null>;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const view = (s: Scope, f: ViewFilter) => computeView(s.db, f, s.now, { level: f.industryCodes ? 'department' : f.districtCode ? 'district' : 'city', name: '', base: {}, breakdownBy: null, worst: false });

export const PLAN_BINDINGS: readonly BindingDef[] = [
  {
    key: 'hazards.open_major',
    measureNo: 14,
    title: { zh: '在册未销号重大事故隐患（项）', en: 'Open major hazards' },
    unit: 'count',
    better: 'lower',
    note: '驾驶舱“重大隐患在办”：重大隐患库中已上报、整改中、待验收的重大隐患数（动态清零的目标为 0）。',
    units: ['city', 'district', 'department'],
    read: async (s, f) => (await view(s, f)).totals.openMajor,
  },
  {
    key: 'hazards.overdue_major',
    measureNo: 14,
    title: { zh: '逾期未整改重大事故隐患（项）', en: 'Overdue major hazards' },
    unit: 'count',
    better: 'lower',
    note: '驾驶舱“重大隐患逾期”：整改期限（上海时间当日 24 时）已过仍未销号的重大隐患数。',
    units: ['city', 'district', 'department'],
    read: async (s, f) => (await view(s, f)).totals.overdueMajor,
  },
  {
    key: 'hazards.stock_to2023',
    measureNo: 14,
    title: { zh: '2023年及以前存量隐患（项）', en: 'Open hazards found in 2023 or before' },
    unit: 'count',
    better: 'lower',
    note: '驾驶舱“存量隐患”：2023 年及以前发现、至今未销号的隐患数（各等级）。',
    units: ['city', 'district', 'department'],
    read: async (s, f) => (await view(s, f)).stock.groups.find((g) => g.key === 'to2023')?.open ?? 0,
  },
  {
    key: 'selfchecks.on_time_rate',
    measureNo: 13,
    title: { zh: '本月企业自查按时完成率', en: 'Self-checks done on time this month' },
    unit: 'rate',
    better: 'higher',
    note: '驾驶舱“企业自查”：本月到期的自查中按时完成的比例（按时完成 ÷ 本月到期）。',
    units: ['city', 'district', 'department'],
    read: async (s, f) => {
      const m = await selfCheckMonth(s.db, f, shanghaiDate(s.now));
      return ratio(m.onTime, m.rounds);
    },
  },
  {
    key: 'experts.coverage',
    measureNo: 3,
    title: { zh: '“啄木鸟”计划覆盖率', en: '啄木鸟 coverage' },
    unit: 'rate',
    better: 'higher',
    note: '啄木鸟计划：本单位在期内的计划中，已完成专家检查的目标企业 ÷ 目标企业（与计划的覆盖页相同）。',
    units: ['city', 'district', 'department'],
    read: async (s) => {
      const today = shanghaiDate(s.now);
      let q = s.db.selectFrom('expert_programmes').select(['targets', 'covered']).where('city_code', '=', s.cityCode).where('period_from', '<=', today).where('period_to', '>=', today);
      if (s.unit.kind === 'district') q = q.where('district_code', '=', s.unit.key).where('department_id', 'is', null);
      if (s.unit.kind === 'department') q = q.where('department_id', '=', s.unit.key);
      const rows = await q.execute();
      return ratio(
        rows.reduce((n, r) => n + Number(r.covered), 0),
        rows.reduce((n, r) => n + Number(r.targets), 0),
      );
    },
  },
  {
    key: 'enforcement.plan_completion',
    measureNo: 26,
    title: { zh: '年度执法检查计划完成率', en: 'Enforcement plan completion this year' },
    unit: 'rate',
    better: 'higher',
    note: '精准执法：本单位本年度执法检查计划中已完成的检查 ÷ 计划检查（与计划页相同，每家企业至多计到计划次数）。',
    units: ['city', 'district', 'department'],
    read: async (s) => {
      const year = Number(shanghaiDate(s.now).slice(0, 4));
      let q = s.db.selectFrom('inspection_plan_items as i').innerJoin('inspection_plans as p', 'p.id', 'i.plan_id').select(['i.planned', 'i.done']).where('p.city_code', '=', s.cityCode).where('p.year', '=', year);
      if (s.unit.kind === 'district') q = q.where('p.district_code', '=', s.unit.key).where('p.department_id', 'is', null);
      if (s.unit.kind === 'department') q = q.where('p.department_id', '=', s.unit.key);
      const rows = await q.execute();
      return ratio(
        rows.reduce((n, r) => n + Math.min(Number(r.done), Number(r.planned)), 0),
        rows.reduce((n, r) => n + Number(r.planned), 0),
      );
    },
  },
  {
    key: 'tips.verified_on_time_rate',
    measureNo: 24,
    title: { zh: '本年举报按时核查办结率', en: 'Tips verified on time this year' },
    unit: 'rate',
    better: 'higher',
    note: '举报统计：本年受理并核查办结的举报中按时办结的比例（与举报统计页相同）；按区统计，部门不适用。',
    units: ['city', 'district'],
    read: async (s, f) => {
      const year = shanghaiDate(s.now).slice(0, 4);
      let q = s.db.selectFrom('tip_tallies').select(['verified', 'verified_on_time']).where('city_code', '=', s.cityCode).where('month', '>=', `${year}-01`).where('month', '<=', `${year}-12`);
      if (f.districtCode) q = q.where('district_code', '=', f.districtCode);
      const rows = await q.execute();
      return ratio(
        rows.reduce((n, r) => n + Number(r.verified_on_time), 0),
        rows.reduce((n, r) => n + Number(r.verified), 0),
      );
    },
  },
];

export const bindingList = (): PlanBinding[] => PLAN_BINDINGS.map(({ key, measureNo, title, unit, better, note }) => ({ key, measureNo, title, unit, better, note }));

/** A binding a task of this unit may take, or a 400 naming the field. */
export function checkBinding(key: string, unit: UnitRef, path = 'binding.key') {
  const def = PLAN_BINDINGS.find((b) => b.key === key);
  if (!def) throw fieldError('VALIDATION_FAILED', path, `没有名为“${key}”的实时数据（见 /api/plan-bindings）`, `No such figure: ${key}`);
  if (!def.units.includes(unit.kind)) throw fieldError('VALIDATION_FAILED', path, `“${def.title.zh}”不适用于该类责任单位`, 'This figure is not kept for this kind of unit');
  return def;
}

async function filterFor(db: Kysely<DB>, cityCode: string, unit: UnitRef): Promise<ViewFilter> {
  if (unit.kind === 'city') return { cityCode };
  if (unit.kind === 'district') return { cityCode, districtCode: unit.key };
  const dept = await db.selectFrom('departments').select(['region_code', 'city_code']).where('id', '=', unit.key).executeTakeFirst();
  const districtLevel = !!dept && dept.region_code !== dept.city_code;
  return { cityCode, industryCodes: await departmentDivisions(db, unit.key), ...(districtLevel ? { districtCode: dept!.region_code } : {}) };
}

/** The figure of a binding for a unit, now (no reader check: the job and the views decide who sees it). */
export async function readBinding(db: Kysely<DB>, cityCode: string, key: string, unit: UnitRef, now: Date): Promise<number | null> {
  const def = PLAN_BINDINGS.find((b) => b.key === key);
  if (!def || !def.units.includes(unit.kind)) return null;
  return def.read({ db, cityCode, unit, now }, await filterFor(db, cityCode, unit));
}

/** Whether a reader may see a unit's figure: only where they may open that unit's own view. */
export async function mayReadUnitFigures(db: Kysely<DB>, actor: Actor, unit: UnitRef): Promise<boolean> {
  if (actor.streetCode) return false;
  if (unit.kind === 'city') return mayViewCityDashboard(actor);
  if (unit.kind === 'district') return mayViewDistrictDashboard(actor, unit.key);
  const dept = await db.selectFrom('departments').select(['id', 'region_code']).where('id', '=', unit.key).executeTakeFirst();
  return !!dept && mayViewDepartmentDashboard(actor, { id: dept.id, regionCode: dept.region_code });
}

export const isMet = (better: 'lower' | 'higher', value: number | null, target: number) => (value === null ? null : better === 'lower' ? value <= target : value >= target);

/** A task's bound figure as its reader sees it, with the kept readings. */
export async function bindingValue(db: Kysely<DB>, actor: Actor, task: { id: string; binding_key: string | null; binding_target: number | null }, unit: UnitRef, now: Date): Promise<BindingValue | null> {
  if (!task.binding_key) return null;
  const def = PLAN_BINDINGS.find((b) => b.key === task.binding_key);
  if (!def) return null;
  const target = Number(task.binding_target ?? 0);
  const visible = await mayReadUnitFigures(db, actor, unit);
  const value = visible ? await readBinding(db, actor.cityCode, def.key, unit, now) : null;
  const readings = visible ? await db.selectFrom('plan_readings').select(['on_date', 'value']).where('task_id', '=', task.id).orderBy('on_date').execute() : [];
  return {
    key: def.key,
    title: def.title,
    unit: def.unit,
    better: def.better,
    target,
    value,
    hidden: !visible,
    met: isMet(def.better, value, target),
    asOf: now.toISOString(),
    readings: readings.slice(-365).map((r) => ({ on: r.on_date, value: r.value === null ? null : Number(r.value) })),
  };
}

/** 每日读数: one reading per bound task not done and day (keyed, so hourly runs and several processes add nothing twice). */
export async function runPlanReadings(db: Kysely<DB>, now: Date): Promise<number> {
  const today = shanghaiDate(now);
  const tasks = await db
    .selectFrom('plan_tasks')
    .select(['id', 'city_code', 'lead_kind', 'lead_key', 'binding_key'])
    .where('binding_key', 'is not', null)
    .where('reported_status', '<>', 'done')
    .where('id', 'not in', db.selectFrom('plan_readings').select('task_id').where('on_date', '=', today))
    .execute();
  const memo = new Map<string, number | null>();
  let n = 0;
  for (const t of tasks) {
    const k = `${t.city_code}|${t.binding_key}|${t.lead_key}`;
    if (!memo.has(k)) memo.set(k, await readBinding(db, t.city_code, t.binding_key!, { kind: t.lead_kind, key: t.lead_key }, now));
    await db.insertInto('plan_readings').values({ task_id: t.id, on_date: today, binding_key: t.binding_key!, value: memo.get(k) ?? null }).onConflict((oc) => oc.columns(['task_id', 'on_date']).doNothing()).execute();
    n++;
  }
  return n;
}
