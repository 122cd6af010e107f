import { z } from 'zod';
import { IdParam, listOf } from '../../../shared/contracts/common';
import { Risk, RiskDetail, RiskHazardLink, RiskHazardParams, RiskInput, RiskMap, RiskMapQuery, RiskPatch, RiskQuery, RiskRound, RiskRoundInput, RiskRoundSubmission, RoundCompletion, RoundListQuery } from '../../../shared/contracts/risks';
import { route, type RouteDef } from '../../http/route';
import { createRisk, linkHazards, listRisks, patchRisk, riskDetail, riskMap, unlinkHazard } from './registry';
import { createRound, listRounds, roundCompletion, submitRound } from './rounds';

const tags = ['risks'];
const WRITE = ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_REGION', 'STREET_NOT_IN_DISTRICT', 'UNKNOWN_ENTERPRISE'];
const Events = z.array(z.object({ seq: z.number(), action: z.string(), actorName: z.string(), at: z.string(), comment: z.string().nullable(), data: z.record(z.string(), z.unknown()).nullable(), attachmentIds: z.array(z.string()) }));
const Detail = RiskDetail.extend({ events: Events });

/** 城市安全风险清单 (#20, action 2): risk items (level computed from the method), links to the ledger, the map, the assessment rounds. */
export const riskRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/risks', summary: 'Risk items in scope (an enterprise: those concerning it), red first; filter by district, street, level, method, type, round, enterprise, flagged (open major hazards linked)', tags, auth: 'user', query: RiskQuery, response: { status: 200, schema: listOf(Risk) }, handler: ({ ctx, query }) => listRisks(ctx, query) }),
  route({ method: 'GET', url: '/api/risks/map', summary: '风险地图: every item in scope with coordinates, coloured by level, and the count per district and level', tags, auth: 'user', query: RiskMapQuery, response: { status: 200, schema: RiskMap }, handler: ({ ctx, query }) => riskMap(ctx, query) }),
  route({ method: 'POST', url: '/api/risks', summary: 'Record a risk item; the score and level are computed from the method and its inputs under the thresholds in force (a level sent is refused)', tags, auth: 'user', body: RiskInput, response: { status: 201, schema: Detail }, errors: WRITE, handler: ({ ctx, body }) => createRisk(ctx, body) }),
  route({ method: 'GET', url: '/api/risks/:id', summary: 'A risk item with its measures, enterprises, linked hazards (those the reader may see) and timeline', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Detail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => riskDetail(ctx, params.id) }),
  route({ method: 'PATCH', url: '/api/risks/:id', summary: 'Change a risk item under its version; new inputs or method are assessed again', tags, auth: 'user', params: IdParam, body: RiskPatch, response: { status: 200, schema: Detail }, errors: [...WRITE, 'NOT_FOUND', 'VERSION_CONFLICT'], handler: ({ ctx, params, body }) => patchRisk(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/risks/:id/hazards', summary: 'Link hazards on the ledger to the risk item', tags, auth: 'user', params: IdParam, body: RiskHazardLink, response: { status: 200, schema: Detail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => linkHazards(ctx, params.id, body) }),
  route({ method: 'DELETE', url: '/api/risks/:id/hazards/:hazardId', summary: 'Remove a hazard’s link to the risk item', tags, auth: 'user', params: RiskHazardParams, response: { status: 200, schema: Detail }, errors: ['FORBIDDEN', 'NOT_FOUND'], handler: ({ ctx, params }) => unlinkHazard(ctx, params.id, params.hazardId) }),
  route({ method: 'GET', url: '/api/risk-rounds', summary: 'Assessment rounds the reader takes part in, newest first, with how many districts are complete', tags, auth: 'user', query: RoundListQuery, response: { status: 200, schema: listOf(RiskRound) }, handler: ({ ctx, query }) => listRounds(ctx, query) }),
  route({ method: 'POST', url: '/api/risk-rounds', summary: 'Start an assessment round (the city office): districts, period, completion rule', tags, auth: 'user', body: RiskRoundInput, response: { status: 201, schema: RoundCompletion }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_REGION'], handler: ({ ctx, body }) => createRound(ctx, body) }),
  route({ method: 'GET', url: '/api/risk-rounds/:id/completion', summary: 'Completion per district: items assessed in the round by level, the submission and its report, what is missing', tags, auth: 'user', params: IdParam, response: { status: 200, schema: RoundCompletion }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => roundCompletion(ctx, params.id) }),
  route({ method: 'POST', url: '/api/risk-rounds/:id/submissions', summary: 'A district submits its part of the round (once), with its report', tags, auth: 'user', params: IdParam, body: RiskRoundSubmission, response: { status: 200, schema: RoundCompletion }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'ALREADY_SUBMITTED'], handler: ({ ctx, params, body }) => submitRound(ctx, params.id, body) }),
];
