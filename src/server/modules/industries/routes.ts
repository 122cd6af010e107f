import { listOf } from '../../../shared/contracts/common';
import { Industry } from '../../../shared/contracts/regions';
import { route } from '../../http/route';
import { listIndustries } from './repository';

export const industryRoutes = [
  route({
    method: 'GET',
    url: '/api/industries',
    summary: '国民经济行业分类 GB/T 4754-2017: 20 sections (门类) and 97 divisions (大类)',
    tags: ['reference'],
    auth: 'user',
    response: { status: 200, schema: listOf(Industry) },
    async handler({ ctx }) {
      const items = await listIndustries(ctx.db);
      return { items, total: items.length, page: 1, pageSize: items.length };
    },
  }),
];
