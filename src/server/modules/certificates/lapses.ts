/**
 * 无证上岗 as a hazard (#20): an enterprise that declares a special operation and holds, for one of its
 * workers, only an expired certificate of it gets a hazard on its ledger — source 系统核验, the
 * certificate its origin, once per certificate (the lapse row's key) — major where the enterprise's
 * judgement standard names uncertified special operators (工贸 第三条第（二）项, 化工 二, …) and cites
 * that clause, general elsewhere. Recording a valid certificate of the same holder and operation
 * closes it (a platform step, `resolve`). Runs in the caller's transaction.
 */
import { sql, type SqlBool } from 'kysely';
import { forWrite } from '../../db/dialect';
import type { ActorCtx } from '../../context';
import type { CertificateRow } from '../../db/schema';
import { platformActor } from '../../scope/scope';
import { reportHazard, resolveSystemHazard } from '../hazards/commands';
import { standardsFor } from '../standards/suggestions';
import { ruleValue } from '../../rules/rules';
import { SPECIAL_OPERATIONS } from './rules';

export const CERTIFICATE_ORIGIN = 'certificate';

/** What makes two certificates the same operator's of the same kind and operation (the holder by name and masked number). */
const HOLDER_KEY = ['enterprise_id', 'kind', 'operation', 'holder_name', 'id_mask'] as const;
/** `a` and `b` (table aliases) are certificates of the same holder, kind and operation. */
const sameHolder = (a: string, b: string) => sql<SqlBool>`(${sql.join(HOLDER_KEY.map((col) => sql`${sql.ref(`${a}.${col}`)} = ${sql.ref(`${b}.${col}`)}`), sql` and `)})`;

/** The same holder's (name and masked number) valid certificate of the same kind and operation, as of `today`. */
const renewal = (c: Pick<CertificateRow, 'id' | 'enterprise_id' | 'kind' | 'operation' | 'holder_name' | 'id_mask'>, today: string) =>
  sql<boolean>`exists (select 1 from certificates r where r.enterprise_id = ${c.enterprise_id} and r.kind = ${c.kind} and r.operation = ${c.operation ?? ''} and r.holder_name = ${c.holder_name} and r.id_mask = ${c.id_mask} and r.id <> ${c.id} and r.valid_from <= ${today} and r.valid_to >= ${today})`;

/** The clause an uncertified special operator breaks under the enterprise's standards, if one of them names it. */
async function clauseFor(tx: ActorCtx, industryCode: string): Promise<string | null> {
  const standards = [...(await standardsFor(tx.db, industryCode))];
  if (!standards.length) return null;
  const c = await tx.db
    .selectFrom('standard_clauses')
    .select('id')
    .where('standard_id', 'in', standards)
    .where('is_lead_in', '=', 0)
    .where('text', 'like', '%特种作业%')
    .orderBy('standard_id')
    .orderBy('sort')
    .limit(1)
    .executeTakeFirst();
  return c?.id ?? null;
}

/** Puts each lapsed certificate of the enterprise (declared operation, expired, not renewed, not yet on the ledger) onto the ledger; answers the hazards made. */
export async function recordLapses(tx: ActorCtx, enterpriseId: string, today: string): Promise<string[]> {
  // The enterprise's row held (PostgreSQL): a renewal recorded at the same time waits for this, and this for it.
  await forWrite(tx.dialect, tx.db.selectFrom('enterprises').select('id').where('id', '=', enterpriseId)).executeTakeFirst();
  const lapsed = await tx.db
    .selectFrom('certificates as c')
    .innerJoin('enterprise_operations as o', (j) => j.onRef('o.enterprise_id', '=', 'c.enterprise_id').onRef('o.operation', '=', 'c.operation'))
    .selectAll('c')
    .where('c.enterprise_id', '=', enterpriseId)
    .where('c.kind', '=', 'special_operation')
    .where('c.valid_to', '<', today)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('certificate_lapses as l').select('l.certificate_id').whereRef('l.certificate_id', '=', 'c.id'))))
    // Only the holder's latest certificate of the operation: an older one it superseded is history, not a second hazard.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('certificates as later')
            .select('later.id')
            .where(sameHolder('later', 'c'))
            .whereRef('later.valid_to', '>', 'c.valid_to'),
        ),
      ),
    )
    // …and not while the holder already has an open lapse of the operation: one hazard per uncertified operator.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('certificate_lapses as open')
            .innerJoin('certificates as o', 'o.id', 'open.certificate_id')
            .select('open.certificate_id')
            .where('open.closed_at', 'is', null)
            .where(sameHolder('o', 'c')),
        ),
      ),
    )
    .orderBy('c.valid_to')
    .execute();
  if (!lapsed.length) return [];
  const ent = await tx.db.selectFrom('enterprises').select(['city_code', 'industry_code', 'address']).where('id', '=', enterpriseId).executeTakeFirstOrThrow();
  const ops = new Map((await ruleValue(tx.db, ent.city_code, SPECIAL_OPERATIONS, today)).map((o) => [o.code, o.name]));
  const clause = await clauseFor(tx, ent.industry_code);
  const system = { ...tx, actor: platformActor(ent.city_code) };
  const made: string[] = [];
  for (const c of lapsed) {
    const renewed = await tx.db.selectNoFrom(sql<number>`case when ${renewal(c, today)} then 1 else 0 end`.as('r')).executeTakeFirstOrThrow();
    if (Number(renewed.r)) continue;
    const h = await reportHazard(system, {
      enterpriseId,
      description: `特种作业人员${c.holder_name}（${ops.get(c.operation ?? '') ?? c.operation}）的特种作业操作证（${c.number}）已于 ${c.valid_to} 到期，未见有效证书，存在无证上岗风险`,
      location: ent.address,
      grade: clause ? 'major' : 'general',
      clauseIds: clause ? [clause] : [],
      source: 'system',
      foundAt: tx.now().toISOString(),
      foundByName: '系统核验',
    });
    const at = tx.now().toISOString();
    await tx.db.insertInto('hazard_origins').values({ hazard_id: h.id, origin_type: CERTIFICATE_ORIGIN, origin_id: c.id, origin_item_id: null, created_at: at }).execute();
    await tx.db.insertInto('certificate_lapses').values({ certificate_id: c.id, enterprise_id: enterpriseId, hazard_id: h.id, created_at: at, closed_at: null, renewed_by: null }).execute();
    made.push(h.id);
  }
  return made;
}

/** A certificate valid today closes the open lapse hazards of the same holder, kind and operation. */
export async function closeRenewed(tx: ActorCtx, c: CertificateRow, today: string): Promise<string[]> {
  if (c.valid_from > today || c.valid_to < today) return [];
  const open = await tx.db
    .selectFrom('certificate_lapses as l')
    .innerJoin('certificates as old', 'old.id', 'l.certificate_id')
    .select(['l.certificate_id', 'l.hazard_id', 'old.number', 'old.valid_to'])
    .where('l.enterprise_id', '=', c.enterprise_id)
    .where('l.closed_at', 'is', null)
    .where('old.kind', '=', c.kind)
    .where('old.operation', '=', c.operation ?? '')
    .where('old.holder_name', '=', c.holder_name)
    .where('old.id_mask', '=', c.id_mask)
    .execute();
  const ent = await tx.db.selectFrom('enterprises').select('city_code').where('id', '=', c.enterprise_id).executeTakeFirstOrThrow();
  const system = { ...tx, actor: platformActor(ent.city_code) };
  const closed: string[] = [];
  for (const l of open) {
    const resolved = await resolveSystemHazard(system, l.hazard_id, `已录入有效证书（${c.number}，有效期至 ${c.valid_to}），系统核验销号`, { certificateId: c.id, replaces: l.certificate_id });
    await tx.db.updateTable('certificate_lapses').set({ closed_at: tx.now().toISOString(), renewed_by: c.id }).where('certificate_id', '=', l.certificate_id).execute();
    if (resolved) closed.push(l.hazard_id);
  }
  return closed;
}

/** The daily pass's other half: a renewal recorded ahead of its start closes the lapse once it is in force. */
export async function closeLapsesRenewedBy(tx: ActorCtx, enterpriseId: string, today: string): Promise<string[]> {
  const renewals = await tx.db
    .selectFrom('certificates as r')
    .selectAll('r')
    .where('r.enterprise_id', '=', enterpriseId)
    .where('r.valid_from', '<=', today)
    .where('r.valid_to', '>=', today)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('certificate_lapses as l')
          .innerJoin('certificates as old', 'old.id', 'l.certificate_id')
          .select('l.certificate_id')
          .where('l.closed_at', 'is', null)
          .where(sameHolder('old', 'r')),
      ),
    )
    .execute();
  const closed: string[] = [];
  for (const r of renewals) closed.push(...(await closeRenewed(tx, r, today)));
  return closed;
}
