import { z } from 'zod';
import { DistrictCode } from '../../../shared/contracts/fields';
import { IdParam } from '../../../shared/contracts/common';
import { DashboardView, EnterpriseDashboard } from '../../../shared/contracts/dashboard';
import { route, type RouteDef } from '../../http/route';
import { cachedRead, type LedgerCache } from '../hazards/cache';
import { cityView, departmentView, districtView, enterpriseView } from './views';

const CodeParam = z.object({ code: DistrictCode });
const SCOPE_NOTE = 'Scoped: a view outside your scope answers 404, as if it did not exist.';

/** 驾驶舱: answered from the pre-aggregated tallies; cached until the ledger changes (or the day turns). */
export const dashboardRoutes = (cache: LedgerCache | null): RouteDef[] => {
  const read = cachedRead(cache);
  return [
    route({
      method: 'GET',
      url: '/api/dashboard/city',
      summary: '全市驾驶舱 City cockpit: totals, districts, stock and increment, trends',
      description: `For city roles. ${SCOPE_NOTE}`,
      tags: ['dashboard'],
      auth: 'user',
      response: { status: 200, schema: DashboardView },
      errors: ['NOT_FOUND'],
      handler: ({ ctx, reply }) => read(ctx, reply, 'dashboard.city', {}, () => cityView(ctx)),
    }),
    route({
      method: 'GET',
      url: '/api/dashboard/districts/:code',
      summary: '区驾驶舱 District cockpit: the same figures by street, and the worst enterprises',
      description: `For city roles and the district's own officers; a street officer gets the view of their street. ${SCOPE_NOTE}`,
      tags: ['dashboard'],
      auth: 'user',
      params: CodeParam,
      response: { status: 200, schema: DashboardView },
      errors: ['NOT_FOUND'],
      handler: ({ ctx, params, reply }) => read(ctx, reply, 'dashboard.district', params.code, () => districtView(ctx, params.code)),
    }),
    route({
      method: 'GET',
      url: '/api/dashboard/departments/:id',
      summary: '部门驾驶舱 Department cockpit: the industries the department supervises',
      description: `For city roles, the department's officers, and the officers of its district. ${SCOPE_NOTE}`,
      tags: ['dashboard'],
      auth: 'user',
      params: IdParam,
      response: { status: 200, schema: DashboardView },
      errors: ['NOT_FOUND'],
      handler: ({ ctx, params, reply }) => read(ctx, reply, 'dashboard.department', params.id, () => departmentView(ctx, params.id)),
    }),
    route({
      method: 'GET',
      url: '/api/dashboard/enterprises/:id',
      summary: '企业驾驶舱 Enterprise view: its open hazards, deadlines coming, overdue, history',
      description: `For the enterprise itself and officials whose scope covers it. ${SCOPE_NOTE}`,
      tags: ['dashboard'],
      auth: 'user',
      params: IdParam,
      response: { status: 200, schema: EnterpriseDashboard },
      errors: ['NOT_FOUND'],
      handler: ({ ctx, params, reply }) => read(ctx, reply, 'dashboard.enterprise', params.id, () => enterpriseView(ctx, params.id)),
    }),
  ];
};
