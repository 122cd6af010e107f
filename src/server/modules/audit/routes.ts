import { listOf } from '../../../shared/contracts/common';
import { AuditQuery, AuditRecord } from '../../../shared/contracts/audit';
import { route } from '../../http/route';
import { listAudit } from './repository';

export const auditRoutes = [
  route({
    method: 'GET',
    url: '/api/audit',
    summary: 'The append-only, hash-chained audit log, newest first (administrators)',
    tags: ['audit'],
    auth: { permission: 'audit.read' },
    query: AuditQuery,
    response: { status: 200, schema: listOf(AuditRecord) },
    handler: ({ ctx, query }) => listAudit(ctx.db, query),
  }),
];
