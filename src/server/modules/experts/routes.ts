import { IdParam, listOf } from '../../../shared/contracts/common';
import {
  AssignmentInput,
  CandidateQuery,
  Coverage,
  CoverageQuery,
  Expert,
  ExpertCandidate,
  ExpertConflict,
  ExpertConflictInput,
  ExpertDetail,
  ExpertInput,
  ExpertPatch,
  ExpertQuery,
  FeedbackInput,
  Programme,
  ProgrammeInput,
  Target,
  TargetQuery,
  Visit,
  VisitDetail,
  VisitFindingsInput,
  VisitQuery,
  VisitStepInput,
  type VisitAction,
} from '../../../shared/contracts/experts';
import { FindingsResult } from '../../../shared/contracts/enforcement';
import { docxRoute } from '../../http/doc-route';
import { route, type RouteDef } from '../../http/route';
import { expertReportFile } from './documents';
import { addExpert, declareExpertConflict, expertCandidates, expertDetail, listExperts, patchExpert } from './pool';
import { createProgramme, listProgrammes, programmeCoverage, programmeDetail, programmeTargets } from './programmes';
import { assignExperts, giveFeedback, listVisits, recordVisitFindings, stepVisit, visitDetail } from './visits';

const tags = ['experts'];

const SUMMARIES: Record<VisitAction, string> = {
  start: '开始检查 (the visit’s experts)',
  submit: '提交检查报告 with the advice (帮扶建议); the target enterprise is covered',
  cancel: '取消指派 (the programme’s office, before any finding; a reason)',
};

function visitStep(action: VisitAction): RouteDef {
  return route({
    method: 'POST',
    url: `/api/expert-visits/:id/actions/${action}`,
    summary: SUMMARIES[action],
    tags,
    auth: 'user',
    params: IdParam,
    body: VisitStepInput,
    response: { status: 200, schema: VisitDetail },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'],
    handler: ({ ctx, params, body }) => stepVisit(ctx, params.id, action, body),
  });
}

/** 啄木鸟 (#16): the expert pool, programmes and their coverage, assignments and visits. */
export const expertRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/experts', summary: '专家库 Experts in the caller’s pool (`assignable=true`: active and appointed today; `enterpriseId`: not conflicted with it)', tags, auth: 'user', query: ExpertQuery, response: { status: 200, schema: listOf(Expert) }, handler: ({ ctx, query }) => listExperts(ctx, query) }),
  route({ method: 'GET', url: '/api/experts/candidates', summary: 'Expert accounts of the city not yet in a pool (for the office adding one)', tags, auth: 'user', query: CandidateQuery, response: { status: 200, schema: listOf(ExpertCandidate) }, errors: ['FORBIDDEN'], handler: ({ ctx, query }) => expertCandidates(ctx, query) }),
  route({ method: 'POST', url: '/api/experts', summary: 'Add an expert account to the office’s pool with the appointment and specialties', tags, auth: 'user', body: ExpertInput, response: { status: 201, schema: ExpertDetail }, errors: ['FORBIDDEN', 'DUPLICATE', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => addExpert(ctx, body) }),
  route({ method: 'GET', url: '/api/experts/:id', summary: 'An expert with their record: visits, findings, confirmed and voided findings, enterprises’ feedback', tags, auth: 'user', params: IdParam, response: { status: 200, schema: ExpertDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => expertDetail(ctx, params.id) }),
  route({ method: 'PATCH', url: '/api/experts/:id', summary: 'Change an appointment or specialties, or suspend an expert (with a reason)', tags, auth: 'user', params: IdParam, body: ExpertPatch, response: { status: 200, schema: ExpertDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => patchExpert(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/experts/:id/conflicts', summary: '利害关系回避 Declare an expert’s conflict of interest with an enterprise', tags, auth: 'user', params: IdParam, body: ExpertConflictInput, response: { status: 201, schema: ExpertConflict }, errors: ['FORBIDDEN', 'NOT_FOUND', 'DUPLICATE', 'UNKNOWN_ENTERPRISE'], handler: ({ ctx, params, body }) => declareExpertConflict(ctx, params.id, body) }),

  route({ method: 'GET', url: '/api/expert-programmes', summary: '啄木鸟计划 Programmes in scope with their coverage counts', tags, auth: 'user', response: { status: 200, schema: listOf(Programme) }, handler: ({ ctx }) => listProgrammes(ctx) }),
  route({ method: 'POST', url: '/api/expert-programmes', summary: 'Set a programme: its target enterprises (a list or a filter) and period (three years by default)', tags, auth: 'user', body: ProgrammeInput, response: { status: 201, schema: Programme }, errors: ['FORBIDDEN', 'UNKNOWN_REGION', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => createProgramme(ctx, body) }),
  route({ method: 'GET', url: '/api/expert-programmes/:id', summary: 'A programme', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Programme }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => programmeDetail(ctx, params.id) }),
  route({ method: 'GET', url: '/api/expert-programmes/:id/targets', summary: 'A programme’s target enterprises and their state (not yet, scheduled, covered)', tags, auth: 'user', params: IdParam, query: TargetQuery, response: { status: 200, schema: listOf(Target) }, errors: ['NOT_FOUND'], handler: ({ ctx, params, query }) => programmeTargets(ctx, params.id, query) }),
  route({ method: 'GET', url: '/api/expert-programmes/:id/coverage', summary: 'Coverage by district, street or industry, with the projected date of full coverage at the pace so far', tags, auth: 'user', params: IdParam, query: CoverageQuery, response: { status: 200, schema: Coverage }, errors: ['NOT_FOUND'], handler: ({ ctx, params, query }) => programmeCoverage(ctx, params.id, query) }),

  route({ method: 'POST', url: '/api/expert-assignments', summary: '指派专家 Assign experts to a target enterprise with a window (creates the visit)', tags, auth: 'user', body: AssignmentInput, response: { status: 201, schema: VisitDetail }, errors: ['FORBIDDEN', 'DUPLICATE', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => assignExperts(ctx, body) }),
  route({ method: 'GET', url: '/api/expert-visits', summary: '专家检查 Visits in scope (an expert: their own)', tags, auth: 'user', query: VisitQuery, response: { status: 200, schema: listOf(Visit) }, handler: ({ ctx, query }) => listVisits(ctx, query) }),
  route({ method: 'GET', url: '/api/expert-visits/:id', summary: 'A visit with its findings, advice, events and the steps the caller may take', tags, auth: 'user', params: IdParam, response: { status: 200, schema: VisitDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => visitDetail(ctx, params.id) }),
  route({
    method: 'POST',
    url: '/api/expert-visits/:id/findings',
    summary: 'Record findings: each a hazard on the ledger in the same transaction (source 专家检查, linked to the visit)',
    tags,
    auth: 'user',
    params: IdParam,
    body: VisitFindingsInput,
    response: { status: 200, schema: FindingsResult },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'CLAUSE_REQUIRED'],
    handler: ({ ctx, params, body }) => recordVisitFindings(ctx, params.id, body),
  }),
  ...(['start', 'submit', 'cancel'] as const).map(visitStep),
  docxRoute('/api/expert-visits/:id/report.docx', '专家检查报告 (.docx) of a submitted visit', expertReportFile),
  route({ method: 'POST', url: '/api/expert-visits/:id/feedback', summary: 'The enterprise’s rating (1–5) of a submitted visit, once', tags, auth: 'user', params: IdParam, body: FeedbackInput, response: { status: 200, schema: VisitDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'DUPLICATE', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => giveFeedback(ctx, params.id, body) }),
];
