import { IdParam, listOf } from '../../../shared/contracts/common';
import { Enterprise, EnterpriseInput, EnterprisePatch, EnterpriseQuery } from '../../../shared/contracts/enterprises';
import { notFound } from '../../errors/app-error';
import { streamXlsx } from '../../http/download';
import { route } from '../../http/route';
import { createEnterprise, editEnterprise } from './commands';
import { exportEnterprises } from './export';
import { presentEnterprise } from './presenter';
import { findEnterprise, listEnterprises } from './repository';

export const enterpriseRoutes = [
  route({
    method: 'GET',
    url: '/api/enterprises',
    summary: 'Enterprises in your scope, filtered and paged; q searches name and 统一社会信用代码',
    tags: ['organisations'],
    auth: 'user',
    query: EnterpriseQuery,
    response: { status: 200, schema: listOf(Enterprise) },
    async handler({ ctx, query }) {
      const { rows, total } = await listEnterprises(ctx.db, ctx.dialect, ctx.actor, query);
      return { items: rows.map((r) => presentEnterprise(r, ctx.actor)), total, page: query.page, pageSize: query.pageSize };
    },
  }),
  route({
    method: 'GET',
    url: '/api/enterprises/export.xlsx',
    summary: '企业名录导出 The enterprises the filters select (all pages) as .xlsx, streamed',
    tags: ['organisations'],
    auth: 'user',
    query: EnterpriseQuery,
    response: { status: 200 },
    handler: ({ ctx, query, reply, request }) => streamXlsx(reply, request, 'enterprises.xlsx', '企业名录.xlsx', (out) => exportEnterprises(ctx, query, out)),
  }),
  route({
    method: 'GET',
    url: '/api/enterprises/:id',
    summary: 'One enterprise (404 when missing or outside your scope)',
    tags: ['organisations'],
    auth: 'user',
    params: IdParam,
    response: { status: 200, schema: Enterprise },
    errors: ['NOT_FOUND'],
    async handler({ ctx, params }) {
      const row = await findEnterprise(ctx.db, ctx.actor, params.id);
      if (!row) throw notFound('企业', 'enterprise');
      return presentEnterprise(row, ctx.actor);
    },
  }),
  route({
    method: 'POST',
    url: '/api/enterprises',
    summary: 'Register an enterprise (audited)',
    tags: ['organisations'],
    auth: 'user',
    body: EnterpriseInput,
    response: { status: 201, schema: Enterprise },
    errors: ['VALIDATION_FAILED', 'INVALID_USCC', 'DUPLICATE_USCC', 'UNKNOWN_REGION', 'STREET_NOT_IN_DISTRICT', 'UNKNOWN_INDUSTRY', 'OUT_OF_SCOPE', 'FORBIDDEN'],
    handler: ({ ctx, body }) => createEnterprise(ctx, body),
  }),
  route({
    method: 'PATCH',
    url: '/api/enterprises/:id',
    summary: 'Change an enterprise; send `version` to guard against overwriting someone else’s change (audited)',
    tags: ['organisations'],
    auth: 'user',
    params: IdParam,
    body: EnterprisePatch,
    response: { status: 200, schema: Enterprise },
    errors: ['NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_USCC', 'DUPLICATE_USCC', 'UNKNOWN_REGION', 'STREET_NOT_IN_DISTRICT', 'OUT_OF_SCOPE', 'FORBIDDEN'],
    handler: ({ ctx, params, body }) => editEnterprise(ctx, params.id, body),
  }),
];
