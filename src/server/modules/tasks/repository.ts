/** Reading the plans (shared by the tree, the tasks, sub-plans and meetings). */
import type { Kysely } from 'kysely';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { notFound } from '../../errors/app-error';

/** The newest plan of the caller's city (by its period), or the one named. */
export async function findPlan(ctx: ActorCtx, id?: string) {
  let q = ctx.db.selectFrom('plans').selectAll().where('city_code', '=', ctx.actor.cityCode);
  q = id ? q.where('id', '=', id) : q.orderBy('period_to', 'desc').orderBy('created_at', 'desc');
  const p = await q.executeTakeFirst();
  if (!p) throw notFound('行动方案', 'plan');
  return p;
}

export async function measureOf(db: Kysely<DB>, planId: string, no: number) {
  return db.selectFrom('plan_nodes').selectAll().where('plan_id', '=', planId).where('kind', '=', 'measure').where('no', '=', no).executeTakeFirst();
}

