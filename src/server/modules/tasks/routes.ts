import { z } from 'zod';
import { IdParam, listOf } from '../../../shared/contracts/common';
import {
  Compliance,
  DutyList,
  DutyListInput,
  DutyListQuery,
  FiveLeadCheck,
  FiveLeadInput,
  FiveLeadItem,
  FiveLeadMissing,
  FiveLeadMissingQuery,
  FiveLeadQuery,
  FiveLeadRecord,
  ComplianceQuery,
  Meeting,
  MeetingInput,
  MeetingQuery,
  Plan,
  PlanBinding,
  PlanInput,
  PlanTask,
  PlanTaskDetail,
  PlanTaskInput,
  PlanTaskPatch,
  PlanTaskQuery,
  PlanTree,
  ProgressInput,
  ProgressReportQuery,
  Subplan,
  SubplanInput,
  TreeQuery,
  UnitQuery,
} from '../../../shared/contracts/tasks';
import { DOCX, sendDownload, streamXlsx } from '../../http/download';
import { route, type RouteDef } from '../../http/route';
import { bindingList } from './bindings';
import { exportTasks, progressReportDocx } from './export';
import { checkFiveLead, createFiveLead, fiveLeadItems, listFiveLeads, missingFiveLeads } from './five-leads';
import { createMeeting, listMeetings, meetingCompliance } from './meetings';
import { createPlan, listPlans, planTree } from './plans';
import { createTask, listTasks, patchTask, reportProgress, taskDetail } from './tasks';
import { createDutyList, createSubplan, listDutyLists, listSubplans } from './units-records';

const tags = ['plan'];
const W = ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_REGION', 'UNKNOWN_DEPARTMENT'];

/** 治本攻坚 the plan itself (#18): the tree, tasks and progress, live figures, sub-plans, duty lists, leaders' meetings, 五带头. */
export const taskRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/plans', summary: '行动方案: the plans of the city, with their counts (tasks and late ones in the caller’s scope)', tags, auth: 'user', response: { status: 200, schema: listOf(Plan) }, handler: ({ ctx }) => listPlans(ctx) }),
  route({ method: 'POST', url: '/api/plans', summary: '导入方案: another city’s plan or a later one, its actions and measures as data (the city’s administrator)', tags, auth: { permission: 'rules.edit' }, body: PlanInput, response: { status: 201, schema: Plan }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'DUPLICATE'], handler: ({ ctx, body }) => createPlan(ctx as never, body) }),
  route({ method: 'GET', url: '/api/plans/:id/tree', summary: 'The plan’s tree: actions → measures → tasks (a unit’s tasks under the city task they refine), filtered by unit, status, late', tags, auth: 'user', params: IdParam, query: TreeQuery, response: { status: 200, schema: PlanTree }, errors: ['NOT_FOUND'], handler: ({ ctx, params, query }) => planTree(ctx, params.id, query) }),
  route({ method: 'GET', url: '/api/plan-tasks', summary: 'Tasks in scope (late=true: past a milestone or date without a done report, at Shanghai midnight)', tags, auth: 'user', query: PlanTaskQuery, response: { status: 200, schema: listOf(PlanTask) }, handler: ({ ctx, query }) => listTasks(ctx, query) }),
  route({
    method: 'GET',
    url: '/api/plan-tasks/export.xlsx',
    summary: 'The tasks the filters select, as .xlsx',
    tags,
    auth: 'user',
    query: PlanTaskQuery,
    response: { status: 200 },
    handler: ({ ctx, query, reply, request }) => streamXlsx(reply, request, 'plan-tasks.xlsx', '治本攻坚任务.xlsx', (out) => exportTasks(ctx, query, out)),
  }),
  route({
    method: 'GET',
    url: '/api/plan-tasks/report.docx',
    summary: '进展报告: a unit’s tasks and the progress it reported in a period, as .docx',
    tags,
    auth: 'user',
    query: ProgressReportQuery,
    response: { status: 200 },
    errors: W,
    async handler({ ctx, query, reply }) {
      const d = await progressReportDocx(ctx, query);
      return sendDownload(reply, DOCX, d.ascii, d.name, d.file);
    },
  }),
  route({ method: 'POST', url: '/api/plan-tasks', summary: 'Create a task under a measure (the city’s office for any unit; a unit for itself), with milestones and a bound figure', tags, auth: 'user', body: PlanTaskInput, response: { status: 201, schema: PlanTaskDetail }, errors: [...W, 'NOT_FOUND'], handler: ({ ctx, body }) => createTask(ctx, body) }),
  route({ method: 'GET', url: '/api/plan-tasks/:id', summary: 'A task with its milestones, reports, bound figure (vs target, over time) and what the caller may do', tags, auth: 'user', params: IdParam, response: { status: 200, schema: PlanTaskDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => taskDetail(ctx, params.id) }),
  route({ method: 'PATCH', url: '/api/plan-tasks/:id', summary: 'Change a task (its lead unit or the city’s office)', tags, auth: 'user', params: IdParam, body: PlanTaskPatch, response: { status: 200, schema: PlanTaskDetail }, errors: [...W, 'NOT_FOUND', 'VERSION_CONFLICT'], handler: ({ ctx, params, body }) => patchTask(ctx, params.id, body) }),
  route({ method: 'POST', url: '/api/plan-tasks/:id/progress', summary: '报告进展: status, narrative, evidence (the lead unit)', tags, auth: 'user', params: IdParam, body: ProgressInput, response: { status: 201, schema: PlanTaskDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => reportProgress(ctx, params.id, body) }),
  route({ method: 'GET', url: '/api/plan-bindings', summary: 'The figures Zhiben keeps that a task can bind to (key, measure, unit, which way is better)', tags, auth: 'user', response: { status: 200, schema: z.array(PlanBinding) }, handler: async () => bindingList() }),
  route({ method: 'GET', url: '/api/plan-subplans', summary: '行动子方案 of the units in scope', tags, auth: 'user', query: UnitQuery, response: { status: 200, schema: listOf(Subplan) }, handler: ({ ctx, query }) => listSubplans(ctx, query) }),
  route({ method: 'POST', url: '/api/plan-subplans', summary: 'Publish a unit’s sub-plan: its document and the tasks it adds under the city’s measures', tags, auth: 'user', body: SubplanInput, response: { status: 201, schema: Subplan }, errors: [...W, 'NOT_FOUND'], handler: ({ ctx, body }) => createSubplan(ctx, body) }),
  route({ method: 'GET', url: '/api/duty-lists', summary: '职责清单 and 年度任务清单 of the units in scope (a department’s with what it supervises)', tags, auth: 'user', query: DutyListQuery, response: { status: 200, schema: listOf(DutyList) }, handler: ({ ctx, query }) => listDutyLists(ctx, query) }),
  route({ method: 'POST', url: '/api/duty-lists', summary: 'Add a unit’s duty list or yearly task list (items may link to plan tasks)', tags, auth: 'user', body: DutyListInput, response: { status: 201, schema: DutyList }, errors: W, handler: ({ ctx, body }) => createDutyList(ctx, body) }),
  route({ method: 'GET', url: '/api/meetings/compliance', summary: '每季度至少召开1次: units × quarters, a unit with no meeting chaired by a principal in an ended quarter flagged', tags, auth: 'user', query: ComplianceQuery, response: { status: 200, schema: Compliance }, errors: ['FORBIDDEN'], handler: ({ ctx, query }) => meetingCompliance(ctx, query) }),
  route({ method: 'GET', url: '/api/meetings', summary: '党政主要负责人安全生产会议 of the units in scope, with their decisions’ status', tags, auth: 'user', query: MeetingQuery, response: { status: 200, schema: listOf(Meeting) }, handler: ({ ctx, query }) => listMeetings(ctx, query) }),
  route({ method: 'POST', url: '/api/meetings', summary: 'Record a meeting; each decision becomes a task with owner and deadline', tags, auth: 'user', body: MeetingInput, response: { status: 201, schema: Meeting }, errors: W, handler: ({ ctx, body }) => createMeeting(ctx, body) }),
  route({ method: 'GET', url: '/api/five-leads/items', summary: 'The 五带头 items (configuration; labelled where not confirmed from the guiding opinion)', tags, auth: 'user', response: { status: 200, schema: z.array(FiveLeadItem) }, handler: ({ ctx }) => fiveLeadItems(ctx) }),
  route({ method: 'GET', url: '/api/five-leads/missing', summary: 'Enterprises in scope with no 五带头 record for the year (记录和通报)', tags, auth: 'user', query: FiveLeadMissingQuery, response: { status: 200, schema: listOf(FiveLeadMissing) }, errors: ['FORBIDDEN'], handler: ({ ctx, query }) => missingFiveLeads(ctx, query) }),
  route({ method: 'GET', url: '/api/five-leads', summary: '五带头 records in scope (an enterprise: its own)', tags, auth: 'user', query: FiveLeadQuery, response: { status: 200, schema: listOf(FiveLeadRecord) }, handler: ({ ctx, query }) => listFiveLeads(ctx, query) }),
  route({ method: 'POST', url: '/api/five-leads', summary: 'Record a 五带头 item (the enterprise, or an officer for one in scope)', tags, auth: 'user', body: FiveLeadInput, response: { status: 201, schema: FiveLeadRecord }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_ENTERPRISE'], handler: ({ ctx, body }) => createFiveLead(ctx, body) }),
  route({ method: 'POST', url: '/api/five-leads/:id/check', summary: 'Accept or return a record (street, district or city)', tags, auth: 'user', params: IdParam, body: FiveLeadCheck, response: { status: 200, schema: FiveLeadRecord }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => checkFiveLead(ctx, params.id, body) }),
];
