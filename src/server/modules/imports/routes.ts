import type {} from '@fastify/multipart';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { route } from '../../http/route';
import { commitImport, findJob, IMPORT_MAX_BYTES, presentJob, startImport } from './jobs';
import { buildTemplate } from './templates';

const NAMES = { hazards: '隐患台账导入模板', enterprises: '企业名录导入模板' } as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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
    async handler({ ctx, params, reply }) {
      const file = await buildTemplate(ctx.db, params.kind);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="${params.kind}-template.xlsx"; filename*=UTF-8''${encodeURIComponent(`${NAMES[params.kind]}.xlsx`)}`)
        .send(file);
    },
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
    async handler({ ctx, params, query }) {
      await findJob(ctx, params.id);
      const base = ctx.db.selectFrom('import_rows').where('job_id', '=', params.id).where('action', '=', 'error');
      const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
      const rows = await base.select(['row_number', 'errors_json', 'raw_json']).orderBy('row_number').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute();
      return {
        items: rows.map((r) => ({ rowNumber: r.row_number, errors: JSON.parse(r.errors_json ?? '[]'), raw: JSON.parse(r.raw_json) })),
        total: Number(n),
        page: query.page,
        pageSize: query.pageSize,
      };
    },
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
      const job = await findJob(ctx, params.id);
      const rows = await ctx.db.selectFrom('import_rows').select(['row_number', 'errors_json', 'raw_json']).where('job_id', '=', job.id).where('action', '=', 'error').orderBy('row_number').execute();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('错误行', { views: [{ state: 'frozen', ySplit: 1 }] });
      const columns = rows.length ? Object.keys(JSON.parse(rows[0].raw_json) as Record<string, string>) : [];
      ws.columns = [{ header: '原行号', width: 8 }, ...columns.map((c) => ({ header: c, width: 18 })), { header: '错误说明', width: 60 }];
      ws.getRow(1).font = { bold: true };
      for (const r of rows) {
        const raw = JSON.parse(r.raw_json) as Record<string, string>;
        const errors = JSON.parse(r.errors_json ?? '[]') as { column: string; message: string }[];
        ws.addRow([r.row_number, ...columns.map((c) => raw[c] ?? ''), errors.map((e) => `「${e.column}」${e.message}`).join('；')]);
      }
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="import-errors.xlsx"; filename*=UTF-8''${encodeURIComponent(`导入错误-${job.file_name}`)}`)
        .send(Buffer.from(await wb.xlsx.writeBuffer()));
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
