/**
 * 判定辅助 as a command: suggestions for a description, ranked by the standards that apply to the
 * enterprise's industry, with a word on each applicable standard whose text the product holds only
 * in part (so nobody reads "no match" as "not a major hazard").
 */
import type { Kysely } from 'kysely';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { findEnterprise } from '../enterprises/repository';
import { allClauseDocs, clausesFingerprint, completenessLine, heldClauses } from './repository';
import { ClauseIndex, type Suggestion } from './suggest';

let cached: { key: string; index: ClauseIndex } | undefined;
async function clauseIndex(db: Kysely<DB>) {
  const key = await clausesFingerprint(db);
  if (cached?.key !== key) cached = { key, index: new ClauseIndex(await allClauseDocs(db)) };
  return cached.index;
}

/** The standards that apply to an industry division: mapped to it, to its section, or to every industry. */
export async function standardsFor(db: Kysely<DB>, industryCode: string): Promise<Set<string>> {
  const section = await db.selectFrom('industries').select('parent_code').where('code', '=', industryCode).executeTakeFirst();
  const codes = ['*', industryCode, ...(section?.parent_code ? [section.parent_code] : [])];
  const rows = await db.selectFrom('standard_industries').select('standard_id').where('industry_code', 'in', codes).execute();
  return new Set(rows.map((r) => r.standard_id));
}

export interface Suggestions {
  items: Suggestion[];
  /** Applicable standards held only in part, with the plain completeness line. */
  incomplete: { standardId: string; title: string; completeness: { zh: string; en: string } }[];
}

export async function suggestClauses(ctx: ActorCtx, input: { text: string; limit: number; enterpriseId?: string }): Promise<Suggestions> {
  const ent = input.enterpriseId ? await findEnterprise(ctx.db, ctx.actor, input.enterpriseId) : undefined;
  const applicable = ent ? await standardsFor(ctx.db, ent.industry_code) : new Set<string>();
  const items = (await clauseIndex(ctx.db)).suggest(input.text, input.limit, (id) => applicable.has(id));
  const incomplete = applicable.size
    ? await ctx.db
        .selectFrom('standards')
        .select(['id', 'title', 'clauses_complete', 'item_count'])
        .select((eb) => heldClauses(eb).as('held'))
        .where('id', 'in', [...applicable])
        .where('clauses_complete', '=', 0)
        .orderBy('sort')
        .execute()
    : [];
  return {
    items,
    incomplete: incomplete.map((s) => ({ standardId: s.id, title: s.title, completeness: completenessLine(false, Number(s.held), s.item_count) })),
  };
}
