import { z } from 'zod';
import { route } from '../../http/route';
import { buildTemplate } from './templates';

const NAMES = { hazards: '隐患台账导入模板', enterprises: '企业名录导入模板' } as const;

export const importRoutes = [
  route({
    method: 'GET',
    url: '/api/imports/templates/:kind',
    summary: '导入模板 Download the .xlsx template for a hazard ledger or an enterprise registry',
    tags: ['imports'],
    auth: 'user',
    params: z.object({ kind: z.enum(['hazards', 'enterprises']) }),
    response: { status: 200 },
    async handler({ ctx, params, reply }) {
      const file = await buildTemplate(ctx.db, params.kind);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${params.kind}-template.xlsx"; filename*=UTF-8''${encodeURIComponent(`${NAMES[params.kind]}.xlsx`)}`)
        .send(file);
    },
  }),
];
