import { IdParam } from '../../../shared/contracts/common';
import { EnterpriseQuery } from '../../../shared/contracts/enterprises';
import { ExportJob } from '../../../shared/contracts/exports';
import { HazardQuery } from '../../../shared/contracts/hazards';
import { sendDownload, XLSX } from '../../http/download';
import { route } from '../../http/route';
import { exportFile, findExport, presentExport, startExport } from './jobs';


const HOW = 'Answers 202 with the job at once; poll `GET /api/exports/:id` for rows written of the total, then download `GET /api/exports/:id/file` (kept for 24 hours). More than 1,000,000 rows answers 422 EXPORT_TOO_LARGE before any work.';

const withoutPage = <T extends { page?: unknown; pageSize?: unknown }>({ page: _p, pageSize: _s, ...rest }: T) => rest;

export const exportRoutes = [
  route({
    method: 'POST',
    url: '/api/hazards/exports',
    summary: '台账导出（带进度）Export what the ledger filters select (query string as for GET /api/hazards) to .xlsx as a job',
    description: HOW,
    tags: ['exports'],
    auth: 'user',
    query: HazardQuery,
    response: { status: 202, schema: ExportJob },
    errors: ['EXPORT_TOO_LARGE'],
    handler: ({ ctx, query, request }) => startExport(ctx, { kind: 'hazards', filters: withoutPage(query) }, { onError: (err) => request.log.error({ err }, 'hazard export failed') }),
  }),
  route({
    method: 'POST',
    url: '/api/enterprises/exports',
    summary: '企业名录导出（带进度）Export what the enterprise filters select to .xlsx as a job',
    description: HOW,
    tags: ['exports'],
    auth: 'user',
    query: EnterpriseQuery,
    response: { status: 202, schema: ExportJob },
    errors: ['EXPORT_TOO_LARGE'],
    handler: ({ ctx, query, request }) => startExport(ctx, { kind: 'enterprises', filters: withoutPage(query) }, { onError: (err) => request.log.error({ err }, 'enterprise export failed') }),
  }),
  route({
    method: 'GET',
    url: '/api/exports/:id',
    summary: 'An export job: status and rows written of the total (only its owner sees it)',
    tags: ['exports'],
    auth: 'user',
    params: IdParam,
    response: { status: 200, schema: ExportJob },
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) => presentExport(await findExport(ctx, params.id)),
  }),
  route({
    method: 'GET',
    url: '/api/exports/:id/file',
    summary: 'Download a finished export',
    tags: ['exports'],
    auth: 'user',
    params: IdParam,
    response: { status: 200 },
    errors: ['NOT_FOUND', 'EXPORT_NOT_READY'],
    handler: async ({ ctx, params, reply }) => {
      const { job, stream } = await exportFile(ctx, params.id);
      return sendDownload(reply, XLSX, job.kind === 'hazards' ? 'hazards.xlsx' : 'enterprises.xlsx', job.file_name, stream, job.size ?? undefined);
    },
  }),
];
