import { IdParam, listOf } from '../../../shared/contracts/common';
import { AddedTargets, Campaign, CampaignDetail, CampaignInput, CampaignProgress, CampaignQuery, CheckInput, Target, TargetParams, TargetQuery, TargetsInput } from '../../../shared/contracts/campaigns';
import { route, type RouteDef } from '../../http/route';
import { addCampaignTargets, campaignDetail, campaignProgress, checkTarget, createCampaign, listCampaigns, listTargets } from './campaigns';

const tags = ['campaigns'];

/** 综合整治 / 专项整治 (#20, action 2): campaigns, their targets and checks, findings onto the ledger, progress per district. */
export const campaignRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/campaigns', summary: 'Campaigns the reader follows, newest first, with targets, checks and the ledger’s hazards of the campaign', tags, auth: 'user', query: CampaignQuery, response: { status: 200, schema: listOf(Campaign) }, handler: ({ ctx, query }) => listCampaigns(ctx, query) }),
  route({ method: 'POST', url: '/api/campaigns', summary: 'Set up a campaign: topic, period, districts, checklist, targets (enterprises in scope or places)', tags, auth: 'user', body: CampaignInput, response: { status: 201, schema: CampaignDetail }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_REGION', 'STREET_NOT_IN_DISTRICT', 'UNKNOWN_ENTERPRISE'], handler: ({ ctx, body }) => createCampaign(ctx, body) }),
  route({ method: 'GET', url: '/api/campaigns/:id', summary: 'A campaign with its checklist', tags, auth: 'user', params: IdParam, response: { status: 200, schema: CampaignDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => campaignDetail(ctx, params.id) }),
  route({ method: 'GET', url: '/api/campaigns/:id/progress', summary: 'Per district: targets, checked, hazards found, major, closed and open (the ledger’s hazards of the campaign as they stand)', tags, auth: 'user', params: IdParam, response: { status: 200, schema: CampaignProgress }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => campaignProgress(ctx, params.id) }),
  route({ method: 'GET', url: '/api/campaigns/:id/targets', summary: 'The campaign’s targets in the reader’s scope with their checks and findings', tags, auth: 'user', params: IdParam, query: TargetQuery, response: { status: 200, schema: listOf(Target) }, errors: ['NOT_FOUND'], handler: ({ ctx, params, query }) => listTargets(ctx, params.id, query) }),
  route({ method: 'POST', url: '/api/campaigns/:id/targets', summary: 'Add targets (each once)', tags, auth: 'user', params: IdParam, body: TargetsInput, response: { status: 200, schema: AddedTargets }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'UNKNOWN_ENTERPRISE', 'UNKNOWN_REGION', 'STREET_NOT_IN_DISTRICT'], handler: ({ ctx, params, body }) => addCampaignTargets(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/campaigns/:id/targets/:targetId/check', summary: 'Record a target’s check (officers, an expert, or the enterprise’s self-check) under its version; findings onto the ledger, the target their origin', tags, auth: 'user', params: TargetParams, body: CheckInput, response: { status: 200, schema: Target }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'CLAUSE_REQUIRED'], handler: ({ ctx, params, body }) => checkTarget(ctx, params.id, params.targetId, body) }),
];
