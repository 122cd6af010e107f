import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/** A user's own notifications, newest first, with how many are unread and how many still ask them to act. */
export async function listNotifications(db: Kysely<DB>, userId: string, f: { page: number; pageSize: number; unread?: boolean; needsAction?: boolean }) {
  let q = db.selectFrom('notifications').where('user_id', '=', userId);
  if (f.unread) q = q.where('read_at', 'is', null);
  if (f.needsAction !== undefined) q = q.where('needs_action', '=', f.needsAction ? 1 : 0);
  const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const mine = () => db.selectFrom('notifications').where('user_id', '=', userId);
  const [{ u }] = await mine().select((eb) => eb.fn.countAll<number>().as('u')).where('read_at', 'is', null).execute();
  const [{ a }] = await mine().select((eb) => eb.fn.countAll<number>().as('a')).where('needs_action', '=', 1).execute();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      hazardId: r.hazard_id,
      title: r.title,
      body: r.body,
      link: r.link ?? (r.hazard_id ? `/hazards/${r.hazard_id}` : null),
      needsAction: r.needs_action === 1,
      createdAt: r.created_at,
      readAt: r.read_at,
    })),
    total: Number(n),
    page: f.page,
    pageSize: f.pageSize,
    unread: Number(u),
    needsAction: Number(a),
  };
}

/** Marks one (or, without an id, every unread) notification of the user read; answers whether any was. */
export async function markRead(db: Kysely<DB>, userId: string, now: Date, id?: string): Promise<boolean> {
  let q = db.updateTable('notifications').set({ read_at: now.toISOString() }).where('user_id', '=', userId);
  q = id ? q.where('id', '=', id) : q.where('read_at', 'is', null);
  return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
}
