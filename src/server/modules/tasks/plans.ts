/**
 * The plan as data: a plan (title, period, issuer) and its tree of actions and measures, loaded from
 * `reference/shanghai-plan-2024-2026.json` like the standards (idempotent; another city or a later
 * plan is another file, another plan row). The tree view hangs each measure's tasks below it, a
 * unit's tasks under the city task they refine.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Plan, PlanInput, PlanTree, TreeQuery, TreeTask } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { fieldError } from '../../errors/app-error';
import type { DB } from '../../db/schema';
import { planTaskWhere } from '../../scope/scope';
import { lateWhere } from './status';
import { insertPlan } from './plan-loader';
import { findPlan } from './repository';
import { presentTasks, taskFilters } from './tasks';

/** 导入方案: another city's plan or a later one (the city's administrator); its code is its own. */
export async function createPlan(ctx: ActorCtx, body: z.output<typeof PlanInput>): Promise<Plan> {
  const id = await transact(ctx, async (tx) => {
    const dup = await tx.db.selectFrom('plans').select('id').where('city_code', '=', tx.actor.cityCode).where('code', '=', body.code).executeTakeFirst();
    if (dup) throw fieldError('DUPLICATE', 'code', `已有编号为“${body.code}”的方案`, 'A plan with this code exists');
    const id = await insertPlan(tx.db, tx.actor.cityCode, tx.now().toISOString(), body);
    await audit(tx, { action: 'plan.created', entityType: 'plan', entityId: id, after: { code: body.code, title: body.title, actions: body.actions.length, measures: body.actions.reduce((n, a) => n + a.measures.length, 0) } });
    return id;
  });
  return (await listPlans(ctx)).items.find((p) => p.id === id)!;
}

export async function listPlans(ctx: ActorCtx): Promise<{ items: Plan[]; total: number; page: number; pageSize: number }> {
  const today = shanghaiDate(ctx.now());
  const plans = await ctx.db.selectFrom('plans').selectAll().where('city_code', '=', ctx.actor.cityCode).orderBy('period_to', 'desc').execute();
  const items: Plan[] = [];
  for (const p of plans) {
    const nodes = await ctx.db.selectFrom('plan_nodes').select(['kind', sql<number>`count(*)`.as('n')]).where('plan_id', '=', p.id).groupBy('kind').execute();
    const counts = await ctx.db
      .selectFrom('plan_tasks')
      .select([sql<number>`count(*)`.as('tasks'), sql<number>`sum(case when ${lateWhere(today)} then 1 else 0 end)`.as('late')])
      .where('plan_id', '=', p.id)
      .where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor))
      .executeTakeFirst();
    items.push({
      id: p.id,
      code: p.code,
      title: p.title,
      issuer: p.issuer,
      periodFrom: p.period_from,
      periodTo: p.period_to,
      sourceNote: p.source_note,
      actions: Number(nodes.find((n) => n.kind === 'action')?.n ?? 0),
      measures: Number(nodes.find((n) => n.kind === 'measure')?.n ?? 0),
      tasks: Number(counts?.tasks ?? 0),
      late: Number(counts?.late ?? 0),
    });
  }
  return { items, total: items.length, page: 1, pageSize: Math.max(items.length, 1) };
}

export async function planTree(ctx: ActorCtx, id: string, q: z.output<typeof TreeQuery>): Promise<PlanTree> {
  const p = await findPlan(ctx, id);
  const plan = (await listPlans(ctx)).items.find((x) => x.id === p.id)!;
  const nodes = await ctx.db.selectFrom('plan_nodes').selectAll().where('plan_id', '=', p.id).orderBy('kind').orderBy('no').execute();
  const rows = await taskFilters(ctx, ctx.db.selectFrom('plan_tasks').selectAll().where('plan_id', '=', p.id).where('measure_no', 'is not', null), q)
    .orderBy('measure_no')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const tasks = await presentTasks(ctx, rows);
  const byId = new Map<string, TreeTask>(tasks.map((t) => [t.id, { ...t, children: [] }]));
  const roots = new Map<number, TreeTask[]>();
  for (const t of byId.values()) {
    const parent = t.parentId ? byId.get(t.parentId) : undefined;
    if (parent) parent.children.push(t);
    else roots.set(t.measureNo!, [...(roots.get(t.measureNo!) ?? []), t]);
  }
  const actions = nodes.filter((n) => n.kind === 'action');
  return {
    plan,
    actions: actions.map((a) => ({
      no: a.no,
      title: a.title,
      body: a.body,
      measures: nodes.filter((n) => n.kind === 'measure' && n.action_no === a.no).map((m) => ({ no: m.no, title: m.title, body: m.body, tasks: roots.get(m.no) ?? [] })),
    })),
  };
}
