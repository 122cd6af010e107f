import { listOf } from '../../../shared/contracts/common';
import { Region, RegionQuery } from '../../../shared/contracts/regions';
import { route } from '../../http/route';
import { listRegions } from './repository';

export const regionRoutes = [
  route({
    method: 'GET',
    url: '/api/regions',
    summary: '行政区划 Regions: the city, its 16 districts, their streets and towns',
    tags: ['reference'],
    auth: 'user',
    query: RegionQuery,
    response: { status: 200, schema: listOf(Region) },
    async handler({ ctx, query }) {
      const items = await listRegions(ctx.db, query);
      return { items, total: items.length, page: 1, pageSize: items.length };
    },
  }),
];
