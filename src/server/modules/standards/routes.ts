import { z } from 'zod';
import { Id, Int, QueryInt, SearchText, Slug, Text } from '../../../shared/contracts/fields';
import { listOf } from '../../../shared/contracts/common';
import { Clause, ClauseInput, ClauseSuggestion, ClausePatch, StandardDetail, StandardQuery, StandardSummary } from '../../../shared/contracts/standards';
import { notFound } from '../../errors/app-error';
import { route } from '../../http/route';
import { addClause, correctClause } from './commands';
import { getStandard, listStandards, searchClauses } from './repository';
import { suggestClauses } from './suggestions';

const StandardId = z.object({ id: Slug });
const ClauseIds = z.object({ id: Slug, clauseId: Id });
const ClauseSearch = z
  .object({
    q: SearchText.optional(),
    standardId: Slug.optional(),
    /** Only clauses a hazard may cite (no purpose, scope, definitions or lead-in articles). */
    citable: z.enum(['true']).transform(() => true).optional(),
    page: QueryInt(1, 100_000).default(1),
    pageSize: QueryInt(1, 200).default(20),
  })
  .strict();

export const standardRoutes = [
  route({
    method: 'GET',
    url: '/api/standards',
    summary: '重大事故隐患判定标准 Judgement standards, with how complete their clause text is',
    tags: ['standards'],
    auth: 'user',
    query: StandardQuery,
    response: { status: 200, schema: listOf(StandardSummary) },
    async handler({ ctx, query }) {
      const items = await listStandards(ctx.db, ctx.dialect, query.q);
      return { items, total: items.length, page: 1, pageSize: items.length };
    },
  }),
  route({
    method: 'GET',
    url: '/api/standards/clauses',
    summary: 'Search clause text across all standards',
    tags: ['standards'],
    auth: 'user',
    query: ClauseSearch,
    response: { status: 200, schema: listOf(Clause.extend({ standardTitle: z.string() })) },
    handler: ({ ctx, query }) => searchClauses(ctx.db, ctx.dialect, query),
  }),
  route({
    method: 'GET',
    url: '/api/standards/:id',
    summary: 'One standard with its clauses',
    tags: ['standards'],
    auth: 'user',
    params: StandardId,
    response: { status: 200, schema: StandardDetail },
    errors: ['NOT_FOUND'],
    async handler({ ctx, params }) {
      const s = await getStandard(ctx.db, params.id);
      if (!s) throw notFound('判定标准', 'standard');
      return s;
    },
  }),
  route({
    method: 'POST',
    url: '/api/standards/:id/clauses',
    summary: 'Add a clause (administrators; audited)',
    tags: ['standards'],
    auth: { permission: 'standards.edit' },
    params: StandardId,
    body: ClauseInput,
    response: { status: 201, schema: Clause },
    errors: ['NOT_FOUND', 'DUPLICATE', 'VALIDATION_FAILED'],
    handler: ({ ctx, params, body }) => addClause(ctx, params.id, body),
  }),
  route({
    method: 'PATCH',
    url: '/api/standards/:id/clauses/:clauseId',
    summary: 'Correct a clause (administrators; audited with the old text)',
    tags: ['standards'],
    auth: { permission: 'standards.edit' },
    params: ClauseIds,
    body: ClausePatch,
    response: { status: 200, schema: Clause },
    errors: ['NOT_FOUND', 'DUPLICATE', 'VALIDATION_FAILED'],
    handler: ({ ctx, params, body }) => correctClause(ctx, params.id, params.clauseId, body),
  }),
];

const SuggestInput = z
  .object({
    text: Text(2000, { min: 1 }),
    limit: Int(1, 20).default(5),
    enterpriseId: Id.optional().describe("rank first the standards that apply to this enterprise's industry"),
  })
  .strict();

standardRoutes.push(
  route({
    method: 'POST',
    url: '/api/standards/suggest',
    summary: '判定辅助: the clauses that best match a hazard description (offline, deterministic text similarity), the standards of the enterprise’s industry first',
    tags: ['standards'],
    auth: 'user',
    body: SuggestInput,
    response: {
      status: 200,
      schema: z.object({
        items: z.array(ClauseSuggestion),
        incomplete: z.array(z.object({ standardId: z.string(), title: z.string(), completeness: z.object({ zh: z.string(), en: z.string() }) })).describe('applicable standards whose text is held only in part'),
      }),
    },
    handler: ({ ctx, body }) => suggestClauses(ctx, body),
  }),
);
