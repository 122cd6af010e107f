/**
 * 第三方服务机构名录: an agency's entry (credit code, service types, qualifications with their expiry,
 * staff and certificates, the body that approved it — 谁审批谁负责 — and the department over its
 * field — 谁主管谁负责), filed under the office that keeps it; its record (engagements and findings
 * kept as figures in the writing transactions, reports an inspection contradicted, complaints,
 * penalties); and the offices' listings of it as untrustworthy, which every enterprise engaging it
 * is shown first. Every account of the city reads the registry; enterprises see what others found
 * only as counts.
 */
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { Agency, AgencyDetail, AgencyInput, AgencyPatch, AgencyQuery, ListingInput, LiftInput, RecordInput, ServiceType } from '../../../shared/contracts/agencies';
import type { ListResult } from '../../../shared/contracts/common';
import { addDays, shanghaiDate } from '../../../shared/dates';
import { isValidUscc } from '../../../shared/uscc';
import { audit, transact, type ActorCtx } from '../../context';
import { likeContains } from '../../db/dialect';
import type { AgencyRow, DB } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { keepsOfficeRecord, managesAgencies, officeFor, rowInScope } from '../../scope/scope';
import { listDepartments } from '../departments/repository';
import { findEnterprise } from '../enterprises/repository';
import { listRegions } from '../regions/repository';
import { agencyWatch, findContradictions, qualificationState, worstState } from './watch';

type QualificationRow = { agency_id: string; name: string; issuer: string; number: string; valid_from: string | null; expires_on: string };

/** Each listing's office as people say it: the district's or department's name, or 市级. */
async function officeNames(db: Kysely<DB>, rows: readonly { district_code: string | null; department_id: string | null }[]): Promise<(r: { district_code: string | null; department_id: string | null }) => string> {
  const districts = [...new Set(rows.map((r) => r.district_code).filter((c): c is string => !!c))];
  const depts = [...new Set(rows.map((r) => r.department_id).filter((c): c is string => !!c))];
  const regionNames = districts.length ? (await listRegions(db, { level: 'district' })).filter((r) => districts.includes(r.code)) : [];
  const deptNames = depts.length ? await listDepartments(db, { ids: depts }) : [];
  return (r) => (r.department_id ? deptNames.find((d) => d.id === r.department_id)?.name : r.district_code ? regionNames.find((d) => d.code === r.district_code)?.name : null) ?? '市级';
}

export interface Standing {
  qualificationState: Agency['qualificationState'];
  nextExpiry: string | null;
  listed: boolean;
  warnings: string[];
}

/**
 * What anyone engaging these agencies is told today: each untrustworthy listing in force (by which
 * office, why) and each expired qualification; with the worst qualification state and the next expiry.
 */
export async function agencyStandings(db: Kysely<DB>, cityCode: string, ids: readonly string[], today: string): Promise<Map<string, Standing>> {
  const out = new Map<string, Standing>();
  if (!ids.length) return out;
  const { expiryWarningDays } = await agencyWatch(db, cityCode, today);
  const quals = await db.selectFrom('agency_qualifications').select(['agency_id', 'name', 'number', 'expires_on']).where('agency_id', 'in', [...ids]).orderBy('seq').execute();
  const listings = await db.selectFrom('agency_listings').select(['agency_id', 'district_code', 'department_id', 'reason']).where('agency_id', 'in', [...ids]).where('lifted_at', 'is', null).orderBy('listed_at').execute();
  const office = await officeNames(db, listings);
  for (const id of ids) {
    const mine = quals.filter((q) => q.agency_id === id);
    const states = mine.map((q) => qualificationState(q.expires_on, today, expiryWarningDays));
    const listed = listings.filter((l) => l.agency_id === id);
    const upcoming = mine.map((q) => q.expires_on).filter((d) => d >= today).sort();
    out.set(id, {
      qualificationState: worstState(states),
      nextExpiry: upcoming[0] ?? null,
      listed: listed.length > 0,
      warnings: [
        ...listed.map((l) => `${office(l)}已将该机构列入失信名单：${l.reason}`),
        ...mine.filter((_, k) => states[k] === 'expired').map((q) => `资质“${q.name}”（${q.number}）已于 ${q.expires_on} 过期`),
      ],
    });
  }
  return out;
}

function present(r: AgencyRow, s: Standing): Agency {
  return {
    id: r.id,
    name: r.name,
    uscc: r.uscc,
    serviceTypes: JSON.parse(r.service_types_json) as ServiceType[],
    approvedBy: r.approved_by,
    supervisedBy: r.supervised_by,
    districtCode: r.district_code,
    qualificationState: s.qualificationState,
    nextExpiry: s.nextExpiry,
    listed: s.listed,
    engagements: r.engagements,
    findings: r.findings,
    majorFindings: r.major_findings,
    warnings: s.warnings,
    version: r.version,
  };
}

export const findAgency = (db: Kysely<DB>, cityCode: string, id: string) => db.selectFrom('agencies').selectAll().where('id', '=', id).where('city_code', '=', cityCode).executeTakeFirst();

export async function listAgencies(ctx: ActorCtx, q: z.output<typeof AgencyQuery>): Promise<ListResult<Agency>> {
  const today = shanghaiDate(ctx.now());
  let base = ctx.db.selectFrom('agencies').where('city_code', '=', ctx.actor.cityCode);
  if (q.q) {
    const p = likeContains(q.q);
    base = base.where(sql<boolean>`(name like ${p} escape '\\' or uscc like ${p} escape '\\')`);
  }
  if (q.serviceType) base = base.where('service_types_json', 'like', `%"${q.serviceType}"%`);
  if (q.listed !== undefined) base = base.where('listed', q.listed ? '>' : '=', 0);
  if (q.qualification) {
    const { expiryWarningDays } = await agencyWatch(ctx.db, ctx.actor.cityCode, today);
    const soon = addDays(today, expiryWarningDays);
    const any = (cond: ReturnType<typeof sql>) => sql<boolean>`exists (select 1 from agency_qualifications q where q.agency_id = agencies.id and ${cond})`;
    const expired = any(sql`q.expires_on < ${today}`);
    const due = any(sql`q.expires_on <= ${soon}`);
    if (q.qualification === 'expired') base = base.where(expired);
    else if (q.qualification === 'expiring') base = base.where(sql<boolean>`(${due} and not ${expired})`);
    else base = base.where(sql<boolean>`(${any(sql`1 = 1`)} and not ${due})`);
  }
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base.selectAll().orderBy('name').orderBy('id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const standing = await agencyStandings(ctx.db, ctx.actor.cityCode, rows.map((r) => r.id), today);
  return { items: rows.map((r) => present(r, standing.get(r.id)!)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

export async function agencyDetail(ctx: ActorCtx, id: string): Promise<AgencyDetail> {
  const r = await findAgency(ctx.db, ctx.actor.cityCode, id);
  if (!r) throw notFound('第三方服务机构', 'agency');
  const today = shanghaiDate(ctx.now());
  const { contradictionDays, expiryWarningDays } = await agencyWatch(ctx.db, ctx.actor.cityCode, today);
  const quals: QualificationRow[] = await ctx.db.selectFrom('agency_qualifications').selectAll().where('agency_id', '=', id).orderBy('seq').execute();
  const staff = await ctx.db.selectFrom('agency_staff').selectAll().where('agency_id', '=', id).orderBy('seq').execute();
  const listings = await ctx.db
    .selectFrom('agency_listings as l')
    .leftJoin('users as u', 'u.id', 'l.listed_by')
    .select(['l.id', 'l.district_code', 'l.department_id', 'l.reason', 'l.listed_at', 'l.lifted_at', 'l.lift_reason', 'u.display_name'])
    .where('l.agency_id', '=', id)
    .orderBy('l.listed_at', 'desc')
    .execute();
  const office = await officeNames(ctx.db, listings);
  const records = await ctx.db.selectFrom('agency_records').selectAll().where('agency_id', '=', id).orderBy('occurred_on', 'desc').orderBy('id').execute();
  const reports = await ctx.db
    .selectFrom('agency_engagements as e')
    .innerJoin('enterprises as ent', 'ent.id', 'e.enterprise_id')
    .select(['e.id', 'e.code', 'e.enterprise_id', 'e.service_type', 'e.concluded_on', 'e.major_findings', 'e.city_code', 'e.district_code', 'e.street_code', 'e.industry_code', 'ent.name'])
    .where('e.agency_id', '=', id)
    .where('e.status', '=', 'concluded')
    .execute();
  const found = await findContradictions(ctx.db, reports.map((e) => ({ id: e.id, enterpriseId: e.enterprise_id, serviceType: e.service_type as ServiceType, concludedOn: e.concluded_on, majorFindings: e.major_findings })), contradictionDays);
  const byId = new Map(reports.map((e) => [e.id, e]));
  // The record's figures are the city's; which enterprise and which hazard only for those who may see them.
  const visible = found.filter((c) => {
    const e = byId.get(c.engagementId)!;
    return rowInScope(ctx.actor, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.enterprise_id });
  });
  const standing = (await agencyStandings(ctx.db, ctx.actor.cityCode, [id], today)).get(id)!;
  return {
    ...present(r, standing),
    address: r.address,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    qualifications: quals.map((q) => ({ name: q.name, issuer: q.issuer, number: q.number, validFrom: q.valid_from, expiresOn: q.expires_on, state: qualificationState(q.expires_on, today, expiryWarningDays) })),
    staff: staff.map((s) => ({ name: s.name, certificate: s.certificate, certificateNo: s.certificate_no, certificateExpiresOn: s.certificate_expires_on, expired: !!s.certificate_expires_on && s.certificate_expires_on < today })),
    listings: listings.map((l) => ({ id: l.id, districtCode: l.district_code, officeName: office(l), reason: l.reason, listedAt: l.listed_at, listedByName: l.display_name ?? null, liftedAt: l.lifted_at, liftReason: l.lift_reason, mayLift: !l.lifted_at && managesAgencies(ctx.actor) && keepsOfficeRecord(ctx.actor, l) })),
    records: records.map((x) => ({ id: x.id, kind: x.kind, occurredOn: x.occurred_on, summary: x.summary, districtCode: x.district_code, recordedAt: x.recorded_at })),
    complaints: records.filter((x) => x.kind === 'complaint').length,
    penalties: records.filter((x) => x.kind === 'penalty').length,
    contradictedCount: found.length,
    contradicted: visible.map((c) => {
      const e = byId.get(c.engagementId)!;
      return { engagementId: e.id, engagementCode: e.code, enterpriseName: e.name, concludedOn: e.concluded_on!, hazardId: c.hazardId, hazardCode: c.hazardCode, foundOn: c.foundOn };
    }),
    contradictionDays,
    mayEdit: managesAgencies(ctx.actor) && keepsOfficeRecord(ctx.actor, r),
    mayList: managesAgencies(ctx.actor),
  };
}

function checkUscc(uscc: string) {
  if (!isValidUscc(uscc)) throw fieldError('INVALID_USCC', 'uscc', '统一社会信用代码校验位不正确，请核对', 'The credit code’s check character is wrong');
}

const qualificationRows = (agencyId: string, list: z.output<typeof AgencyInput>['qualifications']) =>
  list.map((q, seq) => ({ id: uuidv7(), agency_id: agencyId, seq, name: q.name, issuer: q.issuer, number: q.number, valid_from: q.validFrom ?? null, expires_on: q.expiresOn }));
const staffRows = (agencyId: string, list: z.output<typeof AgencyInput>['staff']) =>
  list.map((s, seq) => ({ id: uuidv7(), agency_id: agencyId, seq, name: s.name, certificate: s.certificate, certificate_no: s.certificateNo, certificate_expires_on: s.certificateExpiresOn ?? null }));

async function insertInChunks<T extends 'agency_qualifications' | 'agency_staff'>(db: Kysely<DB>, table: T, rows: any[]) {
  for (let i = 0; i < rows.length; i += 100) await db.insertInto(table).values(rows.slice(i, i + 100)).execute();
}

export async function createAgency(ctx: ActorCtx, body: z.output<typeof AgencyInput>): Promise<AgencyDetail> {
  if (!managesAgencies(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能登记第三方服务机构', 'Your role cannot register agencies');
  const office = officeFor(ctx.actor, body);
  if (!office) throw new AppError('FORBIDDEN', '只能登记到本区的机构名录', 'You keep your own district’s entries');
  checkUscc(body.uscc);
  return transact(ctx, async (tx) => {
    const taken = await tx.db.selectFrom('agencies').select('name').where('city_code', '=', ctx.actor.cityCode).where('uscc', '=', body.uscc).executeTakeFirst();
    if (taken) throw fieldError('DUPLICATE_USCC', 'uscc', `该统一社会信用代码已登记（${taken.name}）`, 'This credit code is registered already');
    const at = ctx.now().toISOString();
    const id = uuidv7();
    await tx.db
      .insertInto('agencies')
      .values({
        id,
        city_code: ctx.actor.cityCode,
        ...office,
        name: body.name,
        uscc: body.uscc,
        service_types_json: JSON.stringify([...new Set(body.serviceTypes)]),
        approved_by: body.approvedBy,
        supervised_by: body.supervisedBy ?? null,
        address: body.address ?? null,
        contact_name: body.contactName ?? null,
        contact_phone: body.contactPhone ?? null,
        engagements: 0,
        findings: 0,
        major_findings: 0,
        listed: 0,
        version: 1,
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await insertInChunks(tx.db, 'agency_qualifications', qualificationRows(id, body.qualifications));
    await insertInChunks(tx.db, 'agency_staff', staffRows(id, body.staff));
    await audit(tx, { action: 'agency.registered', entityType: 'agency', entityId: id, districtCode: office.district_code, after: { name: body.name, uscc: body.uscc, serviceTypes: body.serviceTypes, approvedBy: body.approvedBy, qualifications: body.qualifications.length, staff: body.staff.length } });
    return agencyDetail(tx, id);
  });
}

export async function patchAgency(ctx: ActorCtx, id: string, body: z.output<typeof AgencyPatch>): Promise<AgencyDetail> {
  return transact(ctx, async (tx) => {
    const r = await findAgency(tx.db, ctx.actor.cityCode, id);
    if (!r) throw notFound('第三方服务机构', 'agency');
    if (!managesAgencies(ctx.actor) || !keepsOfficeRecord(ctx.actor, r)) throw new AppError('FORBIDDEN', '该机构由其他单位登记维护', 'Another office keeps this entry');
    const u = await tx.db
      .updateTable('agencies')
      .set({
        name: body.name ?? r.name,
        service_types_json: body.serviceTypes ? JSON.stringify([...new Set(body.serviceTypes)]) : r.service_types_json,
        approved_by: body.approvedBy ?? r.approved_by,
        supervised_by: body.supervisedBy === undefined ? r.supervised_by : body.supervisedBy,
        address: body.address === undefined ? r.address : body.address,
        contact_name: body.contactName === undefined ? r.contact_name : body.contactName,
        contact_phone: body.contactPhone === undefined ? r.contact_phone : body.contactPhone,
        version: r.version + 1,
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', id)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '机构信息已被他人修改，请刷新后重试', 'The entry was changed by someone else');
    const before: Record<string, unknown> = { name: r.name, serviceTypes: JSON.parse(r.service_types_json), approvedBy: r.approved_by };
    if (body.qualifications) {
      before.qualifications = await tx.db.selectFrom('agency_qualifications').select(['name', 'number', 'expires_on']).where('agency_id', '=', id).orderBy('seq').execute();
      await tx.db.deleteFrom('agency_qualifications').where('agency_id', '=', id).execute();
      await insertInChunks(tx.db, 'agency_qualifications', qualificationRows(id, body.qualifications));
    }
    if (body.staff) {
      await tx.db.deleteFrom('agency_staff').where('agency_id', '=', id).execute();
      await insertInChunks(tx.db, 'agency_staff', staffRows(id, body.staff));
    }
    const { version: _v, ...after } = body;
    await audit(tx, { action: 'agency.updated', entityType: 'agency', entityId: id, districtCode: r.district_code, before, after: { ...after, staff: body.staff?.length } });
    return agencyDetail(tx, id);
  });
}

/** 列入失信名单: an office lists an agency, once while in force, with the facts behind it. */
export async function listAgency(ctx: ActorCtx, id: string, body: z.output<typeof ListingInput>): Promise<AgencyDetail> {
  if (!managesAgencies(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能将机构列入失信名单', 'Your role cannot list agencies');
  const office = officeFor(ctx.actor, {})!;
  return transact(ctx, async (tx) => {
    const r = await findAgency(tx.db, ctx.actor.cityCode, id);
    if (!r) throw notFound('第三方服务机构', 'agency');
    let open = tx.db.selectFrom('agency_listings').select('id').where('agency_id', '=', id).where('lifted_at', 'is', null);
    open = office.department_id ? open.where('department_id', '=', office.department_id) : open.where('department_id', 'is', null);
    open = office.district_code ? open.where('district_code', '=', office.district_code) : open.where('district_code', 'is', null);
    // Take the agency's row first, so two listings sent at once cannot both pass the check below.
    await tx.db.updateTable('agencies').set({ listed: sql`listed` }).where('id', '=', id).execute();
    if (await open.executeTakeFirst()) throw new AppError('DUPLICATE', '本单位已将该机构列入失信名单', 'Your office has listed this agency already');
    const row = { id: uuidv7(), agency_id: id, city_code: ctx.actor.cityCode, ...office, reason: body.reason, listed_by: ctx.actor.userId, listed_at: ctx.now().toISOString(), lifted_by: null, lifted_at: null, lift_reason: null };
    await tx.db.insertInto('agency_listings').values(row).execute();
    await tx.db.updateTable('agencies').set((eb) => ({ listed: eb('listed', '+', 1), version: eb('version', '+', 1) })).where('id', '=', id).execute();
    await audit(tx, { action: 'agency.listed', entityType: 'agency', entityId: id, districtCode: office.district_code, after: { listingId: row.id, reason: body.reason } });
    return agencyDetail(tx, id);
  });
}

/** 移出失信名单: the office that listed the agency lifts its listing, saying why. */
export async function liftListing(ctx: ActorCtx, id: string, listingId: string, body: z.output<typeof LiftInput>): Promise<AgencyDetail> {
  return transact(ctx, async (tx) => {
    const l = await tx.db.selectFrom('agency_listings').selectAll().where('id', '=', listingId).where('agency_id', '=', id).where('city_code', '=', ctx.actor.cityCode).executeTakeFirst();
    if (!l) throw notFound('失信名单记录', 'listing');
    if (!managesAgencies(ctx.actor) || !keepsOfficeRecord(ctx.actor, l)) throw new AppError('FORBIDDEN', '只有列入该机构的单位可以将其移出', 'The office that listed it lifts it');
    const u = await tx.db.updateTable('agency_listings').set({ lifted_by: ctx.actor.userId, lifted_at: ctx.now().toISOString(), lift_reason: body.reason }).where('id', '=', listingId).where('lifted_at', 'is', null).executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) throw new AppError('INVALID_TRANSITION', '该失信记录已移出', 'This listing was lifted already');
    await tx.db.updateTable('agencies').set((eb) => ({ listed: eb('listed', '-', 1), version: eb('version', '+', 1) })).where('id', '=', id).execute();
    await audit(tx, { action: 'agency.listing_lifted', entityType: 'agency', entityId: id, districtCode: l.district_code, before: { listingId, reason: l.reason }, after: { liftReason: body.reason } });
    return agencyDetail(tx, id);
  });
}

/** 投诉 / 处罚: an office records either; an enterprise complains about an agency it engaged. */
export async function addAgencyRecord(ctx: ActorCtx, id: string, body: z.output<typeof RecordInput>): Promise<AgencyDetail> {
  const a = ctx.actor;
  if (a.role === 'enterprise') {
    if (body.kind !== 'complaint') throw new AppError('FORBIDDEN', '企业可以投诉机构，行政处罚由监管部门登记', 'Enterprises complain; offices record penalties');
  } else if (!managesAgencies(a)) throw new AppError('FORBIDDEN', '当前角色不能登记投诉或处罚', 'Your role cannot record complaints or penalties');
  return transact(ctx, async (tx) => {
    const r = await findAgency(tx.db, a.cityCode, id);
    if (!r) throw notFound('第三方服务机构', 'agency');
    const entId = a.role === 'enterprise' ? a.enterpriseId : body.enterpriseId;
    const ent = entId ? await findEnterprise(tx.db, a, entId) : undefined;
    if (entId && !ent) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or not in your scope');
    if (a.role === 'enterprise' && !(await tx.db.selectFrom('agency_engagements').select('id').where('agency_id', '=', id).where('enterprise_id', '=', entId!).executeTakeFirst())) {
      throw new AppError('FORBIDDEN', '只能投诉本企业委托过的机构', 'You complain about agencies you engaged');
    }
    if (body.occurredOn > shanghaiDate(ctx.now())) throw fieldError('VALIDATION_FAILED', 'occurredOn', '日期不能晚于今天', 'The date cannot be in the future');
    const row = { id: uuidv7(), agency_id: id, kind: body.kind, occurred_on: body.occurredOn, summary: body.summary, district_code: ent?.district_code ?? a.districtCode, enterprise_id: ent?.id ?? null, recorded_by: a.userId, recorded_at: ctx.now().toISOString() };
    await tx.db.insertInto('agency_records').values(row).execute();
    await audit(tx, { action: `agency.${body.kind}`, entityType: 'agency', entityId: id, districtCode: row.district_code, after: { recordId: row.id, occurredOn: body.occurredOn, summary: body.summary } });
    return agencyDetail(tx, id);
  });
}
