import { z } from 'zod';
import { IdParam, listOf } from '../../../shared/contracts/common';
import {
  AcceptFindingsInput,
  Bulletin,
  Case,
  CaseDetail,
  CaseInput,
  CaseQuery,
  CaseStepInput,
  Conflict,
  ConflictInput,
  Draw,
  DrawInput,
  DrawQuery,
  DrawSummary,
  Finding,
  FindingQuery,
  FindingsInput,
  FindingsResult,
  Inspection,
  InspectionDetail,
  InspectionInput,
  InspectionQuery,
  InspectionStepInput,
  KeyUnit,
  KeyUnitQuery,
  KeyUnitsInput,
  KeyUnitsResult,
  Matrix,
  MatrixInput,
  MatrixQuery,
  Plan,
  PlanInput,
  PlanItem,
  PlanItemQuery,
  PlanQuery,
  PlanSummary,
  Provision,
  ProvisionInput,
  PublicDraw,
  Replay,
  StatsQuery,
  type CaseAction,
  type InspectionAction,
} from '../../../shared/contracts/enforcement';
import { DOCX, sendDownload } from '../../http/download';
import { docxRoute } from '../../http/doc-route';
import { route, type RouteDef } from '../../http/route';
import { caseDetail, fileCase, listCases, stepCase } from './cases';
import { declareConflict, listConflicts } from './conflicts';
import { bulletinFile, decisionFile, orderFile, recordFile } from './document-files';
import { createDraw, drawDetail, listDraws, publicDraw, publishDraw, replayDraw } from './draws';
import { acceptFindings, createInspection, inspectionDetail, listFindings, listInspections, recordFindings, stepInspection } from './inspections';
import { getMatrix, putMatrix } from './matrix';
import { addKeyUnits, generatePlan, listKeyUnits, listPlans, planDetail, planItems } from './plans';
import { addProvision, getDiscretion, listProvisions } from './provisions';
import { enforcementBulletin } from './stats';

const tags = ['enforcement'];
const Discretion = z.object({ items: z.array(z.object({ code: z.string(), label: z.string(), minYuan: z.number(), maxYuan: z.number() })), isExample: z.boolean(), note: z.string() });

function inspectionStep(action: InspectionAction): RouteDef {
  return route({
    method: 'POST',
    url: `/api/inspections/:id/actions/${action}`,
    summary: action === 'start' ? '开始检查 (its inspectors)' : '完成检查: the items’ results, the enterprise’s signature or refusal; the figures and the plan move',
    tags,
    auth: 'user',
    params: IdParam,
    body: InspectionStepInput,
    response: { status: 200, schema: InspectionDetail },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'],
    handler: ({ ctx, params, body }) => stepInspection(ctx, params.id, action, body),
  });
}

function caseStep<A extends CaseAction>(action: A, summary: string): RouteDef {
  return route({
    method: 'POST',
    url: `/api/cases/:id/actions/${action}`,
    summary,
    tags,
    auth: 'user',
    params: IdParam,
    body: CaseStepInput[action],
    response: { status: 200, schema: CaseDetail },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'],
    handler: ({ ctx, params, body }) => stepCase(ctx, params.id, action, body as never),
  });
}

export const enforcementRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/enforcement/matrix', summary: '执法频次矩阵 The frequency matrix in force for a scope and year (example, city, district or department cells)', tags, auth: 'user', query: MatrixQuery, response: { status: 200, schema: Matrix }, errors: ['FORBIDDEN', 'UNKNOWN_REGION', 'UNKNOWN_DEPARTMENT'], handler: ({ ctx, query }) => getMatrix(ctx, query) }),
  route({ method: 'PUT', url: '/api/enforcement/matrix', summary: 'Set matrix cells for the city, a district or a department and a year (a new revision, audited)', tags, auth: 'user', body: MatrixInput, response: { status: 200, schema: Matrix }, errors: ['FORBIDDEN', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => putMatrix(ctx, body) }),
  route({ method: 'GET', url: '/api/enforcement/key-units', summary: '重点检查单位 A year’s key units in scope, each with its latest finished inspection in the window (`covered=true|false`)', tags, auth: 'user', query: KeyUnitQuery, response: { status: 200, schema: listOf(KeyUnit) }, errors: ['VALIDATION_FAILED'], handler: ({ ctx, query }) => listKeyUnits(ctx, query) }),
  route({ method: 'GET', url: '/api/enforcement/findings', summary: '检查发现的隐患 The hazards finished inspections found, by the inspection’s date (`grade`, `state=open|closed|voided`)', tags, auth: 'user', query: FindingQuery, response: { status: 200, schema: listOf(Finding) }, errors: ['VALIDATION_FAILED'], handler: ({ ctx, query }) => listFindings(ctx, query) }),
  route({ method: 'POST', url: '/api/enforcement/key-units', summary: '重点检查单位 Add a district’s key units of a year (ids or credit codes); every unknown row is reported', tags, auth: 'user', body: KeyUnitsInput, response: { status: 200, schema: KeyUnitsResult }, errors: ['FORBIDDEN', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => addKeyUnits(ctx, body) }),
  route({ method: 'GET', url: '/api/enforcement/provisions', summary: '法律依据目录 The catalogue of legal provisions a case may cite (verified articles only)', tags, auth: 'user', response: { status: 200, schema: listOf(Provision) }, handler: ({ ctx }) => listProvisions(ctx) }),
  route({ method: 'POST', url: '/api/enforcement/provisions', summary: 'Add a provision to the catalogue (city administrators)', tags, auth: 'user', body: ProvisionInput, response: { status: 201, schema: Provision }, errors: ['FORBIDDEN', 'DUPLICATE'], handler: ({ ctx, body }) => addProvision(ctx, body) }),
  route({ method: 'GET', url: '/api/enforcement/discretion', summary: '裁量基准 The discretion table in force today (a labelled example until the city sets it under /api/rules)', tags, auth: 'user', response: { status: 200, schema: Discretion }, handler: ({ ctx }) => getDiscretion(ctx) }),
  route({ method: 'GET', url: '/api/enforcement/conflicts', summary: '利害关系回避 Declared conflicts of interest in scope', tags, auth: 'user', response: { status: 200, schema: listOf(Conflict) }, handler: ({ ctx }) => listConflicts(ctx) }),
  route({ method: 'POST', url: '/api/enforcement/conflicts', summary: 'Declare an inspector’s conflict of interest with an enterprise (the inspector, or an officer over both)', tags, auth: 'user', body: ConflictInput, response: { status: 201, schema: Conflict }, errors: ['FORBIDDEN', 'DUPLICATE', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => declareConflict(ctx, body) }),
  route({ method: 'GET', url: '/api/enforcement/stats', summary: '季度执法通报 The quarterly bulletin for a district or the city (`quarter=2026Q4`)', tags, auth: 'user', query: StatsQuery, response: { status: 200, schema: Bulletin }, errors: ['NOT_FOUND', 'VALIDATION_FAILED'], handler: ({ ctx, query }) => enforcementBulletin(ctx, query) }),
  route({
    method: 'GET',
    url: '/api/enforcement/bulletin.docx',
    summary: '季度执法通报 (.docx)',
    tags: ['documents'],
    auth: 'user',
    query: StatsQuery,
    response: { status: 200 },
    errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
    async handler({ ctx, query, reply }) {
      const d = await bulletinFile(ctx, query);
      return sendDownload(reply, DOCX, d.ascii, d.name, d.file);
    },
  }),

  route({ method: 'GET', url: '/api/inspection-plans', summary: '年度执法检查计划 Plans in scope with their coverage', tags, auth: 'user', query: PlanQuery, response: { status: 200, schema: listOf(PlanSummary) }, handler: ({ ctx, query }) => listPlans(ctx, query) }),
  route({ method: 'POST', url: '/api/inspection-plans', summary: 'Generate a district’s (or department’s) plan of a year from the matrix; key units at least once', tags, auth: 'user', body: PlanInput, response: { status: 201, schema: Plan }, errors: ['FORBIDDEN', 'DUPLICATE', 'UNKNOWN_REGION', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => generatePlan(ctx, body) }),
  route({ method: 'GET', url: '/api/inspection-plans/:id', summary: 'A plan: planned, done, overdue, unplanned, key units covered, by month', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Plan }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => planDetail(ctx, params.id) }),
  route({ method: 'GET', url: '/api/inspection-plans/:id/items', summary: 'A plan’s enterprises with their planned months and progress', tags, auth: 'user', params: IdParam, query: PlanItemQuery, response: { status: 200, schema: listOf(PlanItem) }, errors: ['NOT_FOUND'], handler: ({ ctx, params, query }) => planItems(ctx, params.id, query) }),

  route({ method: 'GET', url: '/api/draws', summary: '双随机抽取记录 Draws in scope, latest first', tags, auth: 'user', query: DrawQuery, response: { status: 200, schema: listOf(DrawSummary) }, handler: ({ ctx, query }) => listDraws(ctx, query) }),
  route({
    method: 'POST',
    url: '/api/draws',
    summary: '双随机抽取: N enterprises from the filtered pool and k inspectors each (conflicts and the last 12 months’ inspectors left out); one inspection each',
    description: 'The pool (sorted ids), the seed and the algorithm are kept, so anyone can recompute the draw (POST /api/draws/:id/replay). A pool smaller than N, or too few staffable enterprises, answers 400 naming the numbers.',
    tags,
    auth: 'user',
    body: DrawInput,
    response: { status: 201, schema: Draw },
    errors: ['FORBIDDEN', 'OUT_OF_SCOPE', 'VALIDATION_FAILED'],
    handler: ({ ctx, body }) => createDraw(ctx, body),
  }),
  route({ method: 'GET', url: '/api/draws/:id', summary: 'A draw: seed, algorithm, pool size and hash, enterprises, inspectors, exclusions', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Draw }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => drawDetail(ctx, params.id) }),
  route({ method: 'POST', url: '/api/draws/:id/replay', summary: '复核: recompute the draw from its pool and seed and check them against the audit log', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Replay }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => replayDraw(ctx, params.id) }),
  route({ method: 'POST', url: '/api/draws/:id/publish', summary: '公开 a draw’s result on the public page', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Draw }, errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_TRANSITION'], handler: ({ ctx, params }) => publishDraw(ctx, params.id) }),
  route({ method: 'GET', url: '/api/public/draws/:id', summary: 'A published draw for anyone, without login: enterprise names and dates, seed, algorithm, pool size and hash', tags, auth: 'public', params: IdParam, response: { status: 200, schema: PublicDraw }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => publicDraw(ctx, params.id) }),

  route({ method: 'GET', url: '/api/inspections', summary: '执法检查 Inspections in scope (`mine=true`: the caller’s own as inspector)', tags, auth: 'user', query: InspectionQuery, response: { status: 200, schema: listOf(Inspection) }, handler: ({ ctx, query }) => listInspections(ctx, query) }),
  route({ method: 'POST', url: '/api/inspections', summary: 'Arrange an inspection (two or more inspectors, none conflicted)', tags, auth: 'user', body: InspectionInput, response: { status: 201, schema: InspectionDetail }, errors: ['FORBIDDEN', 'UNKNOWN_ENTERPRISE', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => createInspection(ctx, body) }),
  route({ method: 'GET', url: '/api/inspections/:id', summary: 'An inspection with its checklist, results, findings, the enterprise’s open hazards and past inspections, events', tags, auth: 'user', params: IdParam, response: { status: 200, schema: InspectionDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => inspectionDetail(ctx, params.id) }),
  route({
    method: 'POST',
    url: '/api/inspections/:id/findings',
    summary: '记录隐患: findings onto the ledger in one transaction (source 执法检查, linked to the inspection); any refused writes nothing',
    tags,
    auth: 'user',
    params: IdParam,
    body: FindingsInput,
    response: { status: 201, schema: FindingsResult },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'CLAUSE_REQUIRED'],
    handler: ({ ctx, params, body }) => recordFindings(ctx, params.id, body),
  }),
  route({
    method: 'POST',
    url: '/api/inspections/:id/accept-findings',
    summary: '复查验收: a follow-up accepts the earlier inspection’s rectified general findings (through the hazard loop’s acceptance)',
    tags,
    auth: 'user',
    params: IdParam,
    body: AcceptFindingsInput,
    response: { status: 200, schema: InspectionDetail },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'SEPARATION_OF_DUTIES'],
    handler: ({ ctx, params, body }) => acceptFindings(ctx, params.id, body),
  }),
  inspectionStep('start'),
  inspectionStep('finish'),
  docxRoute('/api/inspections/:id/record.docx', '现场检查记录 (.docx)', recordFile),
  docxRoute('/api/inspections/:id/order.docx', '责令限期整改指令书 (.docx): every finding with its deadline', orderFile),

  route({ method: 'GET', url: '/api/cases', summary: '案件 Cases in scope', tags, auth: 'user', query: CaseQuery, response: { status: 200, schema: listOf(Case) }, handler: ({ ctx, query }) => listCases(ctx, query) }),
  route({ method: 'POST', url: '/api/cases', summary: '立案 from an inspection, citing the catalogue', tags, auth: 'user', body: CaseInput, response: { status: 201, schema: CaseDetail }, errors: ['FORBIDDEN', 'VALIDATION_FAILED'], handler: ({ ctx, body }) => fileCase(ctx, body) }),
  route({ method: 'GET', url: '/api/cases/:id', summary: 'A case with its events and the steps the caller may take', tags, auth: 'user', params: IdParam, response: { status: 200, schema: CaseDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => caseDetail(ctx, params.id) }),
  caseStep('decide', '处罚决定: warning, fine within the discretion range, suspension or other'),
  caseStep('record_payment', '登记缴款 (paid in full: executed)'),
  caseStep('record_appeal', '登记复议、诉讼'),
  caseStep('close', '结案 (a fine paid in full first)'),
  docxRoute('/api/cases/:id/decision.docx', '行政处罚决定书 (.docx)', decisionFile),
];
