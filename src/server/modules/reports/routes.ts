import { z } from 'zod';
import { IdParam } from '../../../shared/contracts/common';
import { route } from '../../http/route';
import { buildMonthlyReport } from './monthly';
import { buildNotice } from './notice';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const attachment = (name: string) => `attachment; filename="document.docx"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const reportRoutes = [
  route({
    method: 'GET',
    url: '/api/hazards/:id/notice.docx',
    summary: '隐患整改通知书 The rectification notice for one hazard (.docx)',
    tags: ['documents'],
    auth: 'user',
    params: IdParam,
    response: { status: 200 },
    errors: ['NOT_FOUND'],
    async handler({ ctx, params, reply }) {
      const { file, name } = await buildNotice(ctx, params.id);
      return reply.type(DOCX).header('content-disposition', attachment(name)).send(file);
    },
  }),
  route({
    method: 'GET',
    url: '/api/reports/district-monthly.docx',
    summary: '区情月报 A district’s monthly report (.docx): figures, comparisons, top enterprises, overdue major hazards, chart',
    tags: ['documents'],
    auth: 'user',
    query: z.object({ district: z.string().regex(/^\d{6}$/), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM') }).strict(),
    response: { status: 200 },
    errors: ['NOT_FOUND', 'FORBIDDEN'],
    async handler({ ctx, query, reply }) {
      const { file, name } = await buildMonthlyReport(ctx, query.district, query.month);
      return reply.type(DOCX).header('content-disposition', attachment(name)).send(file);
    },
  }),
];
