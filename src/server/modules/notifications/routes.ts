import { z } from 'zod';
import { route } from '../../http/route';
import { notFound } from '../../errors/app-error';

const Notification = z.object({ id: z.string(), kind: z.string(), hazardId: z.string().nullable(), title: z.string(), body: z.string().nullable(), createdAt: z.string(), readAt: z.string().nullable() });
const NotificationQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();

export const notificationRoutes = [
  route({
    method: 'GET',
    url: '/api/notifications',
    summary: '消息中心 Your notifications, newest first, with the unread count',
    tags: ['notifications'],
    auth: 'user',
    query: NotificationQuery,
    response: { status: 200, schema: z.object({ items: z.array(Notification), total: z.number(), page: z.number(), pageSize: z.number(), unread: z.number() }) },
    async handler({ ctx, query }) {
      let q = ctx.db.selectFrom('notifications').where('user_id', '=', ctx.actor.userId);
      if (query.unread) q = q.where('read_at', 'is', null);
      const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
      const [{ u }] = await ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('u')).where('user_id', '=', ctx.actor.userId).where('read_at', 'is', null).execute();
      const rows = await q.selectAll().orderBy('id', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute();
      return {
        items: rows.map((r) => ({ id: r.id, kind: r.kind, hazardId: r.hazard_id, title: r.title, body: r.body, createdAt: r.created_at, readAt: r.read_at })),
        total: Number(n),
        page: query.page,
        pageSize: query.pageSize,
        unread: Number(u),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/notifications/:id/read',
    summary: 'Mark one notification read',
    tags: ['notifications'],
    auth: 'user',
    params: z.object({ id: z.string().min(1).max(64) }),
    response: { status: 204 },
    async handler({ ctx, params }) {
      const r = await ctx.db.updateTable('notifications').set({ read_at: ctx.now().toISOString() }).where('id', '=', params.id).where('user_id', '=', ctx.actor.userId).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('消息', 'notification');
    },
  }),
  route({
    method: 'POST',
    url: '/api/notifications/read-all',
    summary: 'Mark all your notifications read',
    tags: ['notifications'],
    auth: 'user',
    response: { status: 204 },
    async handler({ ctx }) {
      await ctx.db.updateTable('notifications').set({ read_at: ctx.now().toISOString() }).where('user_id', '=', ctx.actor.userId).where('read_at', 'is', null).execute();
    },
  }),
];
