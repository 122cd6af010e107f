/**
 * Findings onto the ledger, the one way every module puts them there: an inspection's, an expert
 * visit's (later a tip's, an accident investigation's) — each finding a hazard reported in the
 * caller's transaction, given its deadline where one came with it, and linked to its origin (the
 * record and checklist item it was found on), its errors naming the finding they belong to.
 */
import type { z } from 'zod';
import type { FindingInput } from '../../../shared/contracts/enforcement';
import type { HazardSource, LedgerFinding } from '../../../shared/contracts/hazards';
import type { Kysely } from 'kysely';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, type FieldError } from '../../errors/app-error';
import { actOnHazard, reportHazard } from './commands';
import { bumpLedgerVersion } from './cache';

type Finding = z.output<typeof FindingInput>;

/**
 * What is wrong with a list of findings before any is written: an item not on the checklist used, a
 * deadline on a major hazard (its deadline comes with its plan) or before today; `deadlines: false`
 * refuses any deadline (an expert or an agency advises; the district orders the rectification).
 */
export function checkFindings(findings: Finding[], o: { itemIds: ReadonlySet<string>; today: string; deadlines?: boolean }): FieldError[] {
  const errors: FieldError[] = [];
  findings.forEach((f, k) => {
    const n = k + 1;
    if (f.itemId && !o.itemIds.has(f.itemId)) errors.push({ path: `findings.${k}.itemId`, code: 'unknown_item', message: `第 ${n} 条隐患所在检查项不在本次检查表上` });
    if (!f.deadline) return;
    if (o.deadlines === false) errors.push({ path: `findings.${k}.deadline`, code: 'invalid', message: `第 ${n} 条隐患：此处记录的隐患由属地责令整改，无需填写整改期限` });
    else if (f.grade === 'major') errors.push({ path: `findings.${k}.deadline`, code: 'invalid', message: '重大事故隐患的整改期限随整改方案（五到位）一并制定' });
    else if (f.deadline < o.today) errors.push({ path: `findings.${k}.deadline`, code: 'invalid', message: `第 ${n} 条隐患的整改期限不能早于今天` });
  });
  return errors;
}

export interface FindingsOrigin {
  /** `inspection`, `expert_visit`, … — what the origin observer and the hazard's detail know it by. */
  type: string;
  id: string;
  source: HazardSource;
  enterpriseId: string;
  foundByName: string;
  /** Where a finding without a location was found (the enterprise's address). */
  defaultLocation: string;
  /** Who the deadline is given to, and the comment the assignment carries. */
  responsibleName: string;
  assignComment: string;
  /** A checklist item's clause, cited by a major finding made on it. */
  itemClause: (itemId: string) => string | null | undefined;
  /** The source an enterprise may report these findings under (an agency's it engaged); by default only its self-check. */
  enterpriseSource?: HazardSource;
}

/** Reports each finding as a hazard in the caller's transaction; answers their ids and how many are major. */
export async function findingsOntoLedger(tx: ActorCtx, origin: FindingsOrigin, findings: Finding[], at: string): Promise<{ hazardIds: string[]; major: number }> {
  const hazardIds: string[] = [];
  let major = 0;
  for (const [k, f] of findings.entries()) {
    const clause = f.itemId && f.grade === 'major' ? origin.itemClause(f.itemId) : null;
    const clauseIds = [...new Set([...(clause ? [clause] : []), ...(f.clauseIds ?? [])])];
    let h = await reportHazard(tx, {
      enterpriseId: origin.enterpriseId,
      description: f.description,
      location: f.location ?? origin.defaultLocation,
      grade: f.grade,
      clauseIds,
      source: origin.source,
      foundAt: at,
      foundByName: origin.foundByName,
      attachmentIds: f.attachmentIds ?? [],
    }, { enterpriseSource: origin.enterpriseSource }).catch((e: unknown) => {
      if (e instanceof AppError && e.errors) throw new AppError(e.code, `第 ${k + 1} 条隐患：${e.message}`, e.messageEn, { errors: e.errors.map((x) => ({ ...x, path: `findings.${k}.${x.path}` })) });
      throw e;
    });
    if (f.deadline) h = await actOnHazard(tx, h.id, 'assign', { version: h.version, deadline: f.deadline, responsibleName: origin.responsibleName, comment: origin.assignComment });
    await tx.db.insertInto('hazard_origins').values({ hazard_id: h.id, origin_type: origin.type, origin_id: origin.id, origin_item_id: f.itemId ?? null, created_at: at }).execute();
    hazardIds.push(h.id);
    if (f.grade === 'major') major++;
  }
  const city = await tx.db.selectFrom('enterprises').select('city_code').where('id', '=', origin.enterpriseId).executeTakeFirstOrThrow();
  await bumpLedgerVersion(tx.db, city.city_code);
  return { hazardIds, major };
}

/** The hazards records of one origin type found, per record, in the order recorded, as they stand now. */
export async function findingsOfOrigins(db: Kysely<DB>, originType: string, originIds: string[]): Promise<Map<string, LedgerFinding[]>> {
  const out = new Map<string, LedgerFinding[]>();
  if (!originIds.length) return out;
  const rows = await db
    .selectFrom('hazard_origins as o')
    .innerJoin('hazards as h', 'h.id', 'o.hazard_id')
    .select(['o.origin_id', 'o.origin_item_id', 'h.id', 'h.code', 'h.description', 'h.location', 'h.grade', 'h.status', 'h.deadline', 'o.created_at'])
    .where('o.origin_type', '=', originType)
    .where('o.origin_id', 'in', originIds)
    .orderBy('o.created_at')
    .orderBy('h.code')
    .execute();
  const ids = rows.map((r) => r.id);
  const clauses = ids.length ? await db.selectFrom('hazard_clauses as hc').innerJoin('standard_clauses as c', 'c.id', 'hc.clause_id').select(['hc.hazard_id', 'c.no']).where('hc.hazard_id', 'in', ids).execute() : [];
  const files = ids.length
    ? await db.selectFrom('hazard_event_files as hf').innerJoin('hazards as h', 'h.num', 'hf.hazard_num').select(['h.id as hazard_id', 'hf.file_id']).where('h.id', 'in', ids).execute()
    : [];
  for (const r of rows) {
    const list = out.get(r.origin_id) ?? [];
    list.push({
      hazardId: r.id,
      code: r.code,
      description: r.description,
      location: r.location,
      grade: r.grade,
      status: r.status,
      deadline: r.deadline,
      clauseNos: clauses.filter((c) => c.hazard_id === r.id).map((c) => c.no),
      itemId: r.origin_item_id,
      attachmentIds: files.filter((f) => f.hazard_id === r.id).map((f) => f.file_id),
    });
    out.set(r.origin_id, list);
  }
  return out;
}
