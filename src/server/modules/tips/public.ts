/**
 * 举报 through the public door, with no account: send a tip (and up to 5 photos, their metadata
 * dropped), look it up later with the receipt and the secret, claim a reward. Hardened: limits per
 * address (in memory, never stored), a field only bots fill (they are answered as if accepted and
 * nothing is kept), a receipt's wrong secrets counted and, past a few, its lookups held for a while
 * that doubles — and an unknown receipt, a wrong secret and a held receipt answer the very same 404.
 * Nothing a reporter sends is shown to anyone through the door but its own receipt's status and the
 * office's feedback. The requests carry no address into the audit log (see `anonymousCtx`).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { TIP_STATUS_LABELS, type PublicClaimInput, type PublicEnterprise, type PublicTipInput, type PublicTipStatus } from '../../../shared/contracts/tips';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type Ctx } from '../../context';
import type { KeyRing } from '../../crypto/sealed';
import { likeContains } from '../../db/dialect';
import { AppError } from '../../errors/app-error';
import { notify } from '../../notify/notify';
import { appendRecordEvent } from '../../records/records';
import { fileStore } from '../files/commands';
import { IMAGE_MIMES, sniffMime } from '../files/sniff';
import { sealTipField } from './identity';
import { normaliseCode, receiveTip, secretMatches } from './intake';
import { stripImageMetadata } from './metadata';
import { tipHandlers } from './routing';
import { TIP_DEADLINES, tipDeadlines } from './rules';
import { ruleValue } from '../../rules/rules';

/** A photo from the door: at most 10 MB. */
export const MAX_TIP_PHOTO_BYTES = 10 * 1024 * 1024;
/** The first hold after too many wrong secrets; each further failure doubles it, up to a day. */
const HOLD_MS = 15 * 60_000;
const MAX_HOLD_MS = 24 * 3_600_000;

/** The door's requests leave no address behind (the audit log keeps `ip` for signed-in users only). */
export const anonymousCtx = (ctx: Ctx): Ctx => ({ ...ctx, ip: null, actor: null });

const notFoundTip = () => new AppError('NOT_FOUND', '回执号或查询密码不正确，或查询过于频繁，请稍后再试', 'Receipt or secret not recognised, or too many attempts; try again later');

const fakeCode = (n: number) =>
  Array.from(randomBytes(n), (x) => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[x % 31])
    .join('')
    .match(/.{1,4}/g)!
    .join('-');

export async function submitPublicTip(ctx: Ctx, keys: KeyRing, body: z.output<typeof PublicTipInput>) {
  const c = anonymousCtx(ctx);
  const receivedAt = ctx.now().toISOString();
  // A bot filled the hidden field: it is told what a person would be told (the same last day too), and nothing is kept.
  if (body.website) {
    const rule = await ruleValue(ctx.db, ctx.config.CITY_CODE, TIP_DEADLINES, shanghaiDate(ctx.now()));
    return { receipt: fakeCode(12), secret: fakeCode(16), acceptBy: tipDeadlines({ receivedAt: receivedAt }, rule).acceptBy };
  }
  const out = await receiveTip(
    c,
    keys,
    {
      channel: 'web',
      category: body.category,
      description: body.description,
      districtCode: body.districtCode,
      enterpriseId: body.enterpriseId,
      enterpriseName: body.enterpriseName,
      place: body.place,
      anonymous: body.anonymous,
      name: body.name,
      phone: body.phone,
      uploadIds: body.attachmentIds,
      receivedAt,
    },
    { userId: null, name: '举报人（网上）' },
  );
  return { receipt: out.receipt, secret: out.secret, acceptBy: out.acceptBy };
}

/** The tip a receipt and secret open, or the one 404 for every failure; wrong secrets are counted and held. */
async function openByReceipt(ctx: Ctx, receipt: string, secret: string | undefined) {
  const code = normaliseCode(receipt);
  const t = /^[A-Z2-9]{12}$/.test(code) ? await ctx.db.selectFrom('tips').selectAll().where('receipt', '=', code).executeTakeFirst() : undefined;
  const now = ctx.now();
  const ok = !!t && !!secret && secretMatches(secret, t.secret_hash);
  if (!t) {
    // As much work as a real receipt's check, so time does not tell them apart.
    secretMatches(secret ?? '', '0'.repeat(64));
    throw notFoundTip();
  }
  if (t.lookup_locked_until && t.lookup_locked_until > now.toISOString()) throw notFoundTip();
  if (!ok) {
    // Counted in the database (guesses sent at once each count), then held by the count it reached.
    const { lookup_failures: failures } = await ctx.db.updateTable('tips').set((eb) => ({ lookup_failures: eb('lookup_failures', '+', 1) })).where('id', '=', t.id).returning('lookup_failures').executeTakeFirstOrThrow();
    const over = failures - ctx.config.TIP_LOOKUP_MAX_FAILURES;
    if (over >= 0) await ctx.db.updateTable('tips').set({ lookup_locked_until: new Date(now.getTime() + Math.min(MAX_HOLD_MS, HOLD_MS * 2 ** Math.min(over, 10))).toISOString() }).where('id', '=', t.id).execute();
    throw notFoundTip();
  }
  if (t.lookup_failures) await ctx.db.updateTable('tips').set({ lookup_failures: 0, lookup_locked_until: null }).where('id', '=', t.id).execute();
  return t;
}

const HOW_TO_CLAIM_EN = 'Leave your details here (name, phone, and your ID number and bank account); the office checks them and pays. Or take your ID and this receipt to the office. Your details are encrypted and used only to pay the reward.';
const HOW_TO_CLAIM = '请在本页填写领取信息（姓名、联系电话，以及身份证号和银行账户），受理部门核对后发放；也可携带身份证件和本回执号到受理部门领取。领取信息加密保存，仅用于发放奖励。';

export async function lookupPublicTip(ctx: Ctx, receipt: string, secret: string | undefined): Promise<z.infer<typeof PublicTipStatus>> {
  const t = await openByReceipt(anonymousCtx(ctx), receipt, secret);
  const feedback = t.status === 'declined' ? t.decline_reason : t.status === 'closed' ? t.feedback : null;
  const feedbackAt = t.status === 'declined' ? t.declined_at : t.status === 'closed' ? t.fed_back_at : null;
  const reward =
    t.reward_status === 'approved' ? { status: t.claimed ? ('claimed' as const) : ('ready' as const), amountYuan: t.reward_yuan ?? 0, howToClaim: HOW_TO_CLAIM, howToClaimEn: HOW_TO_CLAIM_EN } : t.reward_status === 'paid' ? { status: 'paid' as const, amountYuan: t.reward_yuan ?? 0, howToClaim: '', howToClaimEn: '' } : null;
  return {
    receipt: t.receipt.match(/.{1,4}/g)!.join('-'),
    category: t.category,
    receivedOn: shanghaiDate(new Date(t.received_at)),
    status: t.status,
    statusLabel: TIP_STATUS_LABELS[t.status].zh,
    feedback,
    feedbackOn: feedbackAt ? shanghaiDate(new Date(feedbackAt)) : null,
    reward,
  };
}

/** 申领奖励: the reporter leaves how to be paid (sealed like the identity); the handlers are told, without the details. */
export async function claimPublicReward(ctx: Ctx, keys: KeyRing, receipt: string, secret: string | undefined, body: z.output<typeof PublicClaimInput>) {
  const c = anonymousCtx(ctx);
  const t = await openByReceipt(c, receipt, secret);
  await transact(c, async (tx) => {
    const at = ctx.now().toISOString();
    // Only while the reward is approved and unpaid, decided on the row itself (a payment recorded meanwhile wins); the officers' page sees a new version.
    const u = await tx.db.updateTable('tips').set((eb) => ({ claimed: 1, version: eb('version', '+', 1), updated_at: at })).where('id', '=', t.id).where('reward_status', '=', 'approved').executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('INVALID_TRANSITION', t.reward_status === 'paid' ? '奖励已发放' : '暂无可领取的奖励', 'No reward to claim');
    await sealTipField(tx.db, keys, t.id, 'claim', body, at);
    await appendRecordEvent(tx.db, { entityType: 'tip', entityId: t.id, action: 'claim', actorId: null, actorName: '举报人', at });
    await audit(tx, { action: 'tip.reward_claimed', entityType: 'tip', entityId: t.id, districtCode: t.district_code, after: { fields: Object.keys(body) } });
    await notify(tx, { to: await tipHandlers(tx.db, t), kind: 'tip.claimed', title: `举报 ${t.code} 的举报人已申领奖励，请登记发放`, link: `/tips/${t.id}`, needsAction: true, dedupeKey: `tip-claim:${t.id}` });
  });
  return lookupPublicTip(ctx, receipt, secret);
}

/** A photo for a tip about to be sent: an image by its content, its metadata dropped; unattached until the tip names it. */
export async function storePublicPhoto(ctx: Ctx, content: Buffer): Promise<{ id: string; mime: string; size: number }> {
  const mime = sniffMime(content);
  if (!mime || !IMAGE_MIMES.includes(mime)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只接受照片（JPEG、PNG、WebP）', 'Only photos (JPEG, PNG, WebP) are accepted');
  const clean = stripImageMetadata(content, mime);
  if (!clean) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '照片文件已损坏，无法读取', 'The photo could not be read');
  const sha256 = fileStore(ctx).put(clean);
  const row = { id: uuidv7(), tip_id: null, sha256, mime, size: clean.length, created_at: ctx.now().toISOString() };
  await ctx.db.insertInto('tip_uploads').values(row).execute();
  return { id: row.id, mime, size: row.size };
}

/** How long a photo sent through the door waits for its tip. */
export const UNATTACHED_UPLOAD_MS = 86_400_000;

/**
 * Photos sent through the door and never made part of a tip (the reporter gave up, or someone filled
 * the disk): removed a day after, with their content unless something else holds the same bytes.
 * Idempotent, safe on several servers (a second run finds nothing).
 */
export async function sweepTipUploads(db: Ctx['db'], store: { remove(sha256: string): void }, now: Date): Promise<{ removed: number }> {
  const before = new Date(now.getTime() - UNATTACHED_UPLOAD_MS).toISOString();
  const stale = await db.selectFrom('tip_uploads').select(['id', 'sha256']).where('tip_id', 'is', null).where('created_at', '<', before).limit(5_000).execute();
  if (!stale.length) return { removed: 0 };
  await db.deleteFrom('tip_uploads').where('id', 'in', stale.map((s) => s.id)).where('tip_id', 'is', null).execute();
  const hashes = [...new Set(stale.map((s) => s.sha256))];
  const held = new Set([
    ...(await db.selectFrom('tip_uploads').select('sha256').where('sha256', 'in', hashes).execute()).map((r) => r.sha256),
    ...(await db.selectFrom('files').select('sha256').where('sha256', 'in', hashes).execute()).map((r) => r.sha256),
  ]);
  for (const h of hashes) if (!held.has(h)) store.remove(h);
  return { removed: stale.length };
}

/** The enterprise search of the door: names only (a registered business's name is public), at most 10. */
export async function searchPublicEnterprises(ctx: Ctx, q: string): Promise<{ items: z.infer<typeof PublicEnterprise>[] }> {
  const rows = await ctx.db
    .selectFrom('enterprises as e')
    .innerJoin('regions as r', 'r.code', 'e.district_code')
    .select(['e.id', 'e.name', 'r.name as district_name'])
    .where('e.city_code', '=', ctx.config.CITY_CODE)
    .where(sql<boolean>`e.name like ${likeContains(q.trim())} escape '\\'`)
    .orderBy(sql`length(e.name)`)
    .orderBy('e.name')
    .limit(10)
    .execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.name, districtName: r.district_name })) };
}
