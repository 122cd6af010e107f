import { z } from 'zod';
import { pingDatabase } from '../../db/database';
import { AppError } from '../../errors/app-error';
import { route } from '../../http/route';

const Health = z.object({ status: z.literal('ok'), db: z.enum(['sqlite', 'postgres']) });

export const healthRoutes = [
  route({
    method: 'GET',
    url: '/api/health',
    summary: 'Liveness and database check',
    tags: ['system'],
    auth: 'public',
    response: { status: 200, schema: Health },
    errors: ['DATABASE_UNAVAILABLE'],
    async handler({ ctx }) {
      try {
        await pingDatabase(ctx.db);
      } catch {
        throw new AppError('DATABASE_UNAVAILABLE', '数据库不可用', 'The database is unavailable');
      }
      return { status: 'ok' as const, db: ctx.dialect };
    },
  }),
];
