import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { ACTION_BODIES, OPEN_STATUSES, type HazardAction, type HazardDetail, type HazardInput, type HazardSource, type HazardStatus } from '../../../shared/contracts/hazards';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { reserveHazardNums } from '../../db/hazard-numbers';
import { storedInstant } from '../../db/instants';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { hazardOwnedBy, hazardVisibleTo } from '../../scope/scope';
import { findEnterprise } from '../enterprises/repository';
import { findDepartment } from '../departments/repository';
import { findRegion } from '../regions/repository';
import { checkAttachments } from '../files/commands';
import { assertActiveEntry } from '../dictionaries/dictionaries';
import { hazardSearchColumn } from './search';
import { bumpLedgerVersion } from './cache';
import { originShownTo, originStatusChanged, parentOfOrigin } from '../../records/origins';
import { tallyHazardChange } from '../dashboard/tallies';
import { auditedHazard, presentHazard } from './presenter';
import { clausesFor, eventsFor, findHazard, hazardFacts, hazardScopeRow, nextHazardCode, type HazardView } from './repository';
import { allowedActions, decide, heldBackActions, missingFields, shanghaiDate, supervisionLevelsFor, type ActorFacts, type HazardFacts } from './workflow';
import { loopRules } from './rules';
import { storedFrom } from './event-chain';
import { noticeStep } from './notices';
import type { Kysely } from 'kysely';

/** As the route takes it, or with `system` when the platform itself records the hazard (a lapsed certificate). */
type Input = Omit<z.output<typeof HazardInput>, 'source'> & { source: HazardSource };
type Bodies = { [A in HazardAction]: z.output<(typeof ACTION_BODIES)[A]> };

/** Reporting may be a few minutes ahead of the server clock on a phone; beyond that it is a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;

const REPORTER_ROLES = new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer', 'inspector', 'expert']);

async function checkClauses(db: Kysely<DB>, ids: string[]) {
  if (!ids.length) return;
  const found = await db.selectFrom('standard_clauses').select(['id', 'is_lead_in']).where('id', 'in', ids).execute();
  if (found.length !== new Set(ids).size) throw fieldError('VALIDATION_FAILED', 'clauseIds', '所选判定标准条款不存在', 'Unknown judgement-standard clause');
  if (found.some((c) => c.is_lead_in === 1)) {
    throw fieldError('VALIDATION_FAILED', 'clauseIds', '所选条款为标准的目的、适用范围、定义或引导语，不描述具体情形，不能作为判定依据', 'A purpose, scope, definitions or lead-in article cannot be cited as the basis of a hazard');
  }
}

async function appendEvent(
  db: Kysely<DB>,
  e: { hazardNum: number; action: string; from: HazardStatus | null; to: HazardStatus; actorId: string | null; actorName: string; at: string; comment?: string | null; data?: Record<string, unknown> | null; attachmentIds?: string[] },
) {
  const last = await db.selectFrom('hazard_events').select(['seq', 'to_status']).where('hazard_num', '=', e.hazardNum).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = (last?.seq ?? 0) + 1;
  await db
    .insertInto('hazard_events')
    .values({
      hazard_num: e.hazardNum,
      seq,
      action: e.action,
      from_status: storedFrom(e.from, last?.to_status ?? null, seq),
      to_status: e.to,
      actor_id: e.actorId,
      actor_name: e.actorName,
      at: storedInstant(e.at),
      comment: e.comment ?? null,
      data_json: e.data ? JSON.stringify(e.data) : null,
    })
    .execute();
  if (e.attachmentIds?.length) {
    await db.insertInto('hazard_event_files').values(e.attachmentIds.map((f) => ({ hazard_num: e.hazardNum, seq, file_id: f }))).execute();
  }
}

/** 隐患上报: records a hazard on the ledger for an enterprise in the actor's scope. */
export async function reportHazard(ctx: ActorCtx, input: Input, opts: { enterpriseSource?: HazardSource } = {}) {
  const actor = ctx.actor;
  if (actor.role === 'enterprise') {
    if (input.enterpriseId !== actor.enterpriseId) throw new AppError('FORBIDDEN', '企业用户只能上报本企业的隐患', 'Enterprise users report hazards of their own enterprise only');
    // Besides its own findings, an enterprise records what an agency it engaged found, from that engagement (opts, never the request).
    if (input.source !== 'self_check' && input.source !== opts.enterpriseSource) throw fieldError('VALIDATION_FAILED', 'source', '企业上报的隐患来源应为“企业自查”', 'Hazards reported by an enterprise come from its self-check');
  } else if (!REPORTER_ROLES.has(actor.role)) {
    throw new AppError('FORBIDDEN', '当前角色不能上报隐患', 'Your role cannot report hazards');
  }
  const foundAt = new Date(input.foundAt);
  if (foundAt.getTime() > ctx.now().getTime() + CLOCK_SKEW_MS) throw fieldError('VALIDATION_FAILED', 'foundAt', '发现时间不能晚于现在', 'The time found cannot be in the future');
  if (input.grade === 'major' && input.clauseIds.length === 0) {
    throw new AppError('CLAUSE_REQUIRED', '重大事故隐患须引用至少一条判定标准条款', 'A major hazard must cite at least one judgement-standard clause', {
      errors: [{ path: 'clauseIds', code: 'CLAUSE_REQUIRED', message: '请选择判定依据条款' }],
    });
  }
  return transact(ctx, async (tx) => {
    const ent = await findEnterprise(tx.db, actor, input.enterpriseId);
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or not in your scope');
    await checkClauses(tx.db, input.clauseIds);
    if (input.category) await assertActiveEntry(tx.db, 'hazard_category', input.category, 'category');
    const attachments = await checkAttachments(tx.db, actor, input.attachmentIds ?? [], { required: false });
    const now = ctx.now().toISOString();
    const nowMs = storedInstant(now);
    const year = Number(shanghaiDate(foundAt).slice(0, 4));
    const id = uuidv7();
    const [num] = await reserveHazardNums(tx.db, tx.dialect, 1);
    const code = await nextHazardCode(tx.db, ent.district_code, year);
    await tx.db
      .insertInto('hazards')
      .values({
        id,
        num,
        code,
        city_code: ent.city_code,
        district_code: ent.district_code,
        street_code: ent.street_code,
        enterprise_id: ent.id,
        industry_code: ent.industry_code,
        department_id: null,
        description: input.description,
        location: input.location,
        lng: input.lng ?? null,
        lat: input.lat ?? null,
        category: input.category ?? null,
        grade: input.grade,
        source: input.source,
        found_by_name: input.foundByName ?? actor.displayName,
        found_at: foundAt.getTime(),
        reported_by: actor.userId || null,
        deadline: null,
        responsible_name: null,
        responsible_phone: null,
        plan_json: null,
        supervision_level: 'none',
        status: 'reported',
        version: 1,
        closed_at: null,
        search_tokens: hazardSearchColumn(tx.dialect, { code, description: input.description, location: input.location, enterpriseName: ent.name, district_code: ent.district_code }),
        created_at: nowMs,
        updated_at: nowMs,
      })
      .execute();
    if (input.clauseIds.length) await tx.db.insertInto('hazard_clauses').values([...new Set(input.clauseIds)].map((c) => ({ hazard_id: id, clause_id: c }))).execute();
    await appendEvent(tx.db, { hazardNum: num, action: 'report', from: null, to: 'reported', actorId: actor.userId || null, actorName: actor.displayName, at: now, attachmentIds: attachments });
    await tallyHazardChange(
      tx.db,
      tx.dialect,
      null,
      { city_code: ent.city_code, district_code: ent.district_code, street_code: ent.street_code, industry_code: ent.industry_code, enterprise_id: ent.id, grade: input.grade, source: input.source, supervision_level: 'none', status: 'reported', found_at: foundAt.getTime(), closed_at: null, deadline: null, on_spot: false },
    );
    await bumpLedgerVersion(tx.db, ent.city_code);
    const detail = await hazardDetail({ ...tx, actor }, id);
    await audit(tx, { action: 'hazard.reported', entityType: 'hazard', entityId: id, districtCode: detail.districtCode, after: auditedHazard(detail) });
    return detail;
  });
}

async function facts(ctx: ActorCtx, row: HazardView): Promise<{ hazard: HazardFacts; actor: ActorFacts }> {
  const scope = await hazardScopeRow(ctx.db, row);
  return {
    hazard: hazardFacts(row),
    actor: {
      userId: ctx.actor.userId,
      role: ctx.actor.role,
      enterpriseId: ctx.actor.enterpriseId,
      inScope: hazardVisibleTo(ctx.actor, scope),
      owns: hazardOwnedBy(ctx.actor, scope),
    },
  };
}

export async function hazardDetail(ctx: ActorCtx, id: string): Promise<HazardDetail> {
  const row = await findHazard(ctx.db, ctx.actor, id);
  if (!row) throw notFound('隐患', 'hazard');
  const f = await facts(ctx, row);
  const rules = await loopRules(ctx.db, row.city_code, today(ctx));
  const clauses = await clausesFor(ctx.db, id);
  const base = presentHazard(row, clauses.map((c) => c.id), ctx.now());
  const origin = await ctx.db.selectFrom('hazard_origins').select(['origin_type', 'origin_id', 'origin_item_id']).where('hazard_id', '=', id).executeTakeFirst();
  return {
    ...base,
    origin: origin && originShownTo(origin.origin_type, ctx.actor) ? { type: origin.origin_type, id: origin.origin_id, itemId: origin.origin_item_id, parentId: await parentOfOrigin(ctx.db, origin.origin_type, origin.origin_id) } : null,
    clauses: clauses.map((c) => ({ id: c.id, standardId: c.standard_id, standardTitle: c.standard_title, no: c.no, text: c.text })),
    events: await eventsFor(ctx.db, row),
    allowedActions: allowedActions(f.hazard, f.actor, rules),
    heldBack: heldBackActions(f.hazard, f.actor, rules),
    acceptorsNeeded: row.grade === 'major' ? rules.majorAcceptors : 1,
    awaitingConfirmation: row.status === 'pending_acceptance' && !!row.first_accepted_by,
    supervisionLevels: f.actor.owns && row.grade === 'major' ? supervisionLevelsFor(ctx.actor.role).filter((l) => l !== row.supervision_level) : [],
  };
}


const today = (ctx: ActorCtx) => shanghaiDate(ctx.now());
const deadlineNotPast = (ctx: ActorCtx, deadline: string, path = 'deadline') => {
  if (deadline < today(ctx)) throw fieldError('VALIDATION_FAILED', path, `整改期限不能早于今天（${today(ctx)}）`, `The deadline cannot be before today (${today(ctx)})`);
};

/** One workflow step, in one transaction: version check, transition rules, update, event, audit. */
export async function actOnHazard<A extends HazardAction>(ctx: ActorCtx, id: string, action: A, body: Bodies[A]): Promise<HazardDetail> {
  return transact(ctx, async (tx) => {
    const row = await findHazard(tx.db, ctx.actor, id);
    if (!row) throw notFound('隐患', 'hazard');
    if (body.version !== row.version) {
      throw new AppError('VERSION_CONFLICT', '该隐患已被他人更新，请刷新后重试', 'Someone else changed this hazard; reload and try again');
    }
    const f = await facts(tx, row);
    const rules = await loopRules(tx.db, row.city_code, today(tx));
    const decision = decide(action, f.hazard, f.actor, rules);
    if (!decision.ok) {
      if (decision.reason === 'SEPARATION_OF_DUTIES') throw new AppError('SEPARATION_OF_DUTIES', decision.message, 'Someone else must take this step: nobody accepts a rectification they submitted, and two acceptors are two people');
      throw decision.reason === 'FORBIDDEN'
        ? new AppError('FORBIDDEN', decision.message, `You may not ${action} this hazard`)
        : new AppError('INVALID_TRANSITION', decision.message, `Cannot ${action} a hazard that is ${row.status}`);
    }
    const missing = missingFields(action, f.hazard, body as { note?: string; attachmentIds?: string[] }, rules);
    if (missing.length) {
      throw new AppError('VALIDATION_FAILED', `输入有误：${missing[0].message}`, `Invalid input: ${missing.map((m) => m.field).join(', ')} required for this hazard`, {
        errors: missing.map((m) => ({ path: m.field, code: 'required', message: m.message })),
      });
    }
    const to: HazardStatus = decision.to ?? row.status;
    const now = ctx.now().toISOString();
    const nowMs = storedInstant(now);
    const changes: Partial<DB['hazards']> = {};
    let comment: string | null = null;
    let data: Record<string, unknown> | null = null;
    let attachments: string[] = [];
    const b = body as Bodies[HazardAction];

    switch (action) {
      case 'assign': {
        const a = b as Bodies['assign'];
        deadlineNotPast(tx, a.deadline);
        if (row.grade === 'major') {
          if (!a.plan) throw fieldError('VALIDATION_FAILED', 'plan', '重大事故隐患须制定整改方案（措施、资金、责任、时限、预案“五到位”）', 'A major hazard needs a rectification plan with the five in place');
          deadlineNotPast(tx, a.plan.deadline, 'plan.deadline');
        }
        Object.assign(changes, { deadline: a.deadline, responsible_name: a.responsibleName, responsible_phone: a.responsiblePhone ?? null, plan_json: a.plan ? JSON.stringify(a.plan) : null });
        comment = a.comment ?? null;
        data = { deadline: a.deadline, responsibleName: a.responsibleName, ...(a.plan ? { plan: a.plan } : {}) };
        break;
      }
      case 'fix_on_spot':
      case 'submit': {
        const s = b as Bodies['submit'];
        attachments = await checkAttachments(tx.db, ctx.actor, s.attachmentIds, { required: true });
        comment = s.note;
        if (action === 'fix_on_spot') changes.closed_at = nowMs;
        else Object.assign(changes, { submitted_by: ctx.actor.userId, first_accepted_by: null });
        break;
      }
      case 'accept': {
        const a = b as Bodies['accept'];
        attachments = await checkAttachments(tx.db, ctx.actor, a.attachmentIds ?? [], { required: false });
        comment = a.note ?? null;
        if (decision.to === null) {
          changes.first_accepted_by = ctx.actor.userId;
          data = { stage: 'first', of: 2 };
        } else {
          changes.closed_at = nowMs;
          if (row.first_accepted_by) data = { stage: 'confirm', of: 2 };
        }
        break;
      }
      case 'reject': {
        const r = b as Bodies['reject'];
        attachments = await checkAttachments(tx.db, ctx.actor, r.attachmentIds ?? [], { required: false });
        comment = r.reason;
        changes.first_accepted_by = null;
        break;
      }
      case 'extend': {
        const e = b as Bodies['extend'];
        deadlineNotPast(tx, e.deadline);
        if (row.deadline && e.deadline <= row.deadline) throw fieldError('VALIDATION_FAILED', 'deadline', `新期限应晚于原期限（${row.deadline}）`, `The new deadline must be after ${row.deadline}`);
        changes.deadline = e.deadline;
        comment = e.reason;
        data = { oldDeadline: row.deadline, newDeadline: e.deadline };
        break;
      }
      case 'transfer': {
        const t = b as Bodies['transfer'];
        if (!!t.districtCode === !!t.departmentId) throw fieldError('VALIDATION_FAILED', 'districtCode', '请选择移交给一个区或一个部门（二选一）', 'Transfer to either a district or a department');
        if (t.districtCode) {
          const d = await findRegion(tx.db, t.districtCode);
          if (!d || d.level !== 'district') throw fieldError('UNKNOWN_REGION', 'districtCode', `未知的区代码：${t.districtCode}`, `Unknown district ${t.districtCode}`);
          if (t.districtCode === row.district_code) throw fieldError('VALIDATION_FAILED', 'districtCode', '不能移交给本区', 'The hazard is already with this district');
          Object.assign(changes, {
            district_code: t.districtCode,
            street_code: null,
            department_id: null,
            search_tokens: hazardSearchColumn(tx.dialect, { ...row, enterpriseName: row.enterprise_name ?? '', district_code: t.districtCode }),
          });
        } else {
          const dept = await findDepartment(tx.db, t.departmentId!);
          if (!dept) throw fieldError('UNKNOWN_DEPARTMENT', 'departmentId', '所选部门不存在', 'Unknown department');
          changes.department_id = dept.id;
        }
        // The sender keeps read access to what it handed over.
        const grant =
          ctx.actor.role === 'district_officer' && ctx.actor.districtCode
            ? { grantee_type: 'district' as const, grantee_id: ctx.actor.districtCode }
            : ctx.actor.role === 'dept_officer' && ctx.actor.departmentId
              ? { grantee_type: 'department' as const, grantee_id: ctx.actor.departmentId }
              : null;
        if (grant) {
          await tx.db.insertInto('hazard_access').values({ hazard_id: id, ...grant, granted_at: now }).onConflict((oc) => oc.columns(['hazard_id', 'grantee_type', 'grantee_id']).doNothing()).execute();
        }
        comment = t.reason;
        data = { from: { districtCode: row.district_code, departmentId: row.department_id }, to: { districtCode: t.districtCode ?? row.district_code, departmentId: t.departmentId ?? null } };
        break;
      }
      case 'supervise': {
        const s = b as Bodies['supervise'];
        if (!supervisionLevelsFor(ctx.actor.role).includes(s.level)) {
          throw new AppError('FORBIDDEN', s.level === 'city' ? '市级挂牌督办由市级人员设定' : '区级挂牌督办由区安委办设定', `You may not set ${s.level} supervision`);
        }
        if (s.level === row.supervision_level) throw fieldError('VALIDATION_FAILED', 'level', '该隐患已是此督办级别', 'Already under this supervision level');
        changes.supervision_level = s.level;
        comment = s.comment ?? null;
        data = { from: row.supervision_level, to: s.level };
        break;
      }
      case 'void': {
        comment = (b as Bodies['void']).reason;
        break;
      }
    }

    const r = await tx.db
      .updateTable('hazards')
      .set({ ...changes, status: to, version: row.version + 1, updated_at: nowMs })
      .where('id', '=', id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该隐患已被他人更新，请刷新后重试', 'Someone else changed this hazard; reload and try again');
    await appendEvent(tx.db, { hazardNum: row.num, action, from: row.status, to, actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at: now, comment, data, attachmentIds: attachments });
    await noticeStep(tx, action, row, await tx.db.selectFrom('hazards').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), comment, rules);
    // Steps leave closed hazards alone, so only the step taken now can make one fixed on the spot.
    await tallyHazardChange(tx.db, tx.dialect, { ...row, on_spot: false }, { ...row, ...changes, status: to, on_spot: action === 'fix_on_spot' });
    await originStatusChanged(tx.db, tx.dialect, id, row.status, to);
    await bumpLedgerVersion(tx.db, row.city_code);
    const before = presentHazard(row, [], ctx.now());
    // After a transfer the sender may only read; the detail is still visible through its grant.
    const after = await hazardDetail(tx, id);
    await audit(tx, {
      action: `hazard.${action}`,
      entityType: 'hazard',
      entityId: id,
      districtCode: after.districtCode,
      before: { ...auditedHazard(before), clauseIds: after.clauseIds },
      after: auditedHazard(after),
    });
    return after;
  });
}

/**
 * 系统核验销号: a hazard the platform itself recorded (source `system`: a lapsed certificate) closes
 * when the platform sees it mended (a valid certificate recorded) — not a person's step, so not in the
 * transition table: the event (`resolve`), the tallies, the origin and the audit as any step has them.
 * Only in the caller's transaction; a hazard already closed or voided is left alone.
 */
export async function resolveSystemHazard(tx: ActorCtx, id: string, comment: string, data: Record<string, unknown>): Promise<boolean> {
  const row = await tx.db.selectFrom('hazards').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.source !== 'system' || !(OPEN_STATUSES as readonly string[]).includes(row.status)) return false;
  const now = tx.now().toISOString();
  const nowMs = storedInstant(now);
  const r = await tx.db.updateTable('hazards').set({ status: 'closed', closed_at: nowMs, version: row.version + 1, updated_at: nowMs }).where('id', '=', id).where('version', '=', row.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该隐患已被他人更新，请刷新后重试', 'Someone else changed this hazard; reload and try again');
  await appendEvent(tx.db, { hazardNum: row.num, action: 'resolve', from: row.status, to: 'closed', actorId: tx.actor.userId || null, actorName: tx.actor.displayName, at: now, comment, data });
  await tallyHazardChange(tx.db, tx.dialect, { ...row, on_spot: false }, { ...row, status: 'closed', closed_at: nowMs, on_spot: false });
  await originStatusChanged(tx.db, tx.dialect, id, row.status, 'closed');
  await bumpLedgerVersion(tx.db, row.city_code);
  await audit(tx, { action: 'hazard.resolve', entityType: 'hazard', entityId: id, districtCode: row.district_code, before: { status: row.status }, after: { status: 'closed', ...data } });
  return true;
}
