/**
 * Findings onto the ledger, the one way every module puts them there: an inspection's, an expert
 * visit's (later a tip's, an accident investigation's) — each finding a hazard reported in the
 * caller's transaction, given its deadline where one came with it, and linked to its origin (the
 * record and checklist item it was found on), its errors naming the finding they belong to.
 */
import type { z } from 'zod';
import type { FindingInput } from '../../../shared/contracts/enforcement';
import type { HazardSource } from '../../../shared/contracts/hazards';
import type { ActorCtx } from '../../context';
import { AppError, type FieldError } from '../../errors/app-error';
import { actOnHazard, reportHazard } from './commands';
import { bumpLedgerVersion } from './cache';

type Finding = z.output<typeof FindingInput>;

/**
 * What is wrong with a list of findings before any is written: an item not on the checklist used, a
 * deadline on a major hazard (its deadline comes with its plan) or before today; `deadlines: false`
 * refuses any deadline (an expert advises; the district orders the rectification).
 */
export function checkFindings(findings: Finding[], o: { itemIds: ReadonlySet<string>; today: string; deadlines?: boolean }): FieldError[] {
  const errors: FieldError[] = [];
  findings.forEach((f, k) => {
    const n = k + 1;
    if (f.itemId && !o.itemIds.has(f.itemId)) errors.push({ path: `findings.${k}.itemId`, code: 'unknown_item', message: `第 ${n} 条隐患所在检查项不在本次检查表上` });
    if (!f.deadline) return;
    if (o.deadlines === false) errors.push({ path: `findings.${k}.deadline`, code: 'invalid', message: `第 ${n} 条隐患：专家发现的隐患由属地责令整改，无需填写整改期限` });
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
    }).catch((e: unknown) => {
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
