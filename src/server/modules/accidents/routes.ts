import { listOf, IdParam } from '../../../shared/contracts/common';
import { Accident, AccidentDetail, AccidentTrends, TrendQuery, AccidentInput, AccidentQuery, CasualtyUpdate, ConcealmentInput, InvestigationConclude, InvestigationStart } from '../../../shared/contracts/accidents';
import { route, type RouteDef } from '../../http/route';
import { accidentTrends } from './trends';
import { accidentDetail, concludeInvestigation, listAccidents, markConcealment, registerAccident, startInvestigation, supplementCasualties } from './registry';

const tags = ['accidents'];
const STEP = ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'];

/** 生产安全事故 (#19): the registry — grade computed, reporting timeliness, casualty supplements, 瞒报/谎报, the investigation. */
export const accidentRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/accidents', summary: 'Accidents in scope (an enterprise: its own), filtered by district, grade, category, dates (Shanghai days), late reports, concealment', tags, auth: 'user', query: AccidentQuery, response: { status: 200, schema: listOf(Accident) }, handler: ({ ctx, query }) => listAccidents(ctx, query) }),
  route({ method: 'GET', url: '/api/accidents/trends', summary: '事故趋势: accidents and deaths by month, district, industry and category against the same period last year, with a verdict (falling, flat, rising)', tags, auth: 'user', query: TrendQuery, response: { status: 200, schema: AccidentTrends }, handler: ({ ctx, query }) => accidentTrends(ctx, query) }),
  route({ method: 'POST', url: '/api/accidents', summary: 'Record an accident; its grade is computed from the figures under the rule in force, a report after the rule’s hour is flagged late', tags, auth: 'user', body: AccidentInput, response: { status: 201, schema: AccidentDetail }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_ENTERPRISE', 'UNKNOWN_REGION', 'STREET_NOT_IN_DISTRICT', 'UNKNOWN_INDUSTRY'], handler: ({ ctx, body }) => registerAccident(ctx, body) }),
  route({ method: 'GET', url: '/api/accidents/:id', summary: 'An accident with its timeline, the supplement window, the investigation and the hazards it found', tags, auth: 'user', params: IdParam, response: { status: 200, schema: AccidentDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => accidentDetail(ctx, params.id) }),
  route({ method: 'POST', url: '/api/accidents/:id/casualties', summary: '伤亡补报: new figures within the window (30 days; 7 for fire and road traffic); the grade is recomputed', tags, auth: 'user', params: IdParam, body: CasualtyUpdate, response: { status: 200, schema: AccidentDetail }, errors: STEP, handler: ({ ctx, params, body }) => supplementCasualties(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/accidents/:id/concealment', summary: '瞒报/谎报: mark the accident, with the tip that revealed it', tags, auth: 'user', params: IdParam, body: ConcealmentInput, response: { status: 200, schema: AccidentDetail }, errors: STEP, handler: ({ ctx, params, body }) => markConcealment(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/accidents/:id/investigation', summary: 'Start the investigation (the lead body)', tags, auth: 'user', params: IdParam, body: InvestigationStart, response: { status: 200, schema: AccidentDetail }, errors: STEP, handler: ({ ctx, params, body }) => startInvestigation(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/accidents/:id/investigation/conclude', summary: 'Conclude it: the report, the responsibility findings, the hazards found onto the ledger (source 事故调查)', tags, auth: 'user', params: IdParam, body: InvestigationConclude, response: { status: 200, schema: AccidentDetail }, errors: [...STEP, 'CLAUSE_REQUIRED'], handler: ({ ctx, params, body }) => concludeInvestigation(ctx, params.id, body) }),
];
