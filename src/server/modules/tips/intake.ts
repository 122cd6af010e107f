/**
 * A tip comes in — through the public door or registered by an office from a call, letter or visit:
 * it is routed to the district of its enterprise (or of the place the reporter names) and to the
 * department supervising the enterprise's industry there (a district's department before the
 * city's); given its receipt (for the reporter, random, not a sequence) and its office code; its
 * last day to be accepted by rule; flagged when it resembles an open or recent tip about the same
 * enterprise; its photos attached; the reporter's identity sealed; the figures counted; and its
 * handlers told — all in one transaction. The reporter gets the receipt and the secret once.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { TIP_CATEGORY_LABELS, type TipCategory, type TipChannel } from '../../../shared/contracts/tips';
import { shanghaiDate } from '../../../shared/dates';
import type { z } from 'zod';
import type { TipInput } from '../../../shared/contracts/tips';
import { audit, transact, type ActorCtx, type Ctx } from '../../context';
import { handlesTips } from '../../scope/scope';
import type { KeyRing } from '../../crypto/sealed';
import type { DB } from '../../db/schema';
import { AppError, fieldError } from '../../errors/app-error';
import { notify } from '../../notify/notify';
import { appendRecordEvent, nextRecordCode } from '../../records/records';
import { ruleValue } from '../../rules/rules';
import { DUPLICATE_DAYS, DUPLICATE_SIMILARITY, similarity } from '../hazards/duplicates';
import { sealTipField } from './identity';
import { routeDepartment, tipHandlers } from './routing';
import { TIP_DEADLINES, tipDeadlines } from './rules';
import { countTip } from './tallies';

/** Receipt and secret letters: no 0/O, 1/I/L, so they survive being read out and copied by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const randomCode = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
const grouped = (s: string) => s.match(/.{1,4}/g)!.join('-');

/** As the reporter may type it: case, spaces and dashes do not matter. */
export const normaliseCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');
export const hashSecret = (secret: string) => createHash('sha256').update(`zhiben-tip:${normaliseCode(secret)}`).digest('hex');
export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface TipIntake {
  channel: TipChannel;
  category: TipCategory;
  description: string;
  districtCode?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  place?: string;
  anonymous: boolean;
  name?: string;
  phone?: string;
  uploadIds?: readonly string[];
  receivedAt: string;
}

/** An open or recent tip (90 days) about the same enterprise whose text reads much the same: the earliest such. */
export async function duplicateCandidates(db: Kysely<DB>, t: { id?: string; city_code: string; district_code: string; enterprise_id: string | null; enterprise_name: string | null; description: string; received_at: string }) {
  if (!t.enterprise_id && !t.enterprise_name) return [];
  const since = new Date(new Date(t.received_at).getTime() - DUPLICATE_DAYS * 86_400_000).toISOString();
  let q = db
    .selectFrom('tips')
    .select(['id', 'code', 'description', 'received_at', 'status'])
    .where('city_code', '=', t.city_code)
    .where('received_at', '>=', since)
    .where('received_at', '<=', t.received_at)
    .where('status', '!=', 'declined');
  q = t.enterprise_id ? q.where('enterprise_id', '=', t.enterprise_id) : q.where('district_code', '=', t.district_code).where('enterprise_name', '=', t.enterprise_name!);
  if (t.id) q = q.where('id', '!=', t.id);
  const rows = await q.orderBy('received_at').limit(200).execute();
  return rows
    .map((r) => ({ id: r.id, code: r.code, description: r.description, receivedAt: r.received_at, status: r.status, similarity: Math.round(similarity(t.description, r.description) * 100) / 100 }))
    .filter((r) => r.similarity >= DUPLICATE_SIMILARITY);
}

/** 登记举报: a tip an office took by phone, letter, visit or the 12345 hotline, received on the day it says (noon in Shanghai), never later than now. */
export async function registerTip(ctx: ActorCtx, keys: KeyRing, body: z.output<typeof TipInput>) {
  if (!handlesTips(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能登记举报', 'Your role cannot register tips');
  const now = ctx.now().toISOString();
  const receivedAt = body.receivedOn ? new Date(`${body.receivedOn}T12:00:00+08:00`).toISOString() : now;
  if (receivedAt > now) throw fieldError('VALIDATION_FAILED', 'receivedOn', '收到日期不能晚于今天', 'receivedOn is in the future');
  return receiveTip(ctx, keys, { ...body, receivedAt }, { userId: ctx.actor.userId, name: ctx.actor.displayName });
}

/** Takes in a tip; answers its id, office code, receipt and secret (the secret is kept only as a hash). */
export async function receiveTip(ctx: Ctx, keys: KeyRing, input: TipIntake, by: { userId: string | null; name: string }) {
  const cityCode = ctx.actor?.cityCode ?? ctx.config.CITY_CODE;
  return transact(ctx, async (tx) => {
    const db = tx.db;
    let ent: { id: string; name: string; district_code: string; street_code: string | null; industry_code: string } | undefined;
    if (input.enterpriseId) {
      ent = await db.selectFrom('enterprises').select(['id', 'name', 'district_code', 'street_code', 'industry_code']).where('id', '=', input.enterpriseId).where('city_code', '=', cityCode).executeTakeFirst();
      if (!ent) throw fieldError('VALIDATION_FAILED', 'enterpriseId', '未找到该企业，请重新搜索或直接填写单位名称', 'Unknown enterprise');
    } else if (input.enterpriseName) {
      // A name typed in full that names exactly one registered enterprise is that enterprise.
      const same = await db.selectFrom('enterprises').select(['id', 'name', 'district_code', 'street_code', 'industry_code']).where('city_code', '=', cityCode).where('name', '=', input.enterpriseName.trim()).limit(2).execute();
      if (same.length === 1) ent = same[0];
    }
    const districtCode = ent?.district_code ?? input.districtCode;
    const district = districtCode ? await db.selectFrom('regions').select('code').where('code', '=', districtCode).where('level', '=', 'district').where('parent_code', '=', cityCode).executeTakeFirst() : undefined;
    if (!district) throw fieldError('VALIDATION_FAILED', 'districtCode', '请选择举报事项所在的区', 'Choose the district');
    const received = shanghaiDate(new Date(input.receivedAt));
    const rule = await ruleValue(db, cityCode, TIP_DEADLINES, received);
    const id = uuidv7();
    const code = await nextRecordCode(db, 'JB', district.code, Number(received.slice(0, 4)));
    const receipt = randomCode(12);
    const secret = randomCode(16);
    const row = {
      id,
      code,
      receipt,
      secret_hash: hashSecret(secret),
      city_code: cityCode,
      district_code: district.code,
      street_code: ent?.street_code ?? null,
      industry_code: ent?.industry_code ?? null,
      department_id: await routeDepartment(db, cityCode, district.code, ent?.industry_code ?? null),
      enterprise_id: ent?.id ?? null,
      enterprise_name: ent?.name ?? input.enterpriseName?.trim() ?? null,
      place: input.place ?? null,
      channel: input.channel,
      category: input.category,
      description: input.description,
      anonymous: input.anonymous ? 1 : 0,
      has_identity: !input.anonymous && (input.name || input.phone) ? 1 : 0,
      status: 'received' as const,
      received_at: input.receivedAt,
      accept_by: tipDeadlines({ receivedAt: input.receivedAt }, rule).acceptBy,
      extension: 'none' as const,
      hazards: 0,
      major_hazards: 0,
      reward_status: 'none' as const,
      claimed: 0,
      lookup_failures: 0,
      version: 1,
      created_by: by.userId,
      created_at: ctx.now().toISOString(),
      updated_at: ctx.now().toISOString(),
    };
    const suspected = (await duplicateCandidates(db, row))[0];
    await db
      .insertInto('tips')
      .values({ ...row, suspected_duplicate_of: suspected?.id ?? null })
      .execute();
    if (row.has_identity) await sealTipField(db, keys, id, 'identity', { name: input.name ?? null, phone: input.phone ?? null }, row.created_at);
    const uploads = [...new Set(input.uploadIds ?? [])];
    if (uploads.length) {
      // Only photos sent through the door in the last day and not yet part of a tip.
      const since = new Date(ctx.now().getTime() - 86_400_000).toISOString();
      const n = await db.updateTable('tip_uploads').set({ tip_id: id }).where('id', 'in', uploads).where('tip_id', 'is', null).where('created_at', '>=', since).executeTakeFirst();
      if (Number(n.numUpdatedRows) !== uploads.length) throw fieldError('VALIDATION_FAILED', 'attachmentIds', '照片已失效或已被使用，请重新上传', 'A photo is unknown, expired or already used; upload it again');
    }
    await countTip(db, ctx.dialect, row, { received: 1 });
    await appendRecordEvent(db, { entityType: 'tip', entityId: id, action: 'receive', actorId: by.userId, actorName: by.name, at: row.created_at, data: { channel: row.channel, category: row.category, photos: uploads.length, ...(suspected ? { suspectedDuplicateOf: suspected.code } : {}) } });
    await audit(tx, {
      action: 'tip.received',
      entityType: 'tip',
      entityId: id,
      districtCode: row.district_code,
      after: { code, channel: row.channel, category: row.category, enterpriseId: row.enterprise_id, departmentId: row.department_id, anonymous: input.anonymous, photos: uploads.length },
    });
    await notify(tx, {
      to: await tipHandlers(db, row),
      kind: 'tip.received',
      title: `新举报 ${code}（${TIP_CATEGORY_LABELS[row.category].zh}）请于 ${row.accept_by} 前受理`,
      link: `/tips/${id}`,
      needsAction: true,
      dedupeKey: `tip-received:${id}`,
    });
    return { id, code, receipt: grouped(receipt), secret: grouped(secret), acceptBy: row.accept_by };
  });
}
