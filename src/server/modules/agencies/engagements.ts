/**
 * 委托服务: an enterprise (or an officer for an enterprise in their scope) records that it engaged an
 * agency — which service, for what period, the contract — having been shown the agency's warnings
 * (an untrustworthy listing, an expired qualification) and confirmed it engages it anyway; records
 * what the agency found (each a hazard on the ledger in the same transaction, source 第三方服务,
 * its origin the engagement); and files the agency's report (the deliverable) when it is delivered.
 * The agency's figures move in the same transactions.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { SERVICE_TYPE_LABELS, type ConcludeInput, type Engagement, type EngagementDetail, type EngagementFindingsInput, type EngagementInput, type EngagementQuery, type ServiceType } from '../../../shared/contracts/agencies';
import type { ListResult } from '../../../shared/contracts/common';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { AgencyEngagementRow, DB } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { appendRecordEvent, claimVersion, nextRecordCode, recordEvents } from '../../records/records';
import { recordsEngagements, scopeWhere } from '../../scope/scope';
import { findEnterprise } from '../enterprises/repository';
import { checkAttachments } from '../files/commands';
import { checkFindings, findingsOfOrigins, findingsOntoLedger } from '../hazards/findings';
import { agencyStandings, findAgency } from './registry';
import { agencyWatch, findContradictions } from './watch';
import { decideEngagement, engagementActions, type EngagementAction } from './workflow';

const COLS = { city: 'e.city_code', district: 'e.district_code', street: 'e.street_code', industry: 'e.industry_code', enterpriseId: 'e.enterprise_id' };

function scoped(db: Kysely<DB>, ctx: ActorCtx) {
  return db
    .selectFrom('agency_engagements as e')
    .innerJoin('enterprises as ent', 'ent.id', 'e.enterprise_id')
    .innerJoin('agencies as a', 'a.id', 'e.agency_id')
    .where(scopeWhere<DB, 'agency_engagements'>(ctx.actor, COLS) as never);
}

type Row = AgencyEngagementRow & { enterprise_name: string; agency_name: string };

const findEngagement = (ctx: ActorCtx, id: string): Promise<Row | undefined> =>
  scoped(ctx.db, ctx).selectAll('e').select(['ent.name as enterprise_name', 'a.name as agency_name']).where('e.id', '=', id).executeTakeFirst() as Promise<Row | undefined>;

function present(r: Row, warnings: string[]): Engagement {
  return {
    id: r.id,
    code: r.code,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    districtCode: r.district_code,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    agencyWarnings: warnings,
    serviceType: r.service_type as ServiceType,
    from: r.period_from,
    to: r.period_to,
    status: r.status,
    concludedOn: r.concluded_on,
    findings: r.findings,
    majorFindings: r.major_findings,
    version: r.version,
  };
}

export async function listEngagements(ctx: ActorCtx, q: z.output<typeof EngagementQuery>): Promise<ListResult<Engagement>> {
  let base = scoped(ctx.db, ctx);
  if (q.agencyId) base = base.where('e.agency_id', '=', q.agencyId);
  if (q.enterpriseId) base = base.where('e.enterprise_id', '=', q.enterpriseId);
  if (q.districtCode) base = base.where('e.district_code', '=', q.districtCode);
  if (q.status) base = base.where('e.status', '=', q.status);
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = (await base
    .selectAll('e')
    .select(['ent.name as enterprise_name', 'a.name as agency_name'])
    .orderBy('e.period_from', 'desc')
    .orderBy('e.code', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute()) as Row[];
  const standing = await agencyStandings(ctx.db, ctx.actor.cityCode, [...new Set(rows.map((r) => r.agency_id))], shanghaiDate(ctx.now()));
  return { items: rows.map((r) => present(r, standing.get(r.agency_id)?.warnings ?? [])), total: Number(n), page: q.page, pageSize: q.pageSize };
}

export async function engagementDetail(ctx: ActorCtx, id: string): Promise<EngagementDetail> {
  const r = await findEngagement(ctx, id);
  if (!r) throw notFound('委托服务记录', 'engagement');
  const today = shanghaiDate(ctx.now());
  const standing = (await agencyStandings(ctx.db, ctx.actor.cityCode, [r.agency_id], today)).get(r.agency_id)!;
  const files = await ctx.db.selectFrom('agency_engagement_files').select(['file_id', 'kind']).where('engagement_id', '=', id).orderBy('added_at').orderBy('file_id').execute();
  const { contradictionDays } = await agencyWatch(ctx.db, ctx.actor.cityCode, today);
  const contradicted = await findContradictions(ctx.db, [{ id: r.id, enterpriseId: r.enterprise_id, serviceType: r.service_type as ServiceType, concludedOn: r.concluded_on, majorFindings: r.major_findings }], contradictionDays);
  const actions = engagementActions({ status: r.status, recorder: recordsEngagements(ctx.actor) });
  return {
    ...present(r, standing.warnings),
    conclusion: r.conclusion,
    warningsAcknowledged: r.warnings_json ? (JSON.parse(r.warnings_json) as string[]) : [],
    files: files.map((f) => ({ fileId: f.file_id, kind: f.kind })),
    findingsList: (await findingsOfOrigins(ctx.db, 'agency_engagement', [id])).get(id) ?? [],
    contradictedBy: contradicted.map((c) => ({ hazardId: c.hazardId, hazardCode: c.hazardCode, foundOn: c.foundOn })),
    events: await recordEvents(ctx.db, 'agency_engagement', id),
    mayRecord: actions.includes('findings'),
    mayConclude: actions.includes('conclude'),
  };
}

async function attachFiles(db: Kysely<DB>, engagementId: string, fileIds: readonly string[], kind: 'contract' | 'deliverable', at: string) {
  if (fileIds.length) await db.insertInto('agency_engagement_files').values(fileIds.map((f) => ({ engagement_id: engagementId, file_id: f, kind, added_at: at }))).onConflict((oc) => oc.doNothing()).execute();
}

export async function createEngagement(ctx: ActorCtx, body: z.output<typeof EngagementInput>): Promise<EngagementDetail> {
  const a = ctx.actor;
  if (!recordsEngagements(a)) throw new AppError('FORBIDDEN', '当前角色不能登记委托服务', 'Your role cannot record engagements');
  return transact(ctx, async (tx) => {
    const ent = await findEnterprise(tx.db, a, body.enterpriseId);
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or not in your scope');
    const agency = await findAgency(tx.db, a.cityCode, body.agencyId);
    if (!agency) throw fieldError('VALIDATION_FAILED', 'agencyId', '机构不在名录中', 'Unknown agency');
    if (!(JSON.parse(agency.service_types_json) as string[]).includes(body.serviceType)) {
      throw fieldError('VALIDATION_FAILED', 'serviceType', `该机构未登记“${SERVICE_TYPE_LABELS[body.serviceType].zh}”服务`, 'The agency does not offer this service');
    }
    const today = shanghaiDate(ctx.now());
    const { warnings } = (await agencyStandings(tx.db, a.cityCode, [agency.id], today)).get(agency.id)!;
    // 谁使用谁负责: the enterprise is told first, and engages a listed or unqualified agency only knowingly.
    if (warnings.length && !body.acknowledgeWarnings) {
      throw fieldError('VALIDATION_FAILED', 'acknowledgeWarnings', `请注意：${warnings.join('；')}。如仍要委托，请确认已知悉上述警示`, 'The agency carries warnings; confirm you engage it knowingly');
    }
    const fileIds = await checkAttachments(tx.db, a, body.fileIds ?? [], { required: false });
    const at = ctx.now().toISOString();
    const id = uuidv7();
    const code = await nextRecordCode(tx.db, 'FW', ent.district_code, Number(today.slice(0, 4)));
    await tx.db
      .insertInto('agency_engagements')
      .values({
        id,
        code,
        city_code: ent.city_code,
        district_code: ent.district_code,
        street_code: ent.street_code,
        industry_code: ent.industry_code,
        enterprise_id: ent.id,
        agency_id: agency.id,
        service_type: body.serviceType,
        period_from: body.from,
        period_to: body.to,
        status: 'in_service',
        concluded_on: null,
        conclusion: null,
        findings: 0,
        major_findings: 0,
        warnings_json: warnings.length ? JSON.stringify(warnings) : null,
        version: 1,
        created_by: a.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await attachFiles(tx.db, id, fileIds, 'contract', at);
    await tx.db.updateTable('agencies').set((eb) => ({ engagements: eb('engagements', '+', 1) })).where('id', '=', agency.id).execute();
    await appendRecordEvent(tx.db, { entityType: 'agency_engagement', entityId: id, action: 'engage', actorId: a.userId, actorName: a.displayName, at, data: { agencyId: agency.id, serviceType: body.serviceType, from: body.from, to: body.to, warningsAcknowledged: warnings }, fileIds });
    await audit(tx, { action: 'agency_engagement.recorded', entityType: 'agency_engagement', entityId: id, districtCode: ent.district_code, after: { enterpriseId: ent.id, agencyId: agency.id, serviceType: body.serviceType, from: body.from, to: body.to, warningsAcknowledged: warnings } });
    return engagementDetail(tx, id);
  });
}

const claim = (ctx: ActorCtx, r: AgencyEngagementRow, version: number, set: Partial<AgencyEngagementRow>) => claimVersion(ctx.db, 'agency_engagements', r, version, set, ctx.now().toISOString(), '委托记录');

/** The engagement, if the step may be taken on it now by the actor (the transition table decides). */
async function openEngagement(ctx: ActorCtx, id: string, action: EngagementAction): Promise<Row> {
  const r = await findEngagement(ctx, id);
  if (!r) throw notFound('委托服务记录', 'engagement');
  const d = decideEngagement(action, { status: r.status, recorder: recordsEngagements(ctx.actor) });
  if (!d.ok) throw new AppError(d.reason, d.message, d.reason === 'FORBIDDEN' ? 'Not yours to take this step' : 'Not allowed in the current status');
  return r;
}

/** The agency's findings, each a hazard on the ledger in this transaction (source 第三方服务, origin this engagement). */
export async function recordEngagementFindings(ctx: ActorCtx, id: string, body: z.output<typeof EngagementFindingsInput>): Promise<{ hazardIds: string[]; version: number }> {
  return transact(ctx, async (tx) => {
    const r = await openEngagement(tx, id, 'findings');
    const errors = checkFindings(body.findings, { itemIds: new Set(), today: shanghaiDate(ctx.now()), deadlines: false });
    if (errors.length) throw new AppError('VALIDATION_FAILED', `输入有误：${errors[0].message}`, 'Invalid findings', { errors });
    await claim(tx, r, body.version, {});
    const ent = await tx.db.selectFrom('enterprises').select(['address', 'principal_name']).where('id', '=', r.enterprise_id).executeTakeFirstOrThrow();
    const at = ctx.now().toISOString();
    const { hazardIds, major } = await findingsOntoLedger(
      tx,
      { type: 'agency_engagement', id, source: 'third_party', enterpriseId: r.enterprise_id, foundByName: r.agency_name, defaultLocation: ent.address, responsibleName: ent.principal_name, assignComment: '', itemClause: () => null, enterpriseSource: 'third_party' },
      body.findings,
      at,
    );
    await tx.db.updateTable('agency_engagements').set((eb) => ({ findings: eb('findings', '+', hazardIds.length), major_findings: eb('major_findings', '+', major) })).where('id', '=', id).execute();
    await tx.db.updateTable('agencies').set((eb) => ({ findings: eb('findings', '+', hazardIds.length), major_findings: eb('major_findings', '+', major) })).where('id', '=', r.agency_id).execute();
    await appendRecordEvent(tx.db, { entityType: 'agency_engagement', entityId: id, action: 'findings', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, data: { hazardIds, major } });
    await audit(tx, { action: 'agency_engagement.findings', entityType: 'agency_engagement', entityId: id, districtCode: r.district_code, after: { hazardIds, major } });
    return { hazardIds, version: r.version + 1 };
  });
}

/** 出具报告: the agency's report is filed (its date, conclusion, the files); the engagement is closed. */
export async function concludeEngagement(ctx: ActorCtx, id: string, body: z.output<typeof ConcludeInput>): Promise<EngagementDetail> {
  return transact(ctx, async (tx) => {
    const r = await openEngagement(tx, id, 'conclude');
    const today = shanghaiDate(ctx.now());
    if (body.concludedOn > today) throw fieldError('VALIDATION_FAILED', 'concludedOn', '报告日期不能晚于今天', 'The report cannot be dated in the future');
    if (body.concludedOn < r.period_from) throw fieldError('VALIDATION_FAILED', 'concludedOn', `报告日期不能早于服务开始日期（${r.period_from}）`, 'The report cannot precede the service');
    const fileIds = await checkAttachments(tx.db, ctx.actor, body.fileIds, { required: true });
    await claim(tx, r, body.version, { status: 'concluded', concluded_on: body.concludedOn, conclusion: body.conclusion });
    const at = ctx.now().toISOString();
    await attachFiles(tx.db, id, fileIds, 'deliverable', at);
    await appendRecordEvent(tx.db, { entityType: 'agency_engagement', entityId: id, action: 'conclude', actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: body.conclusion, data: { concludedOn: body.concludedOn }, fileIds });
    await audit(tx, { action: 'agency_engagement.concluded', entityType: 'agency_engagement', entityId: id, districtCode: r.district_code, before: { status: r.status }, after: { status: 'concluded', concludedOn: body.concludedOn, majorFindings: r.major_findings } });
    return engagementDetail(tx, id);
  });
}
