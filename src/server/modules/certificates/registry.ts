/**
 * 证书台账 (#20): certificates of an enterprise's people, recorded by the enterprise or an office in
 * scope. The holder's ID number is checked (GB 11643), sealed with the context `certificates:<id>`
 * and never answered, listed, exported, logged or audited: only its mask. A certificate recorded
 * already expired for a declared operation puts its hazard on the ledger at once; a valid one closes
 * the holder's lapse hazards; both in the recording transaction.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { maskIdNumber, maskIdsIn, type Certificate, type CertificateInput, type CertificateQuery, type EnterpriseOperations, type OperationsInput } from '../../../shared/contracts/certificates';
import type { ListResult } from '../../../shared/contracts/common';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import { addDays, shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { seal, type KeyRing } from '../../crypto/sealed';
import { containsText, forWrite } from '../../db/dialect';
import type { CertificateRow, DB } from '../../db/schema';
import { AppError, fieldError, forbidden } from '../../errors/app-error';
import { ruleValue } from '../../rules/rules';
import { canEditEnterprise, certificateScopeWhere, recordsCertificates, rowInScope } from '../../scope/scope';
import { findEnterprise } from '../enterprises/repository';
import { closeRenewed, recordLapses } from './lapses';
import { CERTIFICATE_WATCH, SPECIAL_OPERATIONS } from './rules';

const COLS = { city: 'c.city_code', district: 'c.district_code', street: 'c.street_code', industry: 'c.industry_code', enterpriseId: 'c.enterprise_id' };
export const sealContext = (id: string) => `certificates:${id}:id_number`;

function scoped(ctx: ActorCtx) {
  return ctx.db.selectFrom('certificates as c').innerJoin('enterprises as e', 'e.id', 'c.enterprise_id').where(certificateScopeWhere<DB, 'certificates'>(ctx.actor, COLS) as never);
}

type Row = CertificateRow & { enterprise_name: string; lapse_hazard_id: string | null; renewed: number };

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function present(r: Row, today: string, warningDays: number, ops: Map<string, string>): Certificate {
  const daysLeft = daysBetween(today, r.valid_to);
  const state = r.valid_from > today ? 'not_yet' : daysLeft < 0 ? 'expired' : daysLeft <= warningDays ? 'expiring' : 'valid';
  return {
    id: r.id,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    districtCode: r.district_code,
    kind: r.kind,
    operation: r.operation,
    operationName: r.operation ? (ops.get(r.operation) ?? r.operation) : null,
    holderName: r.holder_name,
    idNumberMasked: r.id_mask,
    number: r.number,
    issuer: r.issuer,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    state,
    daysLeft,
    renewed: !!Number(r.renewed),
    lapseHazardId: r.lapse_hazard_id,
    createdAt: r.created_at,
  };
}

function withFacts(ctx: ActorCtx, today: string) {
  return scoped(ctx)
    .leftJoin('certificate_lapses as l', 'l.certificate_id', 'c.id')
    .selectAll('c')
    .select(['e.name as enterprise_name', 'l.hazard_id as lapse_hazard_id'])
    .select(
      sql<number>`case when exists (select 1 from certificates r where r.enterprise_id = c.enterprise_id and r.kind = c.kind and coalesce(r.operation, '') = coalesce(c.operation, '') and r.holder_name = c.holder_name and r.id_mask = c.id_mask and r.id <> c.id and r.valid_to > c.valid_to and r.valid_from <= ${today}) then 1 else 0 end`.as('renewed'),
    );
}

async function presenter(ctx: ActorCtx, today: string) {
  const warn = (await ruleValue(ctx.db, ctx.actor.cityCode, CERTIFICATE_WATCH, today)).expiryWarningDays;
  const ops = new Map((await ruleValue(ctx.db, ctx.actor.cityCode, SPECIAL_OPERATIONS, today)).map((o) => [o.code, o.name]));
  return (r: Row) => present(r, today, warn, ops);
}

export async function listCertificates(ctx: ActorCtx, q: z.output<typeof CertificateQuery>): Promise<ListResult<Certificate>> {
  const today = shanghaiDate(ctx.now());
  let b = withFacts(ctx, today);
  if (q.enterpriseId) b = b.where('c.enterprise_id', '=', q.enterpriseId);
  if (q.districtCode) b = b.where('c.district_code', '=', q.districtCode);
  if (q.kind) b = b.where('c.kind', '=', q.kind);
  if (q.operation) b = b.where('c.operation', '=', q.operation);
  if (q.expiring) b = b.where('c.valid_from', '<=', today).where('c.valid_to', '>=', today).where('c.valid_to', '<=', addDays(today, q.expiring));
  if (q.expired !== undefined) {
    const expired = sql<boolean>`(c.valid_to < ${today} and not exists (select 1 from certificates r where r.enterprise_id = c.enterprise_id and r.kind = c.kind and coalesce(r.operation, '') = coalesce(c.operation, '') and r.holder_name = c.holder_name and r.id_mask = c.id_mask and r.id <> c.id and r.valid_to > c.valid_to and r.valid_from <= ${today}))`;
    b = b.where(q.expired ? expired : sql<boolean>`not ${expired}`);
  }
  if (q.q) b = b.where((eb) => eb.or([containsText(ctx.dialect, 'c.holder_name', q.q!), containsText(ctx.dialect, 'c.number', q.q!), containsText(ctx.dialect, 'e.name', q.q!)]));
  const [{ n }] = await b.clearSelect().select(sql<number>`count(*)`.as('n')).execute();
  const rows = (await b.orderBy('c.valid_to').orderBy('c.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute()) as Row[];
  const p = await presenter(ctx, today);
  return { items: rows.map(p), total: Number(n), page: q.page, pageSize: q.pageSize };
}

export async function getCertificate(ctx: ActorCtx, id: string): Promise<Certificate> {
  const today = shanghaiDate(ctx.now());
  const r = (await withFacts(ctx, today).where('c.id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '证书不存在或无权访问', 'The certificate does not exist or is not accessible');
  return (await presenter(ctx, today))(r);
}

async function enterpriseFor(ctx: ActorCtx, id: string, path = 'enterpriseId') {
  const e = await findEnterprise(ctx.db, ctx.actor, id);
  if (!e) {
    throw fieldError('UNKNOWN_ENTERPRISE', path, '企业不存在或不在您的管辖范围内', 'Unknown enterprise, or outside your scope');
  }
  return e;
}

/** 录入证书. */
export async function recordCertificate(ctx: ActorCtx, keys: KeyRing, body: z.output<typeof CertificateInput>): Promise<Certificate & { hazardsOpened: string[]; hazardsClosed: string[] }> {
  if (!recordsCertificates(ctx.actor)) throw forbidden('证书由企业或属地、行业监管人员录入', 'Certificates are recorded by the enterprise or its offices');
  const e = await enterpriseFor(ctx, body.enterpriseId);
  const today = shanghaiDate(ctx.now());
  if (body.validTo < body.validFrom) throw fieldError('VALIDATION_FAILED', 'validTo', '有效期截止日不能早于起始日', 'Valid-to is before valid-from');
  if (body.validFrom > addDays(today, 366)) throw fieldError('VALIDATION_FAILED', 'validFrom', '有效期起始日不能晚于一年后', 'Valid-from is too far ahead');
  const ops = await ruleValue(ctx.db, ctx.actor.cityCode, SPECIAL_OPERATIONS, today);
  if (body.kind === 'special_operation') {
    if (!body.operation) throw fieldError('VALIDATION_FAILED', 'operation', '特种作业操作证须选择作业类别', 'Choose the special operation');
    if (!ops.some((o) => o.code === body.operation)) throw fieldError('VALIDATION_FAILED', 'operation', `未知的作业类别：${body.operation}`, 'Unknown special operation');
  } else if (body.operation) {
    throw fieldError('VALIDATION_FAILED', 'operation', '只有特种作业操作证填写作业类别', 'Only special operation certificates name an operation');
  }
  const id = uuidv7();
  const sealed = seal(keys, body.idNumber, sealContext(id));
  const result = await transact(ctx, async (tx) => {
    const now = tx.now().toISOString();
    // The enterprise's row held (PostgreSQL) so the daily watch and this record see each other's lapses and renewals.
    await forWrite(tx.dialect, tx.db.selectFrom('enterprises').select('id').where('id', '=', e.id)).executeTakeFirst();
    const mask = maskIdNumber(body.idNumber);
    const taken = await tx.db
      .selectFrom('certificates')
      .select('id')
      .where('enterprise_id', '=', e.id)
      .where('kind', '=', body.kind)
      .where('holder_name', '=', body.holderName)
      .where('id_mask', '=', mask)
      .where('operation', body.operation ? '=' : 'is', body.operation ?? null)
      .where('valid_from', '=', body.validFrom)
      .where('valid_to', '=', body.validTo)
      .executeTakeFirst();
    if (taken) throw fieldError('DUPLICATE', 'number', '该人员的这份证书（同一有效期）已登记', 'This certificate is already recorded');
    const row: CertificateRow = {
      id,
      city_code: e.city_code,
      district_code: e.district_code,
      street_code: e.street_code,
      industry_code: e.industry_code,
      enterprise_id: e.id,
      kind: body.kind,
      operation: body.operation ?? null,
      holder_name: body.holderName,
      id_mask: mask,
      id_key_id: sealed.keyId,
      id_sealed: sealed.sealed,
      // An ID number inside the certificate number is kept only masked (the holder's own is sealed apart).
      number: maskIdsIn(body.number),
      issuer: body.issuer,
      valid_from: body.validFrom,
      valid_to: body.validTo,
      created_by: tx.actor.userId || null,
      created_at: now,
    };
    await tx.db.insertInto('certificates').values(row).execute();
    // A valid special operator's certificate says the enterprise carries out that operation: declared with it (an expired one only records history).
    if (body.operation && body.validTo >= today) await tx.db.insertInto('enterprise_operations').values({ enterprise_id: e.id, operation: body.operation, declared_by: tx.actor.userId || null, declared_at: now }).onConflict((oc) => oc.columns(['enterprise_id', 'operation']).doNothing()).execute();
    await audit(tx, { action: 'certificate.recorded', entityType: 'certificate', entityId: id, districtCode: e.district_code, after: { enterpriseId: e.id, kind: body.kind, operation: body.operation ?? null, holderName: body.holderName, idNumber: row.id_mask, number: row.number, validFrom: body.validFrom, validTo: body.validTo } });
    const hazardsClosed = await closeRenewed(tx, row, today);
    const hazardsOpened = await recordLapses(tx, e.id, today);
    return { hazardsOpened, hazardsClosed };
  });
  return { ...(await getCertificate(ctx, id)), ...result };
}

/** The special operations an enterprise declares, with how many of its holders are valid and lapsed. */
export async function enterpriseOperations(ctx: ActorCtx, enterpriseId: string): Promise<z.infer<typeof EnterpriseOperations>> {
  if (ctx.actor.role === 'expert') throw new AppError('NOT_FOUND', '企业不存在或无权访问', 'Not accessible');
  await enterpriseFor(ctx, enterpriseId, 'id');
  const today = shanghaiDate(ctx.now());
  const names = new Map((await ruleValue(ctx.db, ctx.actor.cityCode, SPECIAL_OPERATIONS, today)).map((o) => [o.code, o.name]));
  const rows = await ctx.db.selectFrom('enterprise_operations').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('operation').execute();
  const counts = await ctx.db
    .selectFrom('certificates')
    .select(['operation', sql<number>`sum(case when valid_from <= ${today} and valid_to >= ${today} then 1 else 0 end)`.as('valid')])
    .where('enterprise_id', '=', enterpriseId)
    .where('kind', '=', 'special_operation')
    .groupBy('operation')
    .execute();
  const lapsed = await ctx.db
    .selectFrom('certificate_lapses as l')
    .innerJoin('certificates as c', 'c.id', 'l.certificate_id')
    .innerJoin('hazards as h', 'h.id', 'l.hazard_id')
    .select(['c.operation', sql<number>`count(*)`.as('n')])
    .where('l.enterprise_id', '=', enterpriseId)
    .where('h.status', 'in', [...OPEN_STATUSES])
    .groupBy('c.operation')
    .execute();
  return {
    enterpriseId,
    operations: rows.map((r) => ({
      code: r.operation,
      name: names.get(r.operation) ?? r.operation,
      declaredAt: r.declared_at,
      validHolders: Number(counts.find((c) => c.operation === r.operation)?.valid ?? 0),
      lapsed: Number(lapsed.find((c) => c.operation === r.operation)?.n ?? 0),
    })),
  };
}

/** 申报特种作业: the whole list; a newly declared operation's lapsed certificates go onto the ledger at once. A withdrawn one leaves its open hazards open. */
export async function declareOperations(ctx: ActorCtx, enterpriseId: string, body: z.output<typeof OperationsInput>) {
  const e = await enterpriseFor(ctx, enterpriseId, 'id');
  if (!canEditEnterprise(ctx.actor, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.id })) throw forbidden('由企业本身或属地、行业监管人员申报特种作业', 'Declared by the enterprise or its offices');
  const today = shanghaiDate(ctx.now());
  const known = new Set((await ruleValue(ctx.db, ctx.actor.cityCode, SPECIAL_OPERATIONS, today)).map((o) => o.code));
  const k = body.operations.findIndex((o) => !known.has(o));
  if (k >= 0) throw fieldError('VALIDATION_FAILED', `operations.${k}`, `未知的作业类别：${body.operations[k]}`, 'Unknown special operation');
  const want = [...new Set(body.operations)].sort();
  await transact(ctx, async (tx) => {
    const was = (await tx.db.selectFrom('enterprise_operations').select('operation').where('enterprise_id', '=', enterpriseId).execute()).map((r) => r.operation).sort();
    if (was.join() === want.join()) return;
    const now = tx.now().toISOString();
    await tx.db.deleteFrom('enterprise_operations').where('enterprise_id', '=', enterpriseId).execute();
    if (want.length) await tx.db.insertInto('enterprise_operations').values(want.map((o) => ({ enterprise_id: enterpriseId, operation: o, declared_by: tx.actor.userId || null, declared_at: now }))).execute();
    await audit(tx, { action: 'enterprise.operations', entityType: 'enterprise', entityId: enterpriseId, districtCode: e.district_code, before: { operations: was }, after: { operations: want } });
    await recordLapses(tx, enterpriseId, today);
  });
  return enterpriseOperations(ctx, enterpriseId);
}

export async function operationCatalogue(ctx: ActorCtx) {
  const today = shanghaiDate(ctx.now());
  return { items: await ruleValue(ctx.db, ctx.actor.cityCode, SPECIAL_OPERATIONS, today), source: SPECIAL_OPERATIONS.defaultSource };
}
