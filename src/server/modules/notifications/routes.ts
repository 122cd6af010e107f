import { z } from 'zod';
import { IdParam } from '../../../shared/contracts/common';
import { QueryFlag, QueryInt } from '../../../shared/contracts/fields';
import { route } from '../../http/route';
import { notFound } from '../../errors/app-error';
import { listNotifications, markRead } from './repository';

const Notification = z.object({
  id: z.string(),
  kind: z.string().describe('`hazard.<step>` for a step of the loop, `hazard.digest` for the daily deadline digest'),
  hazardId: z.string().nullable(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable().describe('where it leads in the web app'),
  needsAction: z.boolean().describe('the reader is asked to act, and has not yet been answered by a later step'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
const NotificationQuery = z
  .object({
    page: QueryInt(1, 100_000).default(1),
    pageSize: QueryInt(1, 100).default(20),
    unread: QueryFlag.optional(),
    needsAction: QueryFlag.optional(),
  })
  .strict();

export const notificationRoutes = [
  route({
    method: 'GET',
    url: '/api/notifications',
    summary: '消息中心 Your notifications, newest first (`needsAction=true`: those asking you to act), with the unread and needs-action counts',
    tags: ['notifications'],
    auth: 'user',
    query: NotificationQuery,
    response: { status: 200, schema: z.object({ items: z.array(Notification), total: z.number(), page: z.number(), pageSize: z.number(), unread: z.number(), needsAction: z.number().describe('notifications still asking you to act') }) },
    handler: ({ ctx, query }) => listNotifications(ctx.db, ctx.actor.userId, query),
  }),
  route({
    method: 'POST',
    url: '/api/notifications/:id/read',
    summary: 'Mark one notification read',
    tags: ['notifications'],
    auth: 'user',
    params: IdParam,
    response: { status: 204 },
    async handler({ ctx, params }) {
      if (!(await markRead(ctx.db, ctx.actor.userId, ctx.now(), params.id))) throw notFound('消息', 'notification');
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
      await markRead(ctx.db, ctx.actor.userId, ctx.now());
    },
  }),
];
