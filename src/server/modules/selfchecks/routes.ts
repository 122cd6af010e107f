import { Checklist, ChecklistFromStandard, ChecklistPatch, ChecklistQuery, ChecklistSummary, ChecklistInput } from '../../../shared/contracts/checklists';
import { IdParam, listOf } from '../../../shared/contracts/common';
import { route } from '../../http/route';
import { checklistFromStandard, createChecklist, getChecklist, listChecklists, patchChecklist } from './checklists';

export const selfCheckRoutes = [
  route({
    method: 'GET',
    url: '/api/checklists',
    summary: '检查表 Self-check checklists the caller may see (their organisations’, and an enterprise’s own)',
    tags: ['self-checks'],
    auth: 'user',
    query: ChecklistQuery,
    response: { status: 200, schema: listOf(ChecklistSummary) },
    handler: ({ ctx, query }) => listChecklists(ctx, query),
  }),
  route({
    method: 'POST',
    url: '/api/checklists',
    summary: 'Publish a checklist for the caller’s organisation (city, district, street, department, or the enterprise itself); version 1',
    tags: ['self-checks'],
    auth: 'user',
    body: ChecklistInput,
    response: { status: 201, schema: Checklist },
    errors: ['FORBIDDEN', 'VALIDATION_FAILED'],
    handler: ({ ctx, body }) => createChecklist(ctx, body),
  }),
  route({
    method: 'POST',
    url: '/api/checklists/from-standard',
    summary: '按判定标准生成检查表: one item per clause (lead-in sentences skipped), each citing its clause',
    tags: ['self-checks'],
    auth: 'user',
    body: ChecklistFromStandard,
    response: { status: 201, schema: Checklist },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'],
    handler: ({ ctx, body }) => checklistFromStandard(ctx, body),
  }),
  route({
    method: 'GET',
    url: '/api/checklists/:id',
    summary: 'A checklist with the items of its current version',
    tags: ['self-checks'],
    auth: 'user',
    params: IdParam,
    response: { status: 200, schema: Checklist },
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => getChecklist(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    url: '/api/checklists/:id',
    summary: 'Change a checklist (its organisation): new items make a new version, earlier versions stay for the rounds done against them',
    description: 'Send the checklist’s current `version`; a stale one answers 409 VERSION_CONFLICT.',
    tags: ['self-checks'],
    auth: 'user',
    params: IdParam,
    body: ChecklistPatch,
    response: { status: 200, schema: Checklist },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'VALIDATION_FAILED'],
    handler: ({ ctx, params, body }) => patchChecklist(ctx, params.id, body),
  }),
];
