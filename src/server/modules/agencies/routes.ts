import { z } from 'zod';
import { IdParam, listOf } from '../../../shared/contracts/common';
import {
  Agency,
  AgencyDetail,
  AgencyInput,
  AgencyPatch,
  AgencyQuery,
  ConcludeInput,
  Engagement,
  EngagementDetail,
  EngagementFindingsInput,
  EngagementInput,
  EngagementQuery,
  LiftInput,
  ListingInput,
  RecordInput,
} from '../../../shared/contracts/agencies';
import { FindingsResult } from '../../../shared/contracts/enforcement';
import { Id } from '../../../shared/contracts/fields';
import { route, type RouteDef } from '../../http/route';
import { concludeEngagement, createEngagement, engagementDetail, listEngagements, recordEngagementFindings } from './engagements';
import { addAgencyRecord, agencyDetail, createAgency, liftListing, listAgencies, listAgency, patchAgency } from './registry';

const tags = ['agencies'];
const ListingParams = z.object({ id: Id, listingId: Id }).strict();

/** 第三方服务机构 (#16, measure 28): the registry, listings, complaints and penalties, engagements and their findings. */
export const agencyRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/agencies', summary: '第三方服务机构名录 with each agency’s standing (qualifications, listings) and figures', tags, auth: 'user', query: AgencyQuery, response: { status: 200, schema: listOf(Agency) }, handler: ({ ctx, query }) => listAgencies(ctx, query) }),
  route({ method: 'POST', url: '/api/agencies', summary: 'Register an agency: credit code, services, qualifications, staff, the approving body', tags, auth: 'user', body: AgencyInput, response: { status: 201, schema: AgencyDetail }, errors: ['FORBIDDEN', 'INVALID_USCC', 'DUPLICATE_USCC', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => createAgency(ctx, body) }),
  route({ method: 'GET', url: '/api/agencies/:id', summary: 'An agency with its record: engagements, findings, reports an inspection contradicted, complaints, penalties, listings', tags, auth: 'user', params: IdParam, response: { status: 200, schema: AgencyDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => agencyDetail(ctx, params.id) }),
  route({ method: 'PATCH', url: '/api/agencies/:id', summary: 'Change an agency’s entry (its keeping office); qualifications and staff are replaced whole', tags, auth: 'user', params: IdParam, body: AgencyPatch, response: { status: 200, schema: AgencyDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => patchAgency(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/agencies/:id/listings', summary: '列入失信名单 List the agency as untrustworthy (the caller’s office, with the facts)', tags, auth: 'user', params: IdParam, body: ListingInput, response: { status: 201, schema: AgencyDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'DUPLICATE', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => listAgency(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/agencies/:id/listings/:listingId/lift', summary: '移出失信名单 (the office that listed it, with a reason)', tags, auth: 'user', params: ListingParams, body: LiftInput, response: { status: 200, schema: AgencyDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => liftListing(ctx, params.id, params.listingId, body) }),
  route({ method: 'POST', url: '/api/agencies/:id/records', summary: '投诉 / 行政处罚: record a complaint or a penalty (an enterprise: a complaint about an agency it engaged)', tags, auth: 'user', params: IdParam, body: RecordInput, response: { status: 201, schema: AgencyDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'UNKNOWN_ENTERPRISE', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => addAgencyRecord(ctx, params.id, body) }),

  route({ method: 'GET', url: '/api/agency-engagements', summary: '委托服务 Engagements in scope (an enterprise: its own)', tags, auth: 'user', query: EngagementQuery, response: { status: 200, schema: listOf(Engagement) }, handler: ({ ctx, query }) => listEngagements(ctx, query) }),
  route({ method: 'POST', url: '/api/agency-engagements', summary: 'Record an engagement (the agency’s warnings must be acknowledged)', tags, auth: 'user', body: EngagementInput, response: { status: 201, schema: EngagementDetail }, errors: ['FORBIDDEN', 'UNKNOWN_ENTERPRISE', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => createEngagement(ctx, body) }),
  route({ method: 'GET', url: '/api/agency-engagements/:id', summary: 'An engagement with its files, findings, events and any inspection that contradicted its report', tags, auth: 'user', params: IdParam, response: { status: 200, schema: EngagementDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => engagementDetail(ctx, params.id) }),
  route({
    method: 'POST',
    url: '/api/agency-engagements/:id/findings',
    summary: 'Record the agency’s findings: each a hazard on the ledger in the same transaction (source 第三方服务, linked to the engagement)',
    tags,
    auth: 'user',
    params: IdParam,
    body: EngagementFindingsInput,
    response: { status: 200, schema: FindingsResult },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'CLAUSE_REQUIRED'],
    handler: ({ ctx, params, body }) => recordEngagementFindings(ctx, params.id, body),
  }),
  route({ method: 'POST', url: '/api/agency-engagements/:id/actions/conclude', summary: '出具报告 File the agency’s report (date, conclusion, files); the engagement closes', tags, auth: 'user', params: IdParam, body: ConcludeInput, response: { status: 200, schema: EngagementDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => concludeEngagement(ctx, params.id, body) }),
];
