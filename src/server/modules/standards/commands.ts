import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ClauseInput, ClausePatch } from '../../../shared/contracts/standards';
import { audit, transact, type ActorCtx } from '../../context';
import { classifyDbError } from '../../db/dialect';
import { AppError, notFound } from '../../errors/app-error';
import { isLeadInText } from './lead-ins';
import { getClause, presentClause } from './repository';

const duplicateNo = (no: string) =>
  new AppError('DUPLICATE', `该标准已有条款编号“${no}”`, `This standard already has a clause numbered ${no}`, {
    errors: [{ path: 'no', code: 'DUPLICATE', message: '条款编号重复' }],
  });

/** 条款补录: an administrator adds a clause the shipped text lacks. */
export async function addClause(ctx: ActorCtx, standardId: string, input: z.output<typeof ClauseInput>) {
  return transact(ctx, async (tx) => {
    const standard = await tx.db.selectFrom('standards').select('id').where('id', '=', standardId).executeTakeFirst();
    if (!standard) throw notFound('判定标准', 'standard');
    const maxSort = await tx.db.selectFrom('standard_clauses').select((eb) => eb.fn.max('sort').as('m')).where('standard_id', '=', standardId).executeTakeFirst();
    const now = ctx.now().toISOString();
    const row = {
      id: uuidv7(),
      standard_id: standardId,
      no: input.no,
      category: input.category ?? null,
      text: input.text,
      source: input.source ?? null,
      // Unless the administrator says, a purpose, scope or definitions article is a lead-in (see lead-ins.ts).
      is_lead_in: (input.isLeadIn ?? isLeadInText(input.text)) ? 1 : 0,
      sort: input.sort ?? Number(maxSort?.m ?? 0) + 10,
      meta: null,
      created_at: now,
      updated_at: now,
      updated_by: ctx.actor.userId,
    };
    try {
      await tx.db.insertInto('standard_clauses').values(row).execute();
    } catch (err) {
      if (classifyDbError(err)?.kind === 'unique') throw duplicateNo(input.no);
      throw err;
    }
    const clause = presentClause(row);
    await audit(tx, { action: 'standard.clause_added', entityType: 'standard_clause', entityId: row.id, after: clause });
    return clause;
  });
}

/** 条款更正: an administrator corrects a clause's text, number or source; the old text stays in the audit log. */
export async function correctClause(ctx: ActorCtx, standardId: string, clauseId: string, patch: z.output<typeof ClausePatch>) {
  return transact(ctx, async (tx) => {
    const before = await getClause(tx.db, standardId, clauseId);
    if (!before) throw notFound('条款', 'clause');
    const now = ctx.now().toISOString();
    const changes = {
      ...(patch.no !== undefined ? { no: patch.no } : {}),
      ...(patch.category !== undefined ? { category: patch.category ?? null } : {}),
      ...(patch.text !== undefined ? { text: patch.text } : {}),
      ...(patch.source !== undefined ? { source: patch.source ?? null } : {}),
      ...(patch.isLeadIn !== undefined ? { is_lead_in: patch.isLeadIn ? 1 : 0 } : {}),
      ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
      updated_at: now,
      updated_by: ctx.actor.userId,
    };
    try {
      await tx.db.updateTable('standard_clauses').set(changes).where('id', '=', clauseId).execute();
    } catch (err) {
      if (classifyDbError(err)?.kind === 'unique') throw duplicateNo(patch.no ?? before.no);
      throw err;
    }
    const after = presentClause({ ...before, ...changes });
    await audit(tx, { action: 'standard.clause_corrected', entityType: 'standard_clause', entityId: clauseId, before: presentClause(before), after });
    return after;
  });
}
