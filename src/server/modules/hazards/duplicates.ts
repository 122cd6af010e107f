/**
 * 疑似重复: before a hazard is reported, the open hazards of the same enterprise from the last 90
 * days whose description reads much the same — shown as a warning with links, never a block (the
 * same defect can recur, and the reporter decides).
 */
import type { Kysely } from 'kysely';
import { OPEN_STATUSES, type HazardStatus } from '../../../shared/contracts/hazards';
import { isoInstant } from '../../db/instants';
import type { DB } from '../../db/schema';
import { hazardScopeWhere, type Actor } from '../../scope/scope';
import { terms } from '../../text/terms';

/** How far back a likely duplicate is looked for. */
export const DUPLICATE_DAYS = 90;
/** Shared terms (Dice coefficient over Chinese bigrams and words) from which two descriptions read alike. */
export const DUPLICATE_SIMILARITY = 0.5;

/** Dice coefficient of two texts' term sets: 1 for the same terms, 0 for none in common. */
export function similarity(a: string, b: string): number {
  const x = new Set(terms(a));
  const y = new Set(terms(b));
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return (2 * shared) / (x.size + y.size);
}

export interface LikelyDuplicate {
  id: string;
  code: string;
  description: string;
  status: HazardStatus;
  foundAt: string;
  similarity: number;
}

export async function likelyDuplicates(db: Kysely<DB>, actor: Actor, enterpriseId: string, description: string, now: Date): Promise<LikelyDuplicate[]> {
  const since = now.getTime() - DUPLICATE_DAYS * 86_400_000;
  const rows = await db
    .selectFrom('hazards')
    .select(['id', 'code', 'description', 'status', 'found_at'])
    .where(hazardScopeWhere<DB, 'hazards'>(actor))
    .where('enterprise_id', '=', enterpriseId)
    .where('status', 'in', [...OPEN_STATUSES])
    .where('found_at', '>=', since)
    .orderBy('found_at', 'desc')
    .limit(500)
    .execute();
  return rows
    .map((r) => ({ id: r.id, code: r.code, description: r.description, status: r.status, foundAt: isoInstant(r.found_at), similarity: Math.round(similarity(description, r.description) * 100) / 100 }))
    .filter((r) => r.similarity >= DUPLICATE_SIMILARITY)
    .sort((a, b) => b.similarity - a.similarity || b.foundAt.localeCompare(a.foundAt))
    .slice(0, 5);
}
