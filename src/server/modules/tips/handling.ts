/**
 * A tip as the offices handle it: the list in scope (never the reporter), its record (photos,
 * findings on the ledger, likely duplicates, the timeline), and its steps by the transition table —
 * accept or decline by its last day, verify within 60 days (extended once by 30 with the city's
 * approval) putting what was found on the ledger, tell the reporter within 10 days, link a later tip
 * to an earlier one of the same matter. Each step claims the tip's version, moves its figures and
 * writes its event and audit in one transaction. Overdue is derived from the Shanghai day.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { Tip, TipAction, TipDetail, TipInspectionInput, TipLinkInput, TipNoteRequired, TipQuery, TipStepInput, TipVerifyInput } from '../../../shared/contracts/tips';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB, TipRow } from '../../db/schema';
import { likeContains } from '../../db/dialect';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { notify } from '../../notify/notify';
import { appendRecordEvent, claimVersion, recordEvents } from '../../records/records';
import { ruleValue } from '../../rules/rules';
import { approvesTipExtensions, approvesTipRewards, arrangesInspections, handlesTips, keepsTipIdentities, tipScopeWhere } from '../../scope/scope';
import { createInspection, eligibleInspectors } from '../enforcement/inspections';
import { checkFindings, findingsOfOrigins, findingsOntoLedger } from '../hazards/findings';
import { duplicateCandidates } from './intake';
import { TIP_COLS, tipHandlers } from './routing';
import { isLate, TIP_DEADLINES, tipDeadlines } from './rules';
import { countTip } from './tallies';
import { decideTip, rewardActions, tipActions, type TipFacts } from './workflow';


export function scopedTips(db: Kysely<DB>, ctx: ActorCtx) {
  return db
    .selectFrom('tips as t')
    .leftJoin('departments as d', 'd.id', 't.department_id')
    .where(tipScopeWhere<DB, 'tips'>(ctx.actor, TIP_COLS) as never);
}

type Row = TipRow & { department_name: string | null };

export const findTip = (ctx: ActorCtx, id: string): Promise<Row | undefined> => scopedTips(ctx.db, ctx).selectAll('t').select('d.name as department_name').where('t.id', '=', id).executeTakeFirst() as Promise<Row | undefined>;

/** Late on `today`: the step the tip waits for is past its last day. */
export function tipOverdue(r: Pick<TipRow, 'status' | 'accept_by' | 'verify_by' | 'feedback_by'>, today: string): boolean {
  const by = r.status === 'received' ? r.accept_by : r.status === 'accepted' ? r.verify_by : r.status === 'verified' ? r.feedback_by : null;
  return isLate(by, null, today);
}

function overdueWhere(today: string) {
  return sql<SqlBool>`((t.status = 'received' and t.accept_by < ${today}) or (t.status = 'accepted' and t.verify_by < ${today}) or (t.status = 'verified' and t.feedback_by < ${today}))`;
}

function present(r: Row, today: string): Tip {
  return {
    id: r.id,
    code: r.code,
    channel: r.channel,
    category: r.category,
    description: r.description,
    districtCode: r.district_code,
    streetCode: r.street_code,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    place: r.place,
    departmentId: r.department_id,
    departmentName: r.department_name,
    anonymous: !!r.anonymous,
    status: r.status,
    receivedAt: r.received_at,
    acceptBy: r.accept_by,
    verifyBy: r.verify_by,
    feedbackBy: r.feedback_by,
    extension: r.extension,
    substantiated: r.substantiated === null ? null : !!r.substantiated,
    overdue: tipOverdue(r, today),
    duplicateOf: r.duplicate_of,
    suspectedDuplicateOf: r.suspected_duplicate_of,
    hazards: r.hazards,
    majorHazards: r.major_hazards,
    rewardStatus: r.reward_status,
    rewardYuan: r.reward_yuan,
    version: r.version,
  };
}

/** The Shanghai month `YYYY-MM` as an instant range [from, to). */
export function monthSpan(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: new Date(`${month}-01T00:00:00+08:00`).toISOString(), to: new Date(`${next}-01T00:00:00+08:00`).toISOString() };
}

export async function listTips(ctx: ActorCtx, q: z.output<typeof TipQuery>): Promise<ListResult<Tip>> {
  const today = shanghaiDate(ctx.now());
  let base = scopedTips(ctx.db, ctx);
  if (q.status) base = base.where('t.status', '=', q.status);
  if (q.category) base = base.where('t.category', '=', q.category);
  if (q.channel) base = base.where('t.channel', '=', q.channel);
  if (q.districtCode) base = base.where('t.district_code', '=', q.districtCode);
  if (q.from) base = base.where('t.received_at', '>=', monthSpan(q.from).from);
  if (q.to) base = base.where('t.received_at', '<', monthSpan(q.to).to);
  if (q.overdue !== undefined) base = base.where(q.overdue ? overdueWhere(today) : sql<SqlBool>`not ${overdueWhere(today)}`);
  if (q.substantiated !== undefined) base = base.where('t.substantiated', '=', q.substantiated ? 1 : 0);
  if (q.acceptedOnTime !== undefined) base = base.where('t.answered_on_time', '=', q.acceptedOnTime ? 1 : 0);
  if (q.verifiedOnTime !== undefined) base = base.where('t.verified_on_time', '=', q.verifiedOnTime ? 1 : 0);
  if (q.withHazards !== undefined) base = base.where('t.hazards', q.withHazards ? '>' : '=', 0);
  if (q.rewardStatus) base = base.where('t.reward_status', '=', q.rewardStatus);
  if (q.q) {
    const p = likeContains(q.q);
    base = base.where(sql<SqlBool>`(t.description like ${p} escape '\\' or t.code like ${p} escape '\\' or t.enterprise_name like ${p} escape '\\')`);
  }
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = (await base.selectAll('t').select('d.name as department_name').orderBy('t.received_at', 'desc').orderBy('t.id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute()) as Row[];
  return { items: rows.map((r) => present(r, today)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

const facts = (ctx: ActorCtx, r: Row): TipFacts => ({ status: r.status, handler: handlesTips(ctx.actor), above: approvesTipExtensions(ctx.actor), inspects: arrangesInspections(ctx.actor) && !!r.enterprise_id, extension: r.extension, extensionRequester: r.extension_by === ctx.actor.userId, duplicateOf: r.duplicate_of });

export const rewardFacts = (ctx: ActorCtx, r: TipRow) => ({
  status: r.reward_status,
  eligible: r.substantiated === 1 && !r.duplicate_of && (r.status === 'verified' || r.status === 'closed'),
  handler: handlesTips(ctx.actor),
  approver: approvesTipRewards(ctx.actor),
  proposer: r.reward_proposed_by === ctx.actor.userId,
});

export async function tipDetail(ctx: ActorCtx, id: string): Promise<TipDetail> {
  const r = await findTip(ctx, id);
  if (!r) throw notFound('举报', 'tip');
  const today = shanghaiDate(ctx.now());
  const photos = await ctx.db.selectFrom('tip_uploads').select(['id', 'mime', 'size']).where('tip_id', '=', id).orderBy('id').execute();
  const claimed = !!r.claimed;
  // The custodian keeps identities: the tip as reported and its course, not the ledger, the reward or other tips.
  const custodian = keepsTipIdentities(ctx.actor);
  const dupes = !custodian && (r.status === 'received' || r.status === 'accepted') ? await duplicateCandidates(ctx.db, r) : [];
  return {
    ...present(r, today),
    declineReason: r.decline_reason,
    verification: r.verification,
    feedback: r.feedback,
    fedBackAt: r.fed_back_at,
    photos,
    findings: custodian ? [] : ((await findingsOfOrigins(ctx.db, 'tip', [id])).get(id) ?? []),
    duplicateCandidates: dupes,
    hasIdentity: !!r.has_identity,
    claimed,
    reward:
      r.reward_status === 'none' || custodian
        ? null
        : { status: r.reward_status, amountYuan: r.reward_yuan ?? 0, steps: JSON.parse(r.reward_steps_json ?? '[]') as string[], ruleEffectiveFrom: r.reward_rule_from ?? '', paidOn: r.reward_paid_on, paymentRef: r.reward_payment_ref },
    events: (await recordEvents(ctx.db, 'tip', id)).map((e) => (custodian ? { ...e, data: null } : e)),
    actions: custodian ? [] : tipActions(facts(ctx, r)),
    rewardActions: custodian ? [] : rewardActions(rewardFacts(ctx, r)),
    mayReveal: custodian,
  };
}

/** The tip, if the step may be taken on it now by the actor. */
async function openTip(ctx: ActorCtx, id: string, action: TipAction): Promise<Row> {
  const r = await findTip(ctx, id);
  if (!r) throw notFound('举报', 'tip');
  const d = decideTip(action, facts(ctx, r));
  if (!d.ok) throw new AppError(d.reason, d.message, d.reason === 'FORBIDDEN' ? 'Not yours to take this step' : 'Not allowed in the current status');
  return r;
}

export const claimTip = (ctx: ActorCtx, r: TipRow, version: number, set: Record<string, unknown>) => claimVersion(ctx.db, 'tips', r, version, set, ctx.now().toISOString(), '举报');

type Body = z.output<typeof TipStepInput> | z.output<typeof TipNoteRequired> | z.output<typeof TipLinkInput>;

/** accept, decline, extend, approve_extension, feedback, link_duplicate: the steps that carry a note. */
export async function stepTip(ctx: ActorCtx, id: string, action: Exclude<TipAction, 'verify' | 'findings' | 'inspect'>, body: Body): Promise<TipDetail> {
  return transact(ctx, async (tx) => {
    const r = await openTip(tx, id, action);
    const now = ctx.now();
    const at = now.toISOString();
    const today = shanghaiDate(now);
    const rule = await ruleValue(tx.db, r.city_code, TIP_DEADLINES, shanghaiDate(new Date(r.received_at)));
    const note = body.note?.trim() || null;
    const needNote = (what: string) => {
      if (!note || note.length < 2) throw fieldError('VALIDATION_FAILED', 'note', `请填写${what}`, 'A note is required for this step');
      return note;
    };
    let set: Partial<TipRow> = {};
    let data: Record<string, unknown> = {};
    let tell: { to: string[]; title: string; needsAction: boolean } | null = null;
    switch (action) {
      case 'accept': {
        const onTime = today <= r.accept_by ? 1 : 0;
        set = { status: 'accepted', accepted_at: at, answered_on_time: onTime, verify_by: tipDeadlines({ receivedAt: r.received_at, acceptedAt: at }, rule).verifyBy };
        await countTip(tx.db, ctx.dialect, r, { accepted: 1, accepted_on_time: onTime });
        data = { verifyBy: set.verify_by, onTime: !!onTime };
        break;
      }
      case 'decline': {
        const onTime = today <= r.accept_by ? 1 : 0;
        set = { status: 'declined', declined_at: at, answered_on_time: onTime, decline_reason: needNote('不予受理的理由（将告知举报人）') };
        await countTip(tx.db, ctx.dialect, r, { declined: 1, accepted_on_time: onTime });
        data = { onTime: !!onTime };
        break;
      }
      case 'extend':
        needNote('延期理由');
        set = { extension: 'requested', extension_by: ctx.actor.userId };
        tell = { to: await cityApprovers(tx.db, r.city_code), title: `举报 ${r.code} 申请延长核查期限（现为 ${r.verify_by}），请审批`, needsAction: true };
        break;
      case 'approve_extension': {
        const verifyBy = tipDeadlines({ receivedAt: r.received_at, acceptedAt: r.accepted_at, extended: true }, rule).verifyBy!;
        set = { extension: 'approved', verify_by: verifyBy };
        data = { verifyBy, days: rule.extensionDays };
        tell = { to: await tipHandlers(tx.db, r), title: `举报 ${r.code} 的核查期限已延长至 ${verifyBy}`, needsAction: false };
        break;
      }
      case 'refuse_extension':
        needNote('不批准的理由');
        // The request is answered: the last day stands, and a new request may be made.
        set = { extension: 'none', extension_by: null };
        tell = { to: await tipHandlers(tx.db, r), title: `举报 ${r.code} 的延期申请未获批准，核查期限仍为 ${r.verify_by}`, needsAction: false };
        break;
      case 'feedback':
        set = { status: 'closed', feedback: needNote('反馈举报人的内容'), fed_back_at: at };
        data = { onTime: !!r.feedback_by && today <= r.feedback_by };
        break;
      case 'link_duplicate': {
        const target = (body as z.output<typeof TipLinkInput>).duplicateOf;
        if (target === r.id) throw fieldError('VALIDATION_FAILED', 'duplicateOf', '不能关联到本条举报', 'A tip cannot duplicate itself');
        const earlier = await findTip(tx, target);
        if (!earlier) throw fieldError('VALIDATION_FAILED', 'duplicateOf', '要关联的举报不存在或不在您的管辖范围内', 'Unknown tip');
        // A declined or unfounded report is no first report of the matter: linking to it would leave nobody rewarded.
        if (earlier.status === 'declined' || earlier.substantiated === 0) throw fieldError('VALIDATION_FAILED', 'duplicateOf', `${earlier.code} 不予受理或经核查不属实，不能作为首次举报`, 'The earlier tip was declined or not substantiated');
        if (earlier.received_at > r.received_at || (earlier.received_at === r.received_at && earlier.id > r.id)) throw fieldError('VALIDATION_FAILED', 'duplicateOf', `只能关联到更早收到的举报（${earlier.code} 晚于本条）；请在那条举报上关联本条`, 'Link the later tip to the earlier one');
        set = { duplicate_of: earlier.duplicate_of ?? earlier.id };
        data = { duplicateOf: earlier.duplicate_of ?? earlier.id, code: earlier.code };
        break;
      }
    }
    await claimTip(tx, r, body.version, set);
    await appendRecordEvent(tx.db, { entityType: 'tip', entityId: id, action, actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: note, data });
    await audit(tx, { action: `tip.${action}`, entityType: 'tip', entityId: id, districtCode: r.district_code, before: { status: r.status, extension: r.extension, verifyBy: r.verify_by, duplicateOf: r.duplicate_of }, after: { ...data, status: set.status ?? r.status, note } });
    if (tell) await notify(tx, { to: tell.to, kind: `tip.${action}`, title: tell.title, link: `/tips/${id}`, needsAction: tell.needsAction, dedupeKey: `tip-${action}:${id}` });
    return tipDetail(tx, id);
  });
}

async function cityApprovers(db: Kysely<DB>, cityCode: string): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('city_code', '=', cityCode).where('role', 'in', ['city_officer', 'city_admin']).where('district_code', 'is', null).where('status', '=', 'active').execute()).map((u) => u.id);
}

type TipHazard = NonNullable<z.output<typeof TipVerifyInput>['hazards']>[number];

/** What verification found, onto the ledger in the caller's transaction (source 举报, origin the tip), grouped by enterprise; the tip's counts move. */
async function tipFindingsOntoLedger(tx: ActorCtx, r: Row, hazards: TipHazard[], at: string): Promise<{ hazardIds: string[]; major: number }> {
  const errors = checkFindings(hazards, { itemIds: new Set(), today: shanghaiDate(new Date(at)) });
  hazards.forEach((h, k) => {
    if (!h.enterpriseId && !r.enterprise_id) errors.push({ path: `hazards.${k}.enterpriseId`, code: 'required', message: `第 ${k + 1} 条隐患：请选择隐患所在企业` });
  });
  if (errors.length) throw new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, 'Invalid hazards', { errors });
  const hazardIds: string[] = [];
  let major = 0;
  const groups = new Map<string, TipHazard[]>();
  for (const h of hazards) {
    const e = h.enterpriseId ?? r.enterprise_id!;
    groups.set(e, [...(groups.get(e) ?? []), h]);
  }
  for (const [enterpriseId, list] of groups) {
    const ent = await tx.db.selectFrom('enterprises').select(['address', 'principal_name']).where('id', '=', enterpriseId).executeTakeFirst();
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', 'hazards', '隐患所在企业不存在', 'Unknown enterprise');
    const out = await findingsOntoLedger(
      tx,
      // The enterprise reads its hazards: nothing of the tip (its code, the reporter's words for the place) goes onto them.
      { type: 'tip', id: r.id, source: 'tip', enterpriseId, foundByName: tx.actor.displayName, defaultLocation: ent.address, responsibleName: ent.principal_name, assignComment: '', itemClause: () => null },
      list.map(({ enterpriseId: _e, ...f }) => f),
      at,
    );
    hazardIds.push(...out.hazardIds);
    major += out.major;
  }
  if (hazardIds.length) await tx.db.updateTable('tips').set((eb) => ({ hazards: eb('hazards', '+', hazardIds.length), major_hazards: eb('major_hazards', '+', major) })).where('id', '=', r.id).execute();
  return { hazardIds, major };
}

/** 核查发现: hazards found while verifying, each onto the ledger now (the tip stays being verified). */
export async function recordTipFindings(ctx: ActorCtx, id: string, body: { version: number; findings: TipHazard[] }): Promise<{ hazardIds: string[]; version: number }> {
  return transact(ctx, async (tx) => {
    const r = await openTip(tx, id, 'findings');
    const at = ctx.now().toISOString();
    await claimTip(tx, r, body.version, {});
    const { hazardIds, major } = await tipFindingsOntoLedger(tx, r, body.findings, at);
    await countTip(tx.db, ctx.dialect, r, { with_hazards: r.hazards === 0 && hazardIds.length ? 1 : 0, hazards: hazardIds.length, major_hazards: major });
    await appendRecordEvent(tx.db, { entityType: 'tip', entityId: id, action: 'findings', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, data: { hazardIds, major } });
    await audit(tx, { action: 'tip.findings', entityType: 'tip', entityId: id, districtCode: r.district_code, after: { hazardIds, major } });
    return { hazardIds, version: r.version + 1 };
  });
}

/** 核查办结: what verification found; if substantiated, each hazard found goes onto the ledger (source 举报, origin this tip). */
export async function verifyTip(ctx: ActorCtx, id: string, body: z.output<typeof TipVerifyInput>): Promise<{ hazardIds: string[]; version: number }> {
  return transact(ctx, async (tx) => {
    const r = await openTip(tx, id, 'verify');
    const hazards = body.hazards ?? [];
    if (!body.substantiated && (hazards.length || r.hazards)) throw fieldError('VALIDATION_FAILED', hazards.length ? 'hazards' : 'substantiated', hazards.length ? '举报不属实时不能登记隐患' : '已登记了核查发现的隐患，举报应核查属实', 'Hazards come only from a substantiated tip');
    const now = ctx.now();
    const at = now.toISOString();
    const today = shanghaiDate(now);
    const rule = await ruleValue(tx.db, r.city_code, TIP_DEADLINES, shanghaiDate(new Date(r.received_at)));
    const onTime = !!r.verify_by && today <= r.verify_by ? 1 : 0;
    await claimTip(tx, r, body.version, { status: 'verified', verified_at: at, verified_on_time: onTime, substantiated: body.substantiated ? 1 : 0, verification: body.note, feedback_by: tipDeadlines({ receivedAt: r.received_at, verifiedAt: at }, rule).feedbackBy });
    const { hazardIds, major } = await tipFindingsOntoLedger(tx, r, hazards, at);
    await countTip(tx.db, ctx.dialect, r, { verified: 1, verified_on_time: onTime, substantiated: body.substantiated ? 1 : 0, with_hazards: r.hazards === 0 && hazardIds.length ? 1 : 0, hazards: hazardIds.length, major_hazards: major });
    const data = { substantiated: body.substantiated, hazardIds, major, onTime: !!onTime };
    await appendRecordEvent(tx.db, { entityType: 'tip', entityId: id, action: 'verify', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: body.note, data });
    await audit(tx, { action: 'tip.verify', entityType: 'tip', entityId: id, districtCode: r.district_code, before: { status: r.status }, after: { status: 'verified', ...data } });
    return { hazardIds, version: r.version + 1 };
  });
}

/** 举报核查: an enforcement inspection of the tip's enterprise (type 举报, unannounced by default), arranged from the tip and noted on it. */
export async function inspectFromTip(ctx: ActorCtx, id: string, body: z.output<typeof TipInspectionInput>): Promise<{ inspectionId: string; inspectionCode: string; version: number }> {
  return transact(ctx, async (tx) => {
    const r = await openTip(tx, id, 'inspect');
    await claimTip(tx, r, body.version, {});
    // The enterprise sees its inspections: the tip's code stays on the tip (the link is the tip's event).
    const inspection = await createInspection(tx, { enterpriseId: r.enterprise_id!, type: 'tip', date: body.date, inspectorIds: body.inspectorIds, unannounced: body.unannounced });
    const at = ctx.now().toISOString();
    const data = { inspectionId: inspection.id, inspectionCode: inspection.code, date: body.date };
    await appendRecordEvent(tx.db, { entityType: 'tip', entityId: id, action: 'inspect', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, data });
    await audit(tx, { action: 'tip.inspect', entityType: 'tip', entityId: id, districtCode: r.district_code, after: data });
    return { inspectionId: inspection.id, inspectionCode: inspection.code, version: r.version + 1 };
  });
}

/** The inspectors who may inspect the tip's enterprise: the city's and its district's, active, none who declared a conflict with it. */
export async function tipInspectors(ctx: ActorCtx, id: string): Promise<{ items: { id: string; name: string }[] }> {
  const r = await findTip(ctx, id);
  if (!r) throw notFound('举报', 'tip');
  if (!handlesTips(ctx.actor)) throw new AppError('FORBIDDEN', '由举报的办理人员安排检查', 'For the tip’s handlers');
  if (!r.enterprise_id) return { items: [] };
  const rows = await eligibleInspectors(ctx.db, r.city_code)
    .select(['id', 'display_name'])
    .where((eb) => eb.or([eb('district_code', 'is', null), eb('district_code', '=', r.district_code)]))
    .where('id', 'not in', (eb) => eb.selectFrom('inspector_conflicts').select('user_id').where('enterprise_id', '=', r.enterprise_id!))
    .orderBy('display_name')
    .execute();
  return { items: rows.map((u) => ({ id: u.id, name: u.display_name })) };
}

/** A photo the reporter sent, for whoever sees the tip. */
export async function tipPhoto(ctx: ActorCtx, tipId: string, photoId: string) {
  const r = await findTip(ctx, tipId);
  const photo = r && (await ctx.db.selectFrom('tip_uploads').selectAll().where('id', '=', photoId).where('tip_id', '=', tipId).executeTakeFirst());
  if (!photo) throw notFound('照片', 'photo');
  return photo;
}
