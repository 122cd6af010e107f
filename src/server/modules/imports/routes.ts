import { z } from 'zod';
import { IdParam } from '../../../shared/contracts/common';
import { Text, QueryInt } from '../../../shared/contracts/fields';
import { sendDownload, XLSX } from '../../http/download';
import { route } from '../../http/route';
import { readUpload } from '../../http/upload';
import { commitImport, findJob, IMPORT_MAX_BYTES, importErrorsWorkbook, listImportErrors, presentJob, repreviewImport, startImport } from './jobs';
import { deleteMapping, listMappings } from './mappings';
import { buildTemplate } from './templates';

const NAMES = { hazards: '隐患台账导入模板', enterprises: '企业名录导入模板' } as const;

const Key = Text(200);
/** What the user settles in the preview; the same JSON the CLI takes with --mapping. */
export const MappingBody = z
  .object({
    sheet: Text(100, { min: 1 }).optional(),
    columns: z.record(Key, z.string().regex(/^[A-Za-z]{0,40}$/, '字段名不正确')).optional().refine((r) => !r || Object.keys(r).length <= 500, '最多 500 列'),
    values: z
      .record(z.string().regex(/^[A-Za-z]{1,40}$/, '字段名不正确'), z.record(Key, Text(100)))
      .optional()
      .refine((r) => !r || Object.values(r).reduce((n, v) => n + Object.keys(v).length, 0) <= 5000, '最多 5000 个取值'),
    createEnterprises: z.boolean().optional(),
  })
  .strict();

const Column = z.object({ index: z.number(), letter: z.string(), title: z.string(), field: z.string().nullable(), by: z.enum(['title', 'content', 'mapping']).nullable(), hidden: z.boolean(), samples: z.array(z.string()) });
const Layout = z.object({
  format: z.enum(['xlsx', 'xls', 'csv']),
  encoding: z.string().nullable(),
  sheet: z.string(),
  sheets: z.array(z.string()),
  sheetChosenBy: z.enum(['only', 'user', 'header']),
  headerRow: z.number(),
  signature: z.string(),
  columns: z.array(Column),
  missing: z.array(z.string()),
  fields: z.array(z.object({ key: z.string(), title: z.string(), required: z.boolean() })),
  savedMapping: z.object({ id: z.string(), name: z.string() }).nullable(),
  skipped: z.object({ totals: z.number(), totalsRows: z.array(z.number()) }),
  hiddenRows: z.number(),
  unknownValues: z.array(z.object({ field: z.string(), column: z.string(), values: z.array(z.object({ value: z.string(), count: z.number() })), allowed: z.array(z.object({ value: z.string(), label: z.string() })) })),
  unregistered: z.number(),
  newEnterprises: z.object({ count: z.number(), items: z.array(z.object({ uscc: z.string(), name: z.string() })) }),
});

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
  layout: Layout.nullable().describe('how the file was read: format, sheet, header row, the field each column feeds and why, what is still missing, unknown values'),
  mapping: z.any().nullable().describe('the mapping the user chose (ImportMapping)'),
  needsMapping: z.boolean().describe('previewed, but a required field has no column yet: map it, then preview again'),
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
    summary: '台账导入 Upload a hazard ledger or an enterprise registry (.xlsx, .xls or .csv in UTF-8/GBK, multipart field `file`, ≤ 50 MB, ≤ 200,000 rows); a preview job starts',
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
    url: '/api/imports/:id/preview',
    summary: 'Preview again with the user’s mapping: the sheet, the field each column feeds, what the file’s own words mean; `saveAs` keeps it for the next file with the same header',
    tags: ['imports'],
    auth: 'user',
    params: IdParam,
    body: z.object({ mapping: MappingBody, saveAs: Text(60, { min: 1 }).optional() }).strict(),
    response: { status: 202, schema: Job },
    errors: ['INVALID_TRANSITION', 'NOT_FOUND', 'FORBIDDEN'],
    handler: async ({ ctx, params, body, request }) => presentJob(await repreviewImport(ctx, params.id, body.mapping, { saveAs: body.saveAs, onError: (err) => request.log.error({ err }, 'import preview failed') })),
  }),
  route({
    method: 'GET',
    url: '/api/import-mappings',
    summary: 'The organisation’s saved import mappings',
    tags: ['imports'],
    auth: 'user',
    query: z.object({ kind: z.enum(['hazards', 'enterprises']).optional() }).strict(),
    response: { status: 200, schema: z.object({ items: z.array(z.object({ id: z.string(), kind: z.enum(['hazards', 'enterprises']), name: z.string(), signature: z.string(), mapping: z.any(), updatedAt: z.string() })) }) },
    handler: async ({ ctx, query }) => ({ items: await listMappings(ctx, query.kind) }),
  }),
  route({
    method: 'DELETE',
    url: '/api/import-mappings/:id',
    summary: 'Delete a saved import mapping of the organisation',
    tags: ['imports'],
    auth: 'user',
    params: IdParam,
    response: { status: 204 },
    errors: ['NOT_FOUND'],
    async handler({ ctx, params }) {
      await deleteMapping(ctx, params.id);
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
    errors: ['INVALID_TRANSITION', 'MAPPING_REQUIRED', 'NOT_FOUND', 'FORBIDDEN'],
    handler: async ({ ctx, params, request }) => presentJob(await commitImport(ctx, params.id, { onError: (err) => request.log.error({ err }, 'import commit failed') })),
  }),
];
