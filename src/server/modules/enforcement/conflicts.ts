/** 利害关系回避: an inspector's declared conflict of interest with an enterprise keeps them out of its draws and inspections. */
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ConflictInput } from '../../../shared/contracts/enforcement';
import { audit, transact, type ActorCtx } from '../../context';
import { AppError, fieldError } from '../../errors/app-error';
import { takesPartInEnforcement } from '../../scope/scope';
import { findEnterprise, scopedEnterprises } from '../enterprises/repository';


export async function listConflicts(ctx: ActorCtx) {
  if (!takesPartInEnforcement(ctx.actor)) return { items: [], total: 0, page: 1, pageSize: 0 };
  let q = scopedEnterprises(ctx.db, ctx.actor)
    .innerJoin('inspector_conflicts as c', 'c.enterprise_id', 'enterprises.id')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.user_id', 'u.display_name', 'c.enterprise_id', 'enterprises.name', 'c.reason', 'c.declared_at']);
  if (ctx.actor.role === 'inspector') q = q.where('c.user_id', '=', ctx.actor.userId);
  const rows = await q.orderBy('c.declared_at', 'desc').limit(500).execute();
  const items = rows.map((r) => ({ id: r.id, inspectorId: r.user_id, inspectorName: r.display_name, enterpriseId: r.enterprise_id, enterpriseName: r.name, reason: r.reason, declaredAt: r.declared_at }));
  return { items, total: items.length, page: 1, pageSize: items.length };
}

export async function declareConflict(ctx: ActorCtx, body: z.output<typeof ConflictInput>) {
  const a = ctx.actor;
  if (!takesPartInEnforcement(a)) throw new AppError('FORBIDDEN', '当前角色不能登记利害关系回避', 'Your role cannot declare conflicts');
  if (a.role === 'inspector' && body.inspectorId !== a.userId) throw fieldError('VALIDATION_FAILED', 'inspectorId', '执法人员只能申报本人的利害关系', 'Inspectors declare their own conflicts');
  return transact(ctx, async (tx) => {
    const ent = await findEnterprise(tx.db, a, body.enterpriseId);
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or not in your scope');
    const u = await tx.db.selectFrom('users').select(['id', 'display_name', 'role', 'city_code']).where('id', '=', body.inspectorId).executeTakeFirst();
    if (!u || u.role !== 'inspector' || u.city_code !== a.cityCode) throw fieldError('VALIDATION_FAILED', 'inspectorId', '执法人员不存在', 'Unknown inspector');
    const taken = await tx.db.selectFrom('inspector_conflicts').select('id').where('user_id', '=', u.id).where('enterprise_id', '=', ent.id).executeTakeFirst();
    if (taken) throw new AppError('DUPLICATE', '该回避关系已登记', 'Already declared');
    const row = { id: uuidv7(), city_code: a.cityCode, user_id: u.id, enterprise_id: ent.id, reason: body.reason, declared_by: a.userId, declared_at: ctx.now().toISOString() };
    await tx.db.insertInto('inspector_conflicts').values(row).execute();
    await audit(tx, { action: 'inspector.conflict_declared', entityType: 'inspector_conflict', entityId: row.id, districtCode: ent.district_code, after: { inspectorId: u.id, enterpriseId: ent.id, reason: body.reason } });
    return { id: row.id, inspectorId: u.id, inspectorName: u.display_name, enterpriseId: ent.id, enterpriseName: ent.name, reason: row.reason, declaredAt: row.declared_at };
  });
}
