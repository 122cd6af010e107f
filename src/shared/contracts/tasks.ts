/**
 * 治本攻坚 the plan itself (#18): the plan's tree (ten actions, thirty measures), the tasks and
 * milestones under each measure with their lead and co-units, units' sub-plans, progress reports,
 * live figures a task binds to, duty lists, leaders' meetings and their quarterly compliance, and the
 * records of enterprise principals' 五带头 — as the API answers and takes them.
 */
import { z } from 'zod';
import { DistrictCode, Id, IdList, IsoDate, Paging, QueryFlag, QueryInt, SearchText, Text, Version } from './fields';

// ─── Units ───────────────────────────────────────────────────────────────────

export const UNIT_KINDS = ['city', 'district', 'department'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** A responsible unit: the city (its safety committee office), a district, or a department. */
export const PlanUnit = z
  .object({
    kind: z.enum(UNIT_KINDS),
    code: DistrictCode.optional().describe('the district, when kind is district'),
    departmentId: Id.optional().describe('the department, when kind is department'),
  })
  .strict()
  .superRefine((u, ctx) => {
    if (u.kind === 'district' && !u.code) ctx.addIssue({ code: 'custom', path: ['code'], message: '请选择区' });
    if (u.kind === 'department' && !u.departmentId) ctx.addIssue({ code: 'custom', path: ['departmentId'], message: '请选择部门' });
    if (u.kind !== 'district' && u.code) ctx.addIssue({ code: 'custom', path: ['code'], message: '只有区才填写区代码' });
    if (u.kind !== 'department' && u.departmentId) ctx.addIssue({ code: 'custom', path: ['departmentId'], message: '只有部门才填写部门' });
  });
export type PlanUnit = z.infer<typeof PlanUnit>;
export const PlanUnitView = z.object({ kind: z.enum(UNIT_KINDS), code: z.string().nullable(), departmentId: z.string().nullable(), name: z.string() });
export type PlanUnitView = z.infer<typeof PlanUnitView>;

// ─── Plans and the tree ─────────────────────────────────────────────────────

export const Plan = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  issuer: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  sourceNote: z.string(),
  actions: z.number().int(),
  measures: z.number().int(),
  tasks: z.number().int(),
  late: z.number().int(),
});
export type Plan = z.infer<typeof Plan>;

const NodeText = Text(4000).nullable().default(null);
/** Another city's plan, or a later one: its tree as data (the shipped plan is loaded the same way). */
export const PlanInput = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, '方案编号只能含小写字母、数字和连字符'),
    title: Text(200, { min: 4, minMessage: '请填写方案名称' }),
    issuer: Text(100, { min: 2, minMessage: '请填写印发单位' }),
    periodFrom: IsoDate(),
    periodTo: IsoDate(),
    sourceNote: Text(2000, { min: 2, minMessage: '请说明方案文本的来源' }),
    actions: z
      .array(
        z
          .object({
            no: z.number().int().min(1).max(99),
            title: Text(200, { min: 2 }),
            body: NodeText,
            measures: z.array(z.object({ no: z.number().int().min(1).max(99), title: Text(300, { min: 2 }), body: NodeText }).strict()).min(1).max(99),
          })
          .strict(),
      )
      .min(1, '至少一项行动')
      .max(30),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.periodFrom > p.periodTo) ctx.addIssue({ code: 'custom', path: ['periodTo'], message: '结束日期不能早于开始日期' });
    const seen = new Set<number>();
    p.actions.forEach((a, i) =>
      a.measures.forEach((m, j) => {
        if (seen.has(m.no)) ctx.addIssue({ code: 'custom', path: ['actions', i, 'measures', j, 'no'], message: `措施序号 ${m.no} 重复` });
        seen.add(m.no);
      }),
    );
    const actions = new Set<number>();
    p.actions.forEach((a, i) => {
      if (actions.has(a.no)) ctx.addIssue({ code: 'custom', path: ['actions', i, 'no'], message: `行动序号 ${a.no} 重复` });
      actions.add(a.no);
    });
  });

// ─── Tasks ───────────────────────────────────────────────────────────────────

export const REPORT_STATUSES = ['on_track', 'at_risk', 'late', 'done'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const TASK_STATUSES = ['not_started', ...REPORT_STATUSES] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, { zh: string; en: string; color: string }> = {
  not_started: { zh: '未报告', en: 'Not reported', color: 'default' },
  on_track: { zh: '正常推进', en: 'On track', color: 'green' },
  at_risk: { zh: '存在风险', en: 'At risk', color: 'orange' },
  late: { zh: '滞后', en: 'Late', color: 'red' },
  done: { zh: '已完成', en: 'Done', color: 'blue' },
};

export const REPORT_EVERY = ['none', 'monthly', 'quarterly', 'half_yearly'] as const;
export type ReportEvery = (typeof REPORT_EVERY)[number];
export const REPORT_EVERY_LABELS: Record<ReportEvery, { zh: string; en: string }> = {
  none: { zh: '不定期', en: 'When there is news' },
  monthly: { zh: '每月', en: 'Monthly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  half_yearly: { zh: '每半年', en: 'Half-yearly' },
};

export const Milestone = z.object({ id: z.string(), title: z.string(), dueOn: z.string(), doneOn: z.string().nullable(), late: z.boolean().describe('past its date (Shanghai) without a done report') });
export type Milestone = z.infer<typeof Milestone>;

/** A figure Zhiben keeps that a task can show live instead of asking for it. */
export const PlanBinding = z.object({
  key: z.string(),
  measureNo: z.number().int(),
  title: z.object({ zh: z.string(), en: z.string() }),
  unit: z.enum(['count', 'rate']),
  better: z.enum(['lower', 'higher']).describe('lower: the target is a ceiling (0 open major hazards); higher: a floor (a coverage rate)'),
  note: z.string().describe('what the figure is and where it comes from'),
});
export type PlanBinding = z.infer<typeof PlanBinding>;

export const BindingValue = z.object({
  key: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  unit: z.enum(['count', 'rate']),
  better: z.enum(['lower', 'higher']),
  target: z.number(),
  value: z.number().nullable().describe('null: not shown to this reader, or nothing to divide by'),
  hidden: z.boolean().describe('the figure belongs to a view this reader may not open'),
  met: z.boolean().nullable(),
  asOf: z.string(),
  readings: z.array(z.object({ on: z.string(), value: z.number().nullable() })).describe('daily readings kept by the plan-readings job, oldest first'),
});
export type BindingValue = z.infer<typeof BindingValue>;

export const PlanTask = z.object({
  id: z.string(),
  planId: z.string(),
  measureNo: z.number().int().nullable(),
  parentId: z.string().nullable(),
  subplanId: z.string().nullable(),
  originType: z.enum(['meeting', 'consultation']).nullable(),
  originId: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  source: z.string().nullable().describe('where the task comes from (the plan’s words, a sub-plan, a meeting)'),
  leadUnit: PlanUnitView,
  coUnits: z.array(PlanUnitView),
  ownerName: z.string().nullable(),
  startOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  reportEvery: z.enum(REPORT_EVERY),
  status: z.enum(TASK_STATUSES).describe('done; late when reported late or past a date without a done report; else the last report'),
  reportedStatus: z.enum(TASK_STATUSES),
  late: z.boolean(),
  reportDue: z.boolean().describe('no report yet in the current reporting period'),
  lastReportAt: z.string().nullable(),
  milestones: z.array(Milestone),
  binding: z.object({ key: z.string(), target: z.number() }).nullable(),
  version: z.number().int(),
});
export type PlanTask = z.infer<typeof PlanTask>;

export const ProgressReport = z.object({
  id: z.string(),
  at: z.string(),
  byName: z.string(),
  status: z.enum(REPORT_STATUSES),
  periodKey: z.string().nullable(),
  note: z.string(),
  milestoneId: z.string().nullable(),
  attachmentIds: z.array(z.string()),
});
export type ProgressReport = z.infer<typeof ProgressReport>;

export const PlanTaskDetail = PlanTask.extend({
  measureTitle: z.string().nullable(),
  reports: z.array(ProgressReport),
  bindingValue: BindingValue.nullable(),
  children: z.array(PlanTask),
  allowed: z.object({ edit: z.boolean(), report: z.boolean() }),
});
export type PlanTaskDetail = z.infer<typeof PlanTaskDetail>;

export type TreeTask = PlanTask & { children: TreeTask[] };
export const TreeTask: z.ZodType<TreeTask> = PlanTask.extend({ children: z.lazy(() => z.array(TreeTask)) }) as never;
export const PlanTree = z.object({
  plan: Plan,
  actions: z.array(
    z.object({
      no: z.number().int(),
      title: z.string(),
      body: z.string().nullable(),
      measures: z.array(z.object({ no: z.number().int(), title: z.string(), body: z.string().nullable(), tasks: z.array(TreeTask) })),
    }),
  ),
});
export type PlanTree = z.infer<typeof PlanTree>;

const MilestoneInput = z.object({ id: Id.optional().describe('keep an existing milestone (its done date stays)'), title: Text(200, { min: 2, minMessage: '请填写节点名称' }), dueOn: IsoDate() }).strict();
const BindingKey = z.string().regex(/^[a-z0-9_.]{1,60}$/, '实时数据编号格式不正确');
const ItemKey = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, '事项编号格式不正确');
const BindingInput = z.object({ key: BindingKey, target: z.number().min(0).max(1e9) }).strict();

export const PlanTaskInput = z
  .object({
    planId: Id.optional().describe('default: the newest plan'),
    measureNo: z.number().int().min(1).max(99),
    parentId: Id.optional().describe('a unit’s task under a task of the city'),
    title: Text(300, { min: 2, minMessage: '请填写任务名称' }),
    description: Text(4000).optional(),
    source: Text(500).optional(),
    leadUnit: PlanUnit.optional().describe('default: the caller’s own unit'),
    coUnits: z.array(PlanUnit).max(40).default([]),
    ownerName: Text(60).optional(),
    startOn: IsoDate().optional(),
    dueOn: IsoDate().optional(),
    reportEvery: z.enum(REPORT_EVERY).default('quarterly'),
    milestones: z.array(MilestoneInput).max(40).default([]),
    binding: BindingInput.optional(),
  })
  .strict();
export type PlanTaskInput = z.input<typeof PlanTaskInput>;

export const PlanTaskPatch = z
  .object({
    version: Version,
    title: Text(300, { min: 2, minMessage: '请填写任务名称' }).optional(),
    description: Text(4000).nullable().optional(),
    coUnits: z.array(PlanUnit).max(40).optional(),
    ownerName: Text(60).nullable().optional(),
    startOn: IsoDate().nullable().optional(),
    dueOn: IsoDate().nullable().optional(),
    reportEvery: z.enum(REPORT_EVERY).optional(),
    milestones: z.array(MilestoneInput).max(40).optional().describe('replaces the list; a milestone named by id keeps its done date'),
    binding: BindingInput.nullable().optional(),
  })
  .strict();

export const ProgressInput = z
  .object({
    status: z.enum(REPORT_STATUSES),
    note: Text(4000, { min: 2, minMessage: '请填写进展情况' }),
    attachmentIds: IdList(20).default([]),
    milestoneId: Id.optional().describe('the milestone this report completes (status done)'),
  })
  .strict();

export const PlanTaskQuery = z
  .object({
    ...Paging,
    planId: Id.optional(),
    late: QueryFlag.optional(),
    status: z.enum(TASK_STATUSES).optional(),
    districtCode: DistrictCode.optional().describe('tasks a district leads or shares'),
    departmentId: Id.optional().describe('tasks a department leads or shares'),
    unitKind: z.enum(UNIT_KINDS).optional().describe('by the lead unit’s kind'),
    measureNo: QueryInt(1, 99).optional(),
    origin: z.enum(['plan', 'meeting', 'consultation']).optional(),
    reportDue: QueryFlag.optional(),
    q: SearchText.optional(),
  })
  .strict();

export const TreeQuery = z
  .object({
    late: QueryFlag.optional(),
    status: z.enum(TASK_STATUSES).optional(),
    districtCode: DistrictCode.optional(),
    departmentId: Id.optional(),
  })
  .strict();

/** A unit's progress report for a period, as .docx. */
export const ProgressReportQuery = z
  .object({
    planId: Id.optional(),
    unitKind: z.enum(UNIT_KINDS),
    districtCode: DistrictCode.optional(),
    departmentId: Id.optional(),
    from: IsoDate(),
    to: IsoDate(),
  })
  .strict();

// ─── Sub-plans ──────────────────────────────────────────────────────────────

export const Subplan = z.object({
  id: z.string(),
  planId: z.string(),
  unit: PlanUnitView,
  title: z.string(),
  docNo: z.string().nullable(),
  publishedOn: z.string(),
  fileId: z.string().nullable(),
  tasks: z.number().int(),
  createdAt: z.string(),
});
export const SubplanInput = z
  .object({
    planId: Id.optional(),
    unit: PlanUnit.optional().describe('default: the caller’s unit'),
    title: Text(200, { min: 2, minMessage: '请填写子方案名称' }),
    docNo: Text(60).optional(),
    publishedOn: IsoDate(),
    fileId: Id.optional(),
    tasks: z.array(PlanTaskInput.omit({ planId: true, leadUnit: true })).max(200).default([]),
  })
  .strict();
export const UnitQuery = z.object({ ...Paging, planId: Id.optional(), districtCode: DistrictCode.optional(), departmentId: Id.optional(), unitKind: z.enum(UNIT_KINDS).optional() }).strict();

// ─── Duty lists ─────────────────────────────────────────────────────────────

export const DUTY_KINDS = ['duty', 'yearly'] as const;
export const DUTY_KIND_LABELS = { duty: { zh: '职责清单', en: 'Duty list' }, yearly: { zh: '年度任务清单', en: 'Yearly task list' } } as const;
export const DutyList = z.object({
  id: z.string(),
  unit: PlanUnitView,
  kind: z.enum(DUTY_KINDS),
  year: z.number().int().nullable(),
  title: z.string(),
  sourceDoc: z.string(),
  fileId: z.string().nullable(),
  items: z.array(z.object({ id: z.string(), seq: z.number().int(), text: z.string(), planTaskIds: z.array(z.string()), planTasks: z.array(z.object({ id: z.string(), title: z.string(), status: z.enum(TASK_STATUSES) })).describe('the linked tasks the reader sees') })),
  industries: z.array(z.object({ code: z.string(), name: z.string() })).describe('管行业必须管安全: what the department supervises, from the directory'),
  createdAt: z.string(),
});
export type DutyList = z.infer<typeof DutyList>;
export const DutyListInput = z
  .object({
    unit: PlanUnit.optional(),
    kind: z.enum(DUTY_KINDS),
    year: z.number().int().min(2000).max(2100).optional(),
    title: Text(200, { min: 2, minMessage: '请填写清单名称' }),
    sourceDoc: Text(200, { min: 2, minMessage: '请填写来源文件' }),
    fileId: Id.optional(),
    items: z.array(z.object({ text: Text(1000, { min: 2, minMessage: '请填写清单事项' }), planTaskIds: IdList(20).default([]) }).strict()).min(1, '请至少填写一项').max(500),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'yearly' && !v.year) ctx.addIssue({ code: 'custom', path: ['year'], message: '年度任务清单请填写年份' });
  });
export const DutyListQuery = z.object({ ...Paging, districtCode: DistrictCode.optional(), departmentId: Id.optional(), kind: z.enum(DUTY_KINDS).optional(), year: QueryInt(2000, 2100).optional() }).strict();

// ─── Leaders' meetings ──────────────────────────────────────────────────────

export const CHAIR_ROLES = ['party_secretary', 'government_head', 'both', 'other'] as const;
export const CHAIR_ROLE_LABELS: Record<(typeof CHAIR_ROLES)[number], { zh: string; en: string }> = {
  party_secretary: { zh: '党委（党组）主要负责人', en: 'Party principal' },
  government_head: { zh: '政府（行政）主要负责人', en: 'Government principal' },
  both: { zh: '党政主要负责人共同主持', en: 'Both principals' },
  other: { zh: '其他负责人', en: 'Another leader' },
};
/** 党委、政府主要负责人每季度至少召开1次会议: a meeting counts when a principal chairs it. */
export const QUALIFYING_CHAIRS: readonly (typeof CHAIR_ROLES)[number][] = ['party_secretary', 'government_head', 'both'];

export const MeetingDecision = z.object({ taskId: z.string(), title: z.string(), owner: PlanUnitView, ownerName: z.string().nullable(), dueOn: z.string().nullable(), status: z.enum(TASK_STATUSES) });
export const Meeting = z.object({
  id: z.string(),
  unit: PlanUnitView,
  heldOn: z.string(),
  quarter: z.string().describe('2026-Q4'),
  title: z.string(),
  chairName: z.string(),
  chairRole: z.enum(CHAIR_ROLES),
  qualifies: z.boolean(),
  attendees: z.array(z.string()),
  topics: z.array(z.string()),
  minutesFileId: z.string().nullable(),
  decisions: z.array(MeetingDecision),
  createdAt: z.string(),
});
export type Meeting = z.infer<typeof Meeting>;
export const MeetingInput = z
  .object({
    unit: PlanUnit.optional(),
    heldOn: IsoDate('2000-01-01'),
    title: Text(200, { min: 2, minMessage: '请填写会议名称' }),
    chairName: Text(40, { min: 2, minMessage: '请填写主持人' }),
    chairRole: z.enum(CHAIR_ROLES),
    attendees: z.array(Text(60, { min: 1 })).max(200).default([]),
    topics: z.array(Text(500, { min: 2 })).min(1, '请至少填写一项议题').max(50),
    minutesFileId: Id.optional(),
    decisions: z
      .array(z.object({ title: Text(300, { min: 2, minMessage: '请填写议定事项' }), owner: PlanUnit.optional(), ownerName: Text(60).optional(), dueOn: IsoDate(), measureNo: z.number().int().min(1).max(99).optional() }).strict())
      .max(50)
      .default([]),
  })
  .strict();
export const MeetingQuery = z.object({ ...Paging, districtCode: DistrictCode.optional(), departmentId: Id.optional(), year: QueryInt(2000, 2100).optional() }).strict();
export const ComplianceQuery = z.object({ year: QueryInt(2000, 2100).optional(), quarter: QueryInt(1, 4).optional() }).strict();
export const COMPLIANCE_STATES = ['held', 'missed', 'open', 'future'] as const;
export const Compliance = z.object({
  year: z.number().int(),
  quarters: z.array(z.number().int()),
  units: z.array(z.object({ unit: PlanUnitView, cells: z.array(z.object({ quarter: z.number().int(), meetings: z.number().int(), state: z.enum(COMPLIANCE_STATES) })), missed: z.number().int() })),
  missed: z.number().int().describe('unit-quarters ended without a qualifying meeting'),
});
export type Compliance = z.infer<typeof Compliance>;

// ─── 五带头 ─────────────────────────────────────────────────────────────────

export const FIVE_LEAD_STATES = ['submitted', 'checked', 'returned'] as const;
export const FIVE_LEAD_STATE_LABELS = { submitted: { zh: '待审核', en: 'Awaiting check' }, checked: { zh: '已审核', en: 'Checked' }, returned: { zh: '已退回', en: 'Returned' } } as const;
export const FiveLeadItem = z.object({ key: z.string(), title: z.string(), confirmed: z.boolean() });
export const FiveLeadRecord = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  year: z.number().int(),
  itemKey: z.string(),
  itemTitle: z.string(),
  principalName: z.string(),
  happenedOn: z.string(),
  description: z.string(),
  attachmentIds: z.array(z.string()),
  state: z.enum(FIVE_LEAD_STATES),
  checkNote: z.string().nullable(),
  checkedByName: z.string().nullable(),
  checkedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type FiveLeadRecord = z.infer<typeof FiveLeadRecord>;
export const FiveLeadInput = z
  .object({
    enterpriseId: Id.optional().describe('an officer records for an enterprise in scope; an enterprise for itself'),
    itemKey: ItemKey,
    principalName: Text(40, { min: 2, minMessage: '请填写主要负责人姓名' }),
    happenedOn: IsoDate('2000-01-01'),
    description: Text(2000, { min: 5, minMessage: '请填写落实情况（至少5个字）' }),
    attachmentIds: IdList(20).default([]),
  })
  .strict();
export const FiveLeadCheck = z.object({ version: Version, decision: z.enum(['accept', 'return']), note: Text(500).optional() }).strict();
export const FiveLeadQuery = z.object({ ...Paging, year: QueryInt(2000, 2100).optional(), districtCode: DistrictCode.optional(), enterpriseId: Id.optional(), state: z.enum(FIVE_LEAD_STATES).optional(), itemKey: ItemKey.optional() }).strict();
export const FiveLeadMissingQuery = z.object({ ...Paging, year: QueryInt(2000, 2100).optional(), districtCode: DistrictCode.optional() }).strict();
export const FiveLeadMissing = z.object({ enterpriseId: z.string(), name: z.string(), districtCode: z.string(), districtName: z.string(), streetCode: z.string().nullable(), streetName: z.string().nullable(), principalName: z.string().nullable(), records: z.number().int().describe('records this year, any state (0 here unless only returned ones)') });
