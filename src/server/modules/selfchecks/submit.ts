/**
 * 自查提交 (#14): the enterprise goes through a round's items — each ok, not applicable, or a hazard
 * found — and the person responsible signs it off. In one transaction: every hazard found goes onto
 * the ledger through the hazard commands (source self-check, its origin the round and item, the
 * item's clause cited; fixed on the spot where the closed loop allows it), the results are kept, the
 * round is marked submitted (its version checked, so it is submitted once), an event and an audit
 * record are written and the tallies move. Anything refused leaves nothing behind. After that the
 * round never changes; it can only be annotated, each note an event.
 */
import type { z } from 'zod';
import type { RoundAnnotation, RoundDetail, RoundSubmission } from '../../../shared/contracts/checklists';
import { uuidv7 } from 'uuidv7';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, fieldError, notFound, type FieldError } from '../../errors/app-error';
import { bumpLedgerVersion } from '../hazards/cache';
import { actOnHazard, reportHazard } from '../hazards/commands';
import { shanghaiDate } from '../hazards/workflow';
import { checklistItems } from './checklists';
import { findRound, roundDetail } from './rounds';
import { signersOf } from './signers';
import { SelfCheckDelta } from './tallies';
import type { Kysely } from 'kysely';

type Submission = z.output<typeof RoundSubmission>;

const invalid = (errors: FieldError[]) => new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, `Invalid submission: ${errors.map((e) => e.path).join(', ')}`, { errors });

async function appendRoundEvent(db: Kysely<DB>, e: { roundId: string; action: 'submit' | 'annotate'; actorId: string; actorName: string; at: string; comment?: string | null; data?: object | null }) {
  const last = await db.selectFrom('selfcheck_round_events').select((eb) => eb.fn.max('seq').as('m')).where('round_id', '=', e.roundId).executeTakeFirst();
  await db
    .insertInto('selfcheck_round_events')
    .values({ id: uuidv7(), round_id: e.roundId, seq: Number(last?.m ?? 0) + 1, action: e.action, actor_id: e.actorId, actor_name: e.actorName, at: e.at, comment: e.comment ?? null, data_json: e.data ? JSON.stringify(e.data) : null })
    .execute();
}

export async function submitRound(ctx: ActorCtx, id: string, body: Submission): Promise<RoundDetail> {
  return transact(ctx, async (tx) => {
    const r = await findRound(tx, id);
    if (!r) throw notFound('自查记录', 'self-check round');
    if (ctx.actor.role !== 'enterprise' || ctx.actor.enterpriseId !== r.enterprise_id) throw new AppError('FORBIDDEN', '自查记录由企业本身填报提交', 'A round is submitted by its enterprise');
    if (r.submitted_at) throw new AppError('ALREADY_SUBMITTED', `该自查记录已于 ${shanghaiDate(new Date(r.submitted_at))} 提交，不能再次提交；如需补充，请添加批注`, 'This round was submitted already; annotate it instead');
    if (body.version !== r.version) throw new AppError('VERSION_CONFLICT', '该自查记录已被更新，请刷新后重试', 'The round changed; reload and try again');

    // Every item of the round's checklist version once, nothing else.
    const items = await checklistItems(tx.db, r.checklist_id, r.checklist_version);
    const byId = new Map(items.map((i) => [i.id, i]));
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    body.results.forEach((res, k) => {
      const at = `results.${k}`;
      if (!byId.has(res.itemId)) errors.push({ path: `${at}.itemId`, code: 'unknown_item', message: `第 ${k + 1} 项不在本次自查的检查表上` });
      else if (seen.has(res.itemId)) errors.push({ path: `${at}.itemId`, code: 'duplicate_item', message: `第 ${k + 1} 项重复填报` });
      seen.add(res.itemId);
      if (res.result === 'hazard' && !res.hazard) errors.push({ path: `${at}.hazard.description`, code: 'required', message: `第 ${k + 1} 项标记为发现隐患，请填写隐患描述` });
      if (res.result !== 'hazard' && res.hazard) errors.push({ path: `${at}.hazard`, code: 'unexpected', message: `第 ${k + 1} 项未标记为发现隐患，不应填写隐患` });
      if (res.result !== 'hazard' && res.attachmentIds?.length) errors.push({ path: `${at}.attachmentIds`, code: 'unexpected', message: `第 ${k + 1} 项未发现隐患，照片只随隐患登记` });
      if (res.hazard?.fixedOnSpot) {
        if (res.hazard.grade === 'major') errors.push({ path: `${at}.hazard.fixedOnSpot`, code: 'invalid', message: '重大事故隐患不能即查即改，须制定整改方案' });
        if (!res.attachmentIds?.length) errors.push({ path: `${at}.attachmentIds`, code: 'required', message: `第 ${k + 1} 项即查即改须上传整改后照片等佐证材料` });
        if (res.hazard.deadline) errors.push({ path: `${at}.hazard.deadline`, code: 'invalid', message: '即查即改的隐患不需要整改期限' });
      }
      if (res.hazard?.deadline && res.hazard.grade === 'major') errors.push({ path: `${at}.hazard.deadline`, code: 'invalid', message: '重大事故隐患的整改期限随整改方案（五到位）一并制定' });
    });
    const missing = items.filter((i) => !seen.has(i.id));
    if (missing.length) errors.push({ path: 'results', code: 'incomplete', message: `还有 ${missing.length} 项未检查（第 ${missing.slice(0, 5).map((i) => i.seq).join('、')}${missing.length > 5 ? ' 等' : ''} 项）` });
    const ent = await tx.db.selectFrom('enterprises').select(['principal_name', 'safety_manager_name', 'address']).where('id', '=', r.enterprise_id).executeTakeFirstOrThrow();
    const signer = signersOf(ent).find((s) => s.name === body.signedBy.trim());
    if (!signer) errors.push({ path: 'signedBy', code: 'unknown_signer', message: `签字人须为企业登记的主要负责人或安全管理人员（${signersOf(ent).map((s) => s.name).join('、')}）` });
    const found = body.results.filter((x) => x.result === 'hazard');
    if (!found.length && body.confirmNoFindings !== true) errors.push({ path: 'confirmNoFindings', code: 'required', message: '本次自查未发现隐患，请确认“零隐患”后提交' });
    if (errors.length) throw invalid(errors);

    const now = ctx.now();
    const at = now.toISOString();
    // The round is claimed first: a second submission at the same moment waits here and then finds
    // it taken (409), before it has put anything on the ledger.
    const u = await tx.db
      .updateTable('selfcheck_rounds')
      .set({ submitted_at: at, submitted_by: ctx.actor.userId, signed_by_name: signer!.name, signed_by_role: signer!.role, findings: found.length, version: r.version + 1 })
      .where('id', '=', r.id)
      .where('version', '=', r.version)
      .where('submitted_at', 'is', null)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('ALREADY_SUBMITTED', '该自查记录刚刚已被提交', 'This round was just submitted');
    const hazardIds = new Map<string, string>();
    for (const res of found) {
      const h = res.hazard!;
      const item = byId.get(res.itemId)!;
      const clauseIds = [...new Set([...(item.clauseId ? [item.clauseId] : []), ...(h.clauseIds ?? [])])];
      const fixed = h.fixedOnSpot === true;
      let detail = await reportHazard(tx, {
        enterpriseId: r.enterprise_id,
        description: h.description,
        location: h.location ?? ent.address,
        grade: h.grade,
        clauseIds,
        source: 'self_check',
        foundAt: at,
        foundByName: signer!.name,
        attachmentIds: fixed ? [] : (res.attachmentIds ?? []),
      }).catch((e: unknown) => {
        // Name the item the hazard belongs to.
        if (e instanceof AppError && e.errors) throw new AppError(e.code, `第 ${item.seq} 项：${e.message}`, e.messageEn, { errors: e.errors.map((x) => ({ ...x, path: `results.${body.results.indexOf(res)}.hazard.${x.path}` })) });
        throw e;
      });
      if (fixed) detail = await actOnHazard(tx, detail.id, 'fix_on_spot', { version: detail.version, note: res.note?.trim() || '即查即改', attachmentIds: res.attachmentIds! });
      else if (h.deadline) detail = await actOnHazard(tx, detail.id, 'assign', { version: detail.version, deadline: h.deadline, responsibleName: signer!.name, comment: '企业自查自改' });
      await tx.db.insertInto('hazard_origins').values({ hazard_id: detail.id, origin_type: 'selfcheck', origin_id: r.id, origin_item_id: item.id, created_at: at }).execute();
      hazardIds.set(res.itemId, detail.id);
    }
    await tx.db
      .insertInto('selfcheck_results')
      .values(body.results.map((res) => ({ round_id: r.id, item_id: res.itemId, result: res.result, note: res.note?.trim() || null, hazard_id: hazardIds.get(res.itemId) ?? null })))
      .execute();
    const summary = { findings: found.length, ok: body.results.filter((x) => x.result === 'ok').length, na: body.results.filter((x) => x.result === 'na').length, signedBy: signer!.name, signedByRole: signer!.role, hazardIds: [...hazardIds.values()] };
    await appendRoundEvent(tx.db, { roundId: r.id, action: 'submit', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: found.length ? null : '零隐患自查', data: summary });
    const delta = new SelfCheckDelta();
    delta.submitted(r, now, found.length);
    await delta.apply(tx.db, tx.dialect);
    // The cockpits read through the ledger's cache: a round done changes their figures.
    await bumpLedgerVersion(tx.db, r.city_code);
    await audit(tx, { action: 'selfcheck.submitted', entityType: 'selfcheck_round', entityId: r.id, districtCode: r.district_code, after: { period: r.period, dueDate: r.due_date, late: shanghaiDate(now) > r.due_date, ...summary } });
    return roundDetail(tx, id);
  });
}

/** 批注: a word on a submitted round (an officer's remark, the enterprise's correction), an event; the round itself stays as submitted. */
export async function annotateRound(ctx: ActorCtx, id: string, body: z.output<typeof RoundAnnotation>): Promise<RoundDetail> {
  return transact(ctx, async (tx) => {
    const r = await findRound(tx, id);
    if (!r) throw notFound('自查记录', 'self-check round');
    if (!r.submitted_at) throw fieldError('VALIDATION_FAILED', 'comment', '自查记录提交后才能批注', 'A round is annotated once submitted');
    if (ctx.actor.role === 'expert') throw new AppError('FORBIDDEN', '当前角色不能批注自查记录', 'Your role cannot annotate rounds');
    const at = ctx.now().toISOString();
    await appendRoundEvent(tx.db, { roundId: r.id, action: 'annotate', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: body.comment });
    await audit(tx, { action: 'selfcheck.annotated', entityType: 'selfcheck_round', entityId: r.id, districtCode: r.district_code, after: { comment: body.comment } });
    return roundDetail(tx, id);
  });
}
