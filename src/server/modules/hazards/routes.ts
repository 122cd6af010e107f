import { z } from 'zod';
import { Id, QueryInt, Text } from '../../../shared/contracts/fields';
import { IdParam, listOf } from '../../../shared/contracts/common';
import { ACTION_BODIES, ACTION_LABELS, Hazard, HAZARD_ACTIONS, HAZARD_STATUSES, HazardDetail, HazardInput, HazardQuery, StatusCounts, type HazardAction } from '../../../shared/contracts/hazards';
import { streamXlsx } from '../../http/download';
import { route, type RouteDef } from '../../http/route';
import { cachedRead, type LedgerCache } from './cache';
import { shanghaiDate } from './workflow';
import { exportHazards } from './export';
import { likelyDuplicates } from './duplicates';
import { actOnHazard, hazardDetail, reportHazard } from './commands';
import { ledgerPage } from './ledger-page';
import { monthlyFoundClosed, openByDistrictAndGrade, statusCounts } from './repository';

const ACTION_ERRORS = ['VERSION_CONFLICT', 'INVALID_TRANSITION', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'];

const actionRoute = (action: HazardAction): RouteDef =>
  route({
    method: 'POST',
    url: `/api/hazards/:id/actions/${action}`,
    summary: `${ACTION_LABELS[action].zh} ${ACTION_LABELS[action].en}`,
    description: 'Send the hazard’s current `version`; a stale one answers 409 VERSION_CONFLICT, a step not allowed from the current status 409 INVALID_TRANSITION.',
    tags: ['hazards'],
    auth: 'user',
    params: IdParam,
    body: ACTION_BODIES[action] as z.ZodType,
    response: { status: 200, schema: HazardDetail },
    errors: ACTION_ERRORS,
    handler: ({ ctx, params, body }) => actOnHazard(ctx, params.id, action, body as never),
  });

export const hazardRoutes = (cache: LedgerCache | null): RouteDef[] => {
  const read = cachedRead(cache);
  return [
    route({
      method: 'GET',
      url: '/api/hazards',
      summary: '隐患台账 The hazard ledger in your scope, filtered, sorted and paged',
      tags: ['hazards'],
      auth: 'user',
      query: HazardQuery,
      response: { status: 200, schema: listOf(Hazard) },
      handler: ({ ctx, query, reply }) =>
        read(ctx, reply, 'list', query, () => ledgerPage(ctx, query), { personal: !!query.todo }),
    }),
    route({
      method: 'GET',
      url: '/api/hazards/export.xlsx',
      summary: '台账导出 The ledger as .xlsx: exactly what the filters select (all pages), streamed',
      tags: ['hazards'],
      auth: 'user',
      query: HazardQuery,
      response: { status: 200 },
      handler: ({ ctx, query, reply, request }) => {
        const stamp = shanghaiDate(ctx.now()).replaceAll('-', '');
        return streamXlsx(reply, request, `hazards-${stamp}.xlsx`, `隐患台账-${stamp}.xlsx`, (out) => exportHazards(ctx, query, out));
      },
    }),
    route({
      method: 'GET',
      url: '/api/hazards/status-counts',
      summary: 'Counts per status under the same filters (for the ledger’s tabs)',
      tags: ['hazards'],
      auth: 'user',
      query: HazardQuery,
      response: { status: 200, schema: StatusCounts },
      handler: ({ ctx, query, reply }) => read(ctx, reply, 'counts', query, () => statusCounts(ctx.db, ctx.dialect, ctx.actor, query, ctx.now()), { personal: true }),
    }),
    route({
      method: 'GET',
      url: '/api/hazards/stats/open-by-district',
      summary: 'Open hazards by district and grade, in your scope (direct count over the ledger)',
      tags: ['hazards'],
      auth: 'user',
      response: { status: 200, schema: z.object({ items: z.array(z.object({ districtCode: z.string(), grade: z.enum(['general', 'major']), count: z.number().int() })) }) },
      handler: ({ ctx, reply }) => read(ctx, reply, 'open-by-district', null, async () => ({ items: await openByDistrictAndGrade(ctx.db, ctx.actor) })),
    }),
    route({
      method: 'GET',
      url: '/api/hazards/stats/monthly',
      summary: 'Hazards found and closed per month (Asia/Shanghai), in your scope',
      tags: ['hazards'],
      auth: 'user',
      query: z.object({ months: QueryInt(1, 60).default(12) }).strict(),
      response: { status: 200, schema: z.object({ items: z.array(z.object({ month: z.string(), found: z.number().int(), closed: z.number().int() })) }) },
      handler: ({ ctx, query, reply }) => read(ctx, reply, 'monthly', query, async () => ({ items: await monthlyFoundClosed(ctx.db, ctx.actor, ctx.now(), query.months) })),
    }),
    route({
      method: 'POST',
      url: '/api/hazards',
      summary: '隐患上报 Report a hazard (enterprises: their own, from self-checks; officers, inspectors, experts: enterprises in scope)',
      tags: ['hazards'],
      auth: 'user',
      body: HazardInput,
      response: { status: 201, schema: HazardDetail },
      errors: ['VALIDATION_FAILED', 'CLAUSE_REQUIRED', 'UNKNOWN_ENTERPRISE', 'FORBIDDEN'],
      handler: ({ ctx, body }) => reportHazard(ctx, body),
    }),
    route({
      method: 'GET',
      url: '/api/hazards/similar',
      summary: '疑似重复 Open hazards of the enterprise from the last 90 days whose description reads much the same (a warning before reporting, never a block)',
      tags: ['hazards'],
      auth: 'user',
      query: z.object({ enterpriseId: Id, description: Text(2000, { min: 2 }) }).strict(),
      response: {
        status: 200,
        schema: z.object({
          items: z.array(z.object({ id: z.string(), code: z.string(), description: z.string(), status: z.enum(HAZARD_STATUSES), foundAt: z.string(), similarity: z.number().describe('0–1, shared terms') })),
        }),
      },
      handler: async ({ ctx, query }) => ({ items: await likelyDuplicates(ctx.db, ctx.actor, query.enterpriseId, query.description, ctx.now()) }),
    }),
    route({
      method: 'GET',
      url: '/api/hazards/:id',
      summary: 'One hazard with its clauses, timeline and the actions you may take',
      tags: ['hazards'],
      auth: 'user',
      params: IdParam,
      response: { status: 200, schema: HazardDetail },
      errors: ['NOT_FOUND'],
      handler: ({ ctx, params }) => hazardDetail(ctx, params.id),
    }),
    ...HAZARD_ACTIONS.map(actionRoute),
  ];
};
