import type {} from '@fastify/multipart';
import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { sendDownload, XLSX } from '../../http/download';
import { route } from '../../http/route';
import { commitImport, findJob, IMPORT_MAX_BYTES, importErrorsWorkbook, listImportErrors, presentJob, startImport } from './jobs';
import { buildTemplate } from './templates';

const NAMES = { hazards: '隐患台账导入模板', enterprises: '企业名录导入模板' } as const;

const Job = z.object({
  id: z.string(),
  kind: z.enum(['hazards', 'enterprises']),
  fileName: z.string(),
  sha256: z.string(),
  status: z.enum(['previewing', 'previewed', 'committing', 'committed', 'failed']),
  rowsRead: z.number().int(),
  rowsWritten: z.number().int(),
  counts: z.object({ create: z.number(), update: z.number(), unchanged: z.number(), error: z.number(), total: z.number() }).nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const JobId = z.object({ id: z.string().min(1).max(64) });
const RowError = z.object({ rowNumber: z.number().int(), errors: z.array(z.object({ column: z.string(), message: z.string() })), raw: z.record(z.string(), z.string()) });

export const importRoutes = [
  route({
    method: 'GET',
    url: '/api/imports/templates/:kind',
    summary: '导入模板 Download the .xlsx template for a hazard ledger or an enterprise registry',
    tags: ['imports'],
    auth: 'user',
    params: z.object({ kind: z.enum(['hazards', 'enterprises']) }),
    response: { status: 200 },
    handler: async ({ ctx, params, reply }) => sendDownload(reply, XLSX, `${params.kind}-template.xlsx`, `${NAMES[params.kind]}.xlsx`, await buildTemplate(ctx.db, params.kind)),
  }),
  route({
    method: 'POST',
    url: '/api/imports',
    summary: '台账导入 Upload a hazard ledger or an enterprise registry (.xlsx, multipart field `file`, ≤ 50 MB, ≤ 200,000 rows); a preview job starts',
    description: 'Answers 202 with the job; poll `GET /api/imports/:id` for progress, then `POST /api/imports/:id/commit`.',
    tags: ['imports'],
    auth: 'user',
    multipart: true,
    query: z.object({ kind: z.enum(['hazards', 'enterprises']).default('hazards') }).strict(),
    response: { status: 202, schema: Job },
    errors: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'FORBIDDEN'],
    async handler({ ctx, request, query }) {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传，字段名为 file', 'Send multipart/form-data with a field named file');
      const part = await request.file({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } });
      if (!part || part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', '缺少上传字段 file', 'Missing the multipart field `file`', { errors: [{ path: 'file', code: 'required', message: '必填' }] });
      const content = await part.toBuffer();
      const id = await startImport(ctx, query.kind, { name: part.filename || 'ledger.xlsx', content }, { onError: (err) => request.log.error({ err }, 'import preview failed') });
      return presentJob(await findJob(ctx, id));
    },
  }),
  route({
    method: 'GET',
    url: '/api/imports/:id',
    summary: 'An import job: status, progress (rows read, written) and the preview’s counts',
    tags: ['imports'],
    auth: 'user',
    params: JobId,
    response: { status: 200, schema: Job },
    handler: async ({ ctx, params }) => presentJob(await findJob(ctx, params.id)),
  }),
  route({
    method: 'GET',
    url: '/api/imports/:id/errors',
    summary: 'The rows in error, with row number, column and message',
    tags: ['imports'],
    auth: 'user',
    params: JobId,
    query: z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(50) }).strict(),
    response: { status: 200, schema: z.object({ items: z.array(RowError), total: z.number(), page: z.number(), pageSize: z.number() }) },
    handler: ({ ctx, params, query }) => listImportErrors(ctx, params.id, query),
  }),
  route({
    method: 'GET',
    url: '/api/imports/:id/errors.xlsx',
    summary: 'The rows in error as .xlsx: the original cells plus an error column, to fix and import again',
    tags: ['imports'],
    auth: 'user',
    params: JobId,
    response: { status: 200 },
    async handler({ ctx, params, reply }) {
      const { file, name } = await importErrorsWorkbook(ctx, params.id);
      return sendDownload(reply, XLSX, 'import-errors.xlsx', name, file);
    },
  }),
  route({
    method: 'POST',
    url: '/api/imports/:id/commit',
    summary: 'Commit a previewed import (or resume an interrupted one): rows are applied batch by batch; poll the job for progress',
    tags: ['imports'],
    auth: 'user',
    params: JobId,
    response: { status: 202, schema: Job },
    errors: ['INVALID_TRANSITION', 'NOT_FOUND', 'FORBIDDEN'],
    handler: async ({ ctx, params, request }) => presentJob(await commitImport(ctx, params.id, { onError: (err) => request.log.error({ err }, 'import commit failed') })),
  }),
];
