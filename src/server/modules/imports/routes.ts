import { z } from 'zod';
import { IdParam } from '../../../shared/contracts/common';
import { QueryInt } from '../../../shared/contracts/fields';
import { sendDownload, XLSX } from '../../http/download';
import { route } from '../../http/route';
import { readUpload } from '../../http/upload';
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
  counts: z
    .object({
      create: z.number(),
      update: z.number(),
      unchanged: z.number(),
      error: z.number(),
      total: z.number(),
      cleaned: z.number().describe('cells whose control characters were removed'),
      cleanedRows: z.array(z.number()).describe('the first rows (up to 20) holding such cells'),
      inferred: z.array(z.object({ column: z.string(), source: z.string(), count: z.number(), rows: z.array(z.number()) })).describe('values the file does not state, inferred per column and source, with the first rows'),
    })
    .nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

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
      const { name, content } = await readUpload(request, IMPORT_MAX_BYTES);
      const id = await startImport(ctx, query.kind, { name: name ?? 'ledger.xlsx', content }, { onError: (err) => request.log.error({ err }, 'import preview failed') });
      return presentJob(await findJob(ctx, id));
    },
  }),
  route({
    method: 'GET',
    url: '/api/imports/:id',
    summary: 'An import job: status, progress (rows read, written) and the preview’s counts',
    tags: ['imports'],
    auth: 'user',
    params: IdParam,
    response: { status: 200, schema: Job },
    handler: async ({ ctx, params }) => presentJob(await findJob(ctx, params.id)),
  }),
  route({
    method: 'GET',
    url: '/api/imports/:id/errors',
    summary: 'The rows in error, with row number, column and message',
    tags: ['imports'],
    auth: 'user',
    params: IdParam,
    query: z.object({ page: QueryInt(1, 100_000).default(1), pageSize: QueryInt(1, 500).default(50) }).strict(),
    response: { status: 200, schema: z.object({ items: z.array(RowError), total: z.number(), page: z.number(), pageSize: z.number() }) },
    handler: ({ ctx, params, query }) => listImportErrors(ctx, params.id, query),
  }),
  route({
    method: 'GET',
    url: '/api/imports/:id/errors.xlsx',
    summary: 'The rows in error as .xlsx: the original cells plus an error column, to fix and import again',
    tags: ['imports'],
    auth: 'user',
    params: IdParam,
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
    params: IdParam,
    response: { status: 202, schema: Job },
    errors: ['INVALID_TRANSITION', 'NOT_FOUND', 'FORBIDDEN'],
    handler: async ({ ctx, params, request }) => presentJob(await commitImport(ctx, params.id, { onError: (err) => request.log.error({ err }, 'import commit failed') })),
  }),
];
