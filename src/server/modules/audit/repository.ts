import type { Kysely } from 'kysely';
import type { AuditQuery } from '../../../shared/contracts/audit';
import type { DB } from '../../db/schema';
import type { z } from 'zod';

const parse = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));

/** The audit viewer's query: newest first, filtered. */
export async function listAudit(db: Kysely<DB>, f: z.output<typeof AuditQuery>) {
  let q = db.selectFrom('audit_log');
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actor) q = q.where('actor_name', '=', f.actor);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<=', f.to);
  const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: parse(r.before_json),
      after: parse(r.after_json),
      requestId: r.request_id,
      ip: r.ip,
      hash: r.hash,
    })),
    total: Number(n),
    page: f.page,
    pageSize: f.pageSize,
  };
}
