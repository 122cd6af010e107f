/**
 * The reporter's identity (name, phone) and reward claim (name, phone, ID and bank details): sealed
 * (crypto/sealed.ts) with the context `tips:<id>:<field>`, so a value opens only on its own tip and
 * field; never listed, exported, logged, audited or notified in clear. Revealed one tip at a time to
 * the custodian (举报人信息保管员), with a reason: the reveal is audited and the tip's handlers are told
 * it happened. A refusal (another role, no reason) is audited too.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { PublicClaimInput, RevealedIdentity } from '../../../shared/contracts/tips';
import { audit, transact, type ActorCtx } from '../../context';
import { seal, unseal, type KeyRing } from '../../crypto/sealed';
import type { DB } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { notify } from '../../notify/notify';
import { appendRecordEvent } from '../../records/records';
import { keepsTipIdentities, tipScopeWhere } from '../../scope/scope';
import { TIP_COLS, tipHandlers } from './routing';

type Field = 'identity' | 'claim';
const context = (tipId: string, field: Field) => `tips:${tipId}:${field}`;

export async function sealTipField(db: Kysely<DB>, keys: KeyRing, tipId: string, field: Field, value: object, at: string): Promise<void> {
  const s = seal(keys, JSON.stringify(value), context(tipId, field));
  await db
    .insertInto('tip_sealed')
    .values({ tip_id: tipId, field, key_id: s.keyId, sealed: s.sealed, created_at: at })
    .onConflict((oc) => oc.columns(['tip_id', 'field']).doUpdateSet({ key_id: s.keyId, sealed: s.sealed, created_at: at }))
    .execute();
}

async function openTipFields(db: Kysely<DB>, keys: KeyRing, tipId: string): Promise<Partial<Record<Field, Record<string, string>>>> {
  const rows = await db.selectFrom('tip_sealed').selectAll().where('tip_id', '=', tipId).execute();
  return Object.fromEntries(rows.map((r) => [r.field, JSON.parse(unseal(keys, { keyId: r.key_id, sealed: r.sealed }, context(tipId, r.field))) as Record<string, string>]));
}



/** 查看举报人信息: the custodian, one tip, a reason of at least 5 characters; anything else is refused and the refusal kept. */
export async function revealIdentity(ctx: ActorCtx, keys: KeyRing, tipId: string, reason: string | undefined): Promise<z.infer<typeof RevealedIdentity>> {
  const why = (reason ?? '').trim();
  const refuse = async (error: AppError) => {
    await transact(ctx, (tx) => audit(tx, { action: 'tip.identity_refused', entityType: 'tip', entityId: tipId, after: { role: ctx.actor.role, reason: why || null, refusal: error.code } }));
    throw error;
  };
  if (!keepsTipIdentities(ctx.actor)) await refuse(new AppError('FORBIDDEN', '只有举报人信息保管员可以查看举报人信息', 'Only the tip custodian may reveal a reporter'));
  if (why.length < 5) await refuse(fieldError('VALIDATION_FAILED', 'reason', '请说明查看举报人信息的理由（至少 5 个字）', 'Give the reason for revealing the reporter (at least 5 characters)'));
  return transact(ctx, async (tx) => {
    const t = await tx.db
      .selectFrom('tips as t')
      .select(['t.id', 't.code', 't.anonymous', 't.city_code', 't.district_code', 't.street_code', 't.industry_code', 't.department_id'])
      .where('t.id', '=', tipId)
      .where(tipScopeWhere<DB, 'tips'>(ctx.actor, TIP_COLS) as never)
      .executeTakeFirst();
    if (!t) throw notFound('举报', 'tip');
    // The tip's row held for the rest of the transaction, so a step taken at the same time appends its event after this one.
    await tx.db.updateTable('tips').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', tipId).execute();
    const fields = await openTipFields(tx.db, keys, tipId);
    const at = ctx.now().toISOString();
    await audit(tx, { action: 'tip.identity_revealed', entityType: 'tip', entityId: tipId, districtCode: t.district_code, after: { reason: why, fields: Object.keys(fields) } });
    await appendRecordEvent(tx.db, { entityType: 'tip', entityId: tipId, action: 'identity_revealed', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: why });
    await notify(tx, {
      to: await tipHandlers(tx.db, t),
      kind: 'tip.identity_revealed',
      title: `举报 ${t.code} 的举报人信息已由${ctx.actor.displayName}查看`,
      body: `理由：${why}`,
      link: `/tips/${tipId}`,
      needsAction: false,
      dedupeKey: `tip-reveal:${tipId}:${at}`,
    });
    const id = fields.identity ?? null;
    const claim = fields.claim ?? null;
    return {
      anonymous: !!t.anonymous,
      name: id?.name ?? null,
      phone: id?.phone ?? null,
      claim: claim ? (claim as unknown as z.infer<typeof PublicClaimInput>) : null,
    };
  });
}
