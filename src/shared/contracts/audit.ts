import { z } from 'zod';

export const AuditRecord = z.object({
  id: z.string(),
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
    action: z.string().max(100).optional(),
    entityType: z.string().max(50).optional(),
    entityId: z.string().max(64).optional(),
    actor: z.string().max(40).optional().describe('username'),
    from: z.string().optional(),
    to: z.string().optional(),
  })
  .strict();
