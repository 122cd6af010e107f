import type { HazardQuery } from '../../../shared/contracts/hazards';
import type { ActorCtx } from '../../context';
import { writesRowJson } from '../../db/dialect';
import { RawJson } from '../../http/route';
import { presentHazard } from './presenter';
import { listHazards, listHazardsJson } from './repository';

/**
 * One page of the ledger as the API answers it. Where the database writes each row's JSON itself
 * (`writesRowJson`: SQLite), the body is put together from those strings; elsewhere the rows are
 * presented (`presentHazard`) and serialised as usual. Both answer the same JSON (ledger tests).
 */
export async function ledgerPage(ctx: ActorCtx, query: HazardQuery): Promise<unknown> {
  const now = ctx.now();
  if (writesRowJson(ctx.dialect)) {
    const { items, total } = await listHazardsJson(ctx.db, ctx.actor, query, now);
    return new RawJson(`{"items":[${items.join(',')}],"total":${total},"page":${query.page},"pageSize":${query.pageSize}}`);
  }
  const { rows, total } = await listHazards(ctx.db, ctx.dialect, ctx.actor, query, now);
  return { items: rows.map((r) => presentHazard(r, r.clauseIds, now)), total, page: query.page, pageSize: query.pageSize };
}
