import { sql, type Kysely, type SqlBool } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { EnterpriseQuery } from '../../../shared/contracts/enterprises';
import { enterpriseTextMatch, type DialectName } from '../../db/dialect';
import type { DB, EnterpriseRow, EnterpriseUpdate, NewEnterpriseRow } from '../../db/schema';
import { scopeWhere, type Actor } from '../../scope/scope';

const SCOPE_COLUMNS = {
  city: 'enterprises.city_code',
  district: 'enterprises.district_code',
  street: 'enterprises.street_code',
  industry: 'enterprises.industry_code',
  enterpriseId: 'enterprises.id',
};

export type EnterpriseView = EnterpriseRow & { district_name: string | null; street_name: string | null; industry_name: string | null };

/** Enterprises the actor may see: every module's enterprise query starts here. */
export function scopedEnterprises(db: Kysely<DB>, actor: Actor) {
  return db.selectFrom('enterprises').where(scopeWhere<DB, 'enterprises'>(actor, SCOPE_COLUMNS));
}

function withNames<T extends ReturnType<typeof scopedEnterprises>>(q: T) {
  return q
    .leftJoin('regions as d', 'd.code', 'enterprises.district_code')
    .leftJoin('regions as s', 's.code', 'enterprises.street_code')
    .leftJoin('industries as i', 'i.code', 'enterprises.industry_code')
    .selectAll('enterprises')
    .select(['d.name as district_name', 's.name as street_name', 'i.name as industry_name']);
}

export async function listEnterprises(
  db: Kysely<DB>,
  dialect: DialectName,
  actor: Actor,
  f: EnterpriseQuery,
  /** Keyset position for walking a whole result: rows strictly after it in the sort order; no total is counted. */
  after?: { k: string; id: string; byName: boolean; dir: 'asc' | 'desc' },
): Promise<{ rows: EnterpriseView[]; total: number }> {
  let q = scopedEnterprises(db, actor);
  if (f.districtCode) q = q.where('enterprises.district_code', '=', f.districtCode);
  if (f.streetCode) q = q.where('enterprises.street_code', '=', f.streetCode);
  if (f.industryCode) {
    const code = f.industryCode;
    q = /^[A-T]$/.test(code)
      ? q.where('enterprises.industry_code', 'in', (eb) => eb.selectFrom('industries').select('code').where('parent_code', '=', code))
      : q.where('enterprises.industry_code', '=', code);
  }
  if (f.riskClass) q = q.where('enterprises.risk_class', '=', f.riskClass);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => enterpriseTextMatch(dialect, eb, text));
  }
  if (after) {
    const cmp = after.dir === 'desc' ? sql`<` : sql`>`;
    q = after.byName
      ? q.where(sql<SqlBool>`(enterprises.name, enterprises.id) ${cmp} (${after.k}, ${after.id})`)
      : q.where(sql<SqlBool>`enterprises.id ${cmp} ${after.id}`);
  }
  const n = after ? 0 : (await q.select((eb) => eb.fn.countAll<number>().as('n')).execute())[0].n;
  let page = withNames(q);
  switch (f.sort) {
    case 'name':
      page = page.orderBy('enterprises.name').orderBy('enterprises.id');
      break;
    case '-name':
      page = page.orderBy('enterprises.name', 'desc').orderBy('enterprises.id', 'desc');
      break;
    case 'createdAt':
      page = page.orderBy('enterprises.id');
      break;
    default:
      page = page.orderBy('enterprises.id', 'desc');
  }
  const rows = await page.limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows: rows as EnterpriseView[], total: Number(n) };
}

export async function findEnterprise(db: Kysely<DB>, actor: Actor, id: string): Promise<EnterpriseView | undefined> {
  return (await withNames(scopedEnterprises(db, actor).where('enterprises.id', '=', id)).executeTakeFirst()) as EnterpriseView | undefined;
}

export async function usccTaken(db: Kysely<DB>, uscc: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('enterprises').select('id').where('uscc', '=', uscc);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

/** What a new registry row is made from; what is not said takes the defaults (general risk, not standardised, no phones or coordinates). */
export interface NewEnterpriseFields {
  uscc: string;
  name: string;
  address: string;
  districtCode: string;
  streetCode: string | null;
  industryCode: string;
  principalName: string;
  principalPhone?: string | null;
  safetyManagerName?: string | null;
  safetyManagerPhone?: string | null;
  riskClass?: NewEnterpriseRow['risk_class'] | null;
  standardizationLevel?: NewEnterpriseRow['standardization_level'] | null;
  lng?: number | null;
  lat?: number | null;
}

/** A new registry row (the registry's form and the imports make it the same way). */
export function newEnterpriseRow(actor: Actor, now: string, f: NewEnterpriseFields): DB['enterprises'] {
  return {
    id: uuidv7(),
    city_code: actor.cityCode,
    district_code: f.districtCode,
    street_code: f.streetCode,
    uscc: f.uscc,
    name: f.name,
    address: f.address,
    industry_code: f.industryCode,
    principal_name: f.principalName,
    principal_phone: f.principalPhone ?? null,
    safety_manager_name: f.safetyManagerName ?? null,
    safety_manager_phone: f.safetyManagerPhone ?? null,
    risk_class: f.riskClass ?? 'general',
    standardization_level: f.standardizationLevel ?? 'none',
    lng: f.lng ?? null,
    lat: f.lat ?? null,
    version: 1,
    created_at: now,
    updated_at: now,
    created_by: actor.userId,
  };
}

export async function insertEnterprises(db: Kysely<DB>, rows: NewEnterpriseRow[]): Promise<void> {
  if (rows.length) await db.insertInto('enterprises').values(rows).execute();
}

/** Updates when the stored version still matches; answers whether it did. */
export async function updateEnterprise(db: Kysely<DB>, id: string, version: number, changes: EnterpriseUpdate): Promise<boolean> {
  const r = await db
    .updateTable('enterprises')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Walks every enterprise the filters select, in the requested order, a batch at a time (keyset on
 * the sort key and id), for exports of any size.
 */
export async function walkEnterprises(db: Kysely<DB>, dialect: DialectName, actor: Actor, f: EnterpriseQuery, batch: number, onBatch: (rows: EnterpriseView[]) => Promise<void>): Promise<number> {
  const byName = f.sort === 'name' || f.sort === '-name';
  const dir = f.sort === 'name' || f.sort === 'createdAt' ? 'asc' : 'desc';
  let after: { k: string; id: string } | null = null;
  let total = 0;
  for (;;) {
    const { rows } = await listEnterprises(db, dialect, actor, { ...f, page: 1, pageSize: batch }, after ? { ...after, byName, dir } : undefined);
    if (!rows.length) return total;
    await onBatch(rows);
    total += rows.length;
    const last = rows[rows.length - 1];
    after = { k: byName ? last.name : last.id, id: last.id };
    await new Promise((resolve) => setImmediate(resolve));
  }
}
