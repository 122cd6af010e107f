import { listOf } from '../../../shared/contracts/common';
import { Department, DepartmentInput, DepartmentQuery } from '../../../shared/contracts/departments';
import { route } from '../../http/route';
import { createDepartment } from './commands';
import { listDepartments } from './repository';

export const departmentRoutes = [
  route({
    method: 'GET',
    url: '/api/departments',
    summary: '管行业必须管安全: departments and the industries they supervise',
    tags: ['organisations'],
    auth: 'user',
    query: DepartmentQuery,
    response: { status: 200, schema: listOf(Department) },
    async handler({ ctx, query }) {
      const items = await listDepartments(ctx.db, query);
      return { items, total: items.length, page: 1, pageSize: items.length };
    },
  }),
  route({
    method: 'POST',
    url: '/api/departments',
    summary: 'Create a department (administrators; audited)',
    tags: ['organisations'],
    auth: { permission: 'users.manage' },
    body: DepartmentInput,
    response: { status: 201, schema: Department },
    errors: ['UNKNOWN_REGION', 'UNKNOWN_INDUSTRY', 'DUPLICATE'],
    handler: ({ ctx, body }) => createDepartment(ctx, body),
  }),
];
