import { z } from 'zod';
import { RoundExportQuery } from '../../../shared/contracts/checklists';
import { shanghaiDate } from '../../../shared/dates';
import { Id } from '../../../shared/contracts/fields';
import { DOCX, sendDownload, streamXlsx } from '../../http/download';
import { route } from '../../http/route';
import { buildQuarterlySummary, ROUND_EXPORT_MAX_ROWS, roundListExport, SUMMARY_MAX_ROUNDS } from './documents';

/** A quarter `YYYY-Qn`, within the years the ledger accepts. */
const Quarter = z
  .string()
  .regex(/^\d{4}-Q[1-4]$/, '季度格式应为 YYYY-Qn（如 2026-Q4）')
  .refine((q) => q >= '1949-Q1' && q <= '2100-Q4', '季度应在 1949-Q1 至 2100-Q4 之间');

// Both paths are static, so Fastify matches them before `GET /api/selfchecks/:id` whatever the order.
export const selfCheckDocumentRoutes = [
  route({
    method: 'GET',
    url: '/api/selfchecks/quarterly-summary.docx',
    summary: '季度自查汇总 One enterprise’s self-checks due in a quarter (.docx): each round’s completion and sign-off, the hazards found and their status on the ledger now, totals, and a signature block for the principal person',
    description: `An enterprise user may leave out \`enterpriseId\` (its own); officers name an enterprise in their scope (outside it: 404). More than ${SUMMARY_MAX_ROUNDS} rounds answers 422 EXPORT_TOO_LARGE.`,
    tags: ['documents'],
    auth: 'user',
    query: z.object({ enterpriseId: Id.optional(), quarter: Quarter }).strict(),
    response: { status: 200 },
    errors: ['NOT_FOUND', 'VALIDATION_FAILED', 'EXPORT_TOO_LARGE'],
    async handler({ ctx, query, reply }) {
      const { file, name } = await buildQuarterlySummary(ctx, query);
      return sendDownload(reply, DOCX, `selfcheck-summary-${query.quarter}.docx`, name, file);
    },
  }),
  route({
    method: 'GET',
    url: '/api/selfchecks/export.xlsx',
    summary: '自查记录导出 The rounds the filters of GET /api/selfchecks select (all pages, same order) as .xlsx, streamed',
    description: `More than ${ROUND_EXPORT_MAX_ROWS.toLocaleString('en')} rows answers 422 EXPORT_TOO_LARGE before anything is sent: narrow the filters.`,
    tags: ['self-checks'],
    auth: 'user',
    query: RoundExportQuery,
    response: { status: 200 },
    errors: ['EXPORT_TOO_LARGE'],
    async handler({ ctx, query, reply, request }) {
      const write = await roundListExport(ctx, query);
      const stamp = shanghaiDate(ctx.now()).replaceAll('-', '');
      return streamXlsx(reply, request, `selfchecks-${stamp}.xlsx`, `自查记录-${stamp}.xlsx`, write);
    },
  }),
];
