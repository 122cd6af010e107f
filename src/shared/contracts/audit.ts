import { z } from 'zod';
import { checkRanges, IsoDateTime, QueryInt, Text } from './fields';

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
    page: QueryInt(1, 100_000).default(1),
    pageSize: QueryInt(1, 200).default(50),
    action: Text(100).optional(),
    entityType: Text(50).optional(),
    entityId: Text(100).optional(),
    actor: Text(40).optional().describe('username'),
    from: IsoDateTime().optional(),
    to: IsoDateTime().optional(),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
