import { z } from 'zod';

/** An export job: what POST /api/{hazards,enterprises}/exports and GET /api/exports/:id answer. */
export const EXPORT_KINDS = ['hazards', 'enterprises'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const ExportJob = z.object({
  id: z.string(),
  kind: z.enum(EXPORT_KINDS),
  status: z.enum(['running', 'done', 'failed']),
  rowsTotal: z.number().int(),
  rowsWritten: z.number().int(),
  fileName: z.string(),
  size: z.number().int().nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string(),
});
export type ExportJob = z.infer<typeof ExportJob>;
export type ExportStatus = ExportJob['status'];
