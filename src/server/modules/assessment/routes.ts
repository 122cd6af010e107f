import { z } from 'zod';
import { IdParam, listOf } from '../../../shared/contracts/common';
import { Accountability, AccountabilityInput, AccountabilityQuery, ComputableIndicator, EntryInput, FollowUpInput, PublishInput, Quarter, Review, ReviewInput, Run, RunInput, RunQuery, RunSummary, Scheme, SchemeInput } from '../../../shared/contracts/assessment';
import { DOCX, sendDownload } from '../../http/download';
import { route, type RouteDef } from '../../http/route';
import { accountabilityDetail, followUp, listAccountability, recordAccountability } from './accountability';
import { indicatorList } from './indicators';
import { buildQuarterlyReview, getReview, putReview } from './review';
import { createRun, enterValue, getRun, listRuns, publishRun } from './runs';
import { getScheme, putScheme } from './schemes';

const tags = ['assessment'];
const YearParam = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();
const QuarterParam = z.object({ quarter: Quarter }).strict();
const STEP = ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'];

/** 考核评估 (#19): the scorecard as configuration, its runs per period, the 季度点评, accountability. */
export const assessmentRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/assessment/indicators', summary: 'The indicators Zhiben computes for a district over a period, with how each is counted and a suggested scoring rule', tags, auth: 'user', response: { status: 200, schema: z.object({ items: z.array(ComputableIndicator) }) }, handler: async () => ({ items: indicatorList() }) }),
  route({ method: 'GET', url: '/api/assessment/schemes/:year', summary: 'The year’s scheme in force (version 0: the shipped example, labelled)', tags, auth: 'user', params: YearParam, response: { status: 200, schema: Scheme }, errors: ['FORBIDDEN'], handler: ({ ctx, params }) => getScheme(ctx, params.year) }),
  route({ method: 'PUT', url: '/api/assessment/schemes/:year', summary: 'Save the year’s scheme as its next version (weights sum to 100; computed indicators exist; veto caps are grades)', tags, auth: 'user', params: YearParam, body: SchemeInput, response: { status: 200, schema: Scheme }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'VERSION_CONFLICT'], handler: ({ ctx, params, body }) => putScheme(ctx, params.year, body) }),
  route({ method: 'GET', url: '/api/assessment/runs', summary: 'Assessment runs (the districts and city-level readers: published ones)', tags, auth: 'user', query: RunQuery, response: { status: 200, schema: listOf(RunSummary) }, errors: ['FORBIDDEN'], handler: ({ ctx, query }) => listRuns(ctx, query) }),
  route({ method: 'POST', url: '/api/assessment/runs', summary: 'Run the year’s scheme for a period (YYYY-MM, YYYYQn, YYYY) over every district: values, points, totals, grades, ranks, vetoes; a re-run is the period’s next number, with the difference', tags, auth: 'user', body: RunInput, response: { status: 201, schema: Run }, errors: ['FORBIDDEN', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => createRun(ctx, body) }),
  route({ method: 'GET', url: '/api/assessment/runs/:id', summary: 'A run with every district’s scores and the list behind each computed value', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Run }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => getRun(ctx, params.id) }),
  route({ method: 'PUT', url: '/api/assessment/runs/:id/entries', summary: 'Enter a value of an entered indicator for a district, with its note and evidence (draft runs)', tags, auth: 'user', params: IdParam, body: EntryInput, response: { status: 200, schema: Run }, errors: STEP, handler: ({ ctx, params, body }) => enterValue(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/assessment/runs/:id/actions/publish', summary: 'Publish the run: frozen, read by the districts; the period’s earlier published run is superseded', tags, auth: 'user', params: IdParam, body: PublishInput, response: { status: 200, schema: Run }, errors: STEP, handler: ({ ctx, params, body }) => publishRun(ctx, params.id, body.version) }),
  route({ method: 'GET', url: '/api/assessment/reviews/:quarter', summary: 'The office’s comments for the quarter’s 季度点评', tags, auth: 'user', params: QuarterParam, response: { status: 200, schema: Review }, errors: ['FORBIDDEN'], handler: ({ ctx, params }) => getReview(ctx, params.quarter) }),
  route({ method: 'PUT', url: '/api/assessment/reviews/:quarter', summary: 'Save the comments (overall and per district) before generating the 季度点评', tags, auth: 'user', params: QuarterParam, body: ReviewInput, response: { status: 200, schema: Review }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'VERSION_CONFLICT'], handler: ({ ctx, params, body }) => putReview(ctx, params.quarter, body) }),
  route({
    method: 'GET',
    url: '/api/reports/quarterly-review.docx',
    summary: '季度点评 The quarter’s review (.docx): the ranking against the quarter before, each district’s indicators, the named units, the office’s comments',
    tags: ['documents'],
    auth: 'user',
    query: z.object({ quarter: Quarter }).strict(),
    response: { status: 200 },
    errors: ['NOT_FOUND', 'FORBIDDEN'],
    async handler({ ctx, query, reply }) {
      const { file, name, ascii } = await buildQuarterlyReview(ctx, query.quarter);
      return sendDownload(reply, DOCX, ascii, name, file);
    },
  }),
  route({ method: 'GET', url: '/api/accountability', summary: '点名、通报、约谈、移交 in scope (a district: its own and its enterprises’; an enterprise: its own)', tags, auth: 'user', query: AccountabilityQuery, response: { status: 200, schema: listOf(Accountability) }, handler: ({ ctx, query }) => listAccountability(ctx, query) }),
  route({ method: 'POST', url: '/api/accountability', summary: 'Record 点名/通报/约谈/移交 against a district (the city office) or an enterprise (the city or its district’s office), with its reason, source and the follow-up required', tags, auth: 'user', body: AccountabilityInput, response: { status: 201, schema: Accountability }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_REGION', 'UNKNOWN_ENTERPRISE'], handler: ({ ctx, body }) => recordAccountability(ctx, body) }),
  route({ method: 'GET', url: '/api/accountability/:id', summary: 'An accountability record', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Accountability }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => accountabilityDetail(ctx, params.id) }),
  route({ method: 'POST', url: '/api/accountability/:id/follow-up', summary: 'The follow-up with its evidence (the target, or the office)', tags, auth: 'user', params: IdParam, body: FollowUpInput, response: { status: 200, schema: Accountability }, errors: STEP, handler: ({ ctx, params, body }) => followUp(ctx, params.id, body) }),
];
