import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { Clause, StandardSummary } from '../../../shared/contracts/standards';
import { containsText, type DialectName } from '../../db/dialect';
import type { DB, StandardClausesTable, StandardsTable } from '../../db/schema';

export const presentClause = (c: Selectable<StandardClausesTable>): Clause => ({
  id: c.id,
  standardId: c.standard_id,
  no: c.no,
  category: c.category,
  text: c.text,
  source: c.source,
  isLeadIn: c.is_lead_in === 1,
  sort: c.sort,
  updatedAt: c.updated_by ? c.updated_at : null,
});

const presentStandard = (s: Selectable<StandardsTable>, clauseCount: number): StandardSummary => ({
  id: s.id,
  title: s.title,
  docNo: s.doc_no,
  issuer: s.issuer,
  published: s.published,
  effective: s.effective,
  status: s.status,
  itemCount: s.item_count,
  clauseCount,
  clausesComplete: s.clauses_complete === 1,
  completeness: completenessLine(s.clauses_complete === 1, clauseCount, s.item_count),
  source: s.source,
});

/**
 * How much of the official text the product holds, in one plain line. The research notes behind it
 * (which items are missing and why) stay in the database for those who maintain the data.
 */
export function completenessLine(complete: boolean, held: number, total: number | null): { zh: string; en: string } {
  if (complete) return { zh: `已收录全部 ${held} 项判定条款。`, en: `All ${held} items are held.` };
  if (total !== null) {
    return {
      zh: `官方文本共 ${total} 项，本系统已收录 ${held} 项；其余条款尚未收录，判定时请以官方发布的文本为准。`,
      en: `${held} of the official ${total} items are held; for the rest, rely on the officially published text.`,
    };
  }
  return {
    zh: `本系统已收录 ${held} 项条款，官方文本的部分条款尚未收录，判定时请以官方发布的文本为准。`,
    en: `${held} items are held; part of the official text is not, so rely on the officially published text.`,
  };
}

/** A standard's clauses held, lead-ins not counted, as a column of a query on `standards`. */
export const heldClauses = (eb: ExpressionBuilder<DB, 'standards'>) =>
  eb
    .selectFrom('standard_clauses')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('standard_clauses.standard_id', '=', 'standards.id')
    .where('standard_clauses.is_lead_in', '=', 0);

export async function listStandards(db: Kysely<DB>, dialect: DialectName, q?: string): Promise<StandardSummary[]> {
  let query = db
    .selectFrom('standards')
    .selectAll('standards')
    .select((eb) => heldClauses(eb).as('clause_count'));
  if (q) {
    query = query.where((eb) =>
      eb.or([
        containsText(dialect, 'standards.title', q),
        eb.exists(eb.selectFrom('standard_clauses').select('id').whereRef('standard_clauses.standard_id', '=', 'standards.id').where(containsText(dialect, 'standard_clauses.text', q))),
      ]),
    );
  }
  const rows = await query.orderBy('standards.sort').execute();
  return rows.map((r) => presentStandard(r, Number(r.clause_count)));
}

export async function getStandard(db: Kysely<DB>, id: string) {
  const s = await db.selectFrom('standards').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) return undefined;
  const clauses = await db.selectFrom('standard_clauses').selectAll().where('standard_id', '=', id).orderBy('sort').execute();
  return { ...presentStandard(s, clauses.filter((c) => c.is_lead_in === 0).length), scope: s.scope, clauses: clauses.map(presentClause) };
}

export async function searchClauses(db: Kysely<DB>, dialect: DialectName, f: { q?: string; standardId?: string; citable?: boolean; page: number; pageSize: number }) {
  let base = db.selectFrom('standard_clauses').innerJoin('standards', 'standards.id', 'standard_clauses.standard_id');
  if (f.q) base = base.where(containsText(dialect, 'standard_clauses.text', f.q));
  if (f.citable) base = base.where('standard_clauses.is_lead_in', '=', 0);
  if (f.standardId) base = base.where('standard_clauses.standard_id', '=', f.standardId);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('standard_clauses')
    .select('standards.title as standard_title')
    .orderBy('standards.sort')
    .orderBy('standard_clauses.sort')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items: rows.map((r) => ({ ...presentClause(r), standardTitle: r.standard_title })), total: Number(total.n), page: f.page, pageSize: f.pageSize };
}

export async function getClause(db: Kysely<DB>, standardId: string, clauseId: string) {
  return db.selectFrom('standard_clauses').selectAll().where('standard_id', '=', standardId).where('id', '=', clauseId).executeTakeFirst();
}

/** Every clause with its standard's title, for the suggestion index. */
export async function allClauseDocs(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('standard_clauses as c')
    .innerJoin('standards as s', 's.id', 'c.standard_id')
    .select(['c.id', 'c.standard_id', 's.title', 'c.no', 'c.text', 'c.is_lead_in'])
    .orderBy('s.sort')
    .orderBy('c.sort')
    .execute();
  return rows.map((r) => ({ id: r.id, standardId: r.standard_id, standardTitle: r.title, no: r.no, text: r.text, isLeadIn: r.is_lead_in === 1 }));
}

/** Changes whenever a clause is added or corrected, so a cached index knows it is stale. */
export async function clausesFingerprint(db: Kysely<DB>): Promise<string> {
  const r = await db
    .selectFrom('standard_clauses')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('u'), eb.fn.min('id').as('a'), eb.fn.max('id').as('b')])
    .executeTakeFirstOrThrow();
  return `${r.n}|${r.u}|${r.a}|${r.b}`;
}
