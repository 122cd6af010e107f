import { z } from 'zod';
import { DistrictCode, IsoMonth } from '../../../shared/contracts/fields';
import { IdParam } from '../../../shared/contracts/common';
import { DOCX, sendDownload } from '../../http/download';
import { route } from '../../http/route';
import { buildMonthlyReport } from './monthly';
import { buildNotice } from './notice';


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
      return sendDownload(reply, DOCX, 'document.docx', name, file);
    },
  }),
  route({
    method: 'GET',
    url: '/api/reports/district-monthly.docx',
    summary: '区情月报 A district’s monthly report (.docx): figures, comparisons, top enterprises, overdue major hazards, chart',
    tags: ['documents'],
    auth: 'user',
    query: z.object({ district: DistrictCode, month: IsoMonth() }).strict(),
    response: { status: 200 },
    errors: ['NOT_FOUND', 'FORBIDDEN'],
    async handler({ ctx, query, reply }) {
      const { file, name } = await buildMonthlyReport(ctx, query.district, query.month);
      return sendDownload(reply, DOCX, 'document.docx', name, file);
    },
  }),
];
