/** 啄木鸟 experts (#16): the pool, programmes and their coverage, assignments and visits — as the API answers and takes them. */
import { z } from 'zod';
import { checkRanges, DistrictCode, Id, IdList, IndustryCode, Int, IsoDate, Paging, QueryFlag, SearchText, Text, Version } from './fields';
import { FindingInput } from './enforcement';
import { LedgerFinding } from './hazards';

// ─── The pool ─────────────────────────────────────────────────────────────────

export const EXPERT_STATUSES = ['active', 'suspended'] as const;
export type ExpertStatus = (typeof EXPERT_STATUSES)[number];

const DivisionCode = IndustryCode.refine((c) => /^\d{2}$/.test(c), '专长行业应为国民经济行业大类（两位代码）');

export const ExpertInput = z
  .object({
    userId: Id.describe('an active account with the role expert'),
    districtCode: DistrictCode.optional().describe('the district whose pool it joins (city officers may leave it out: the city’s pool)'),
    departmentId: Id.optional(),
    appointedBy: Text(100, { min: 2, minMessage: '请填写聘任单位' }),
    appointedFrom: IsoDate(),
    appointedTo: IsoDate(),
    title: Text(100).optional().describe('职称 or field, as the appointment letter gives it'),
    industries: z.array(DivisionCode).max(40).default([]),
    categories: z.array(Text(40, { min: 1 })).max(40).default([]),
  })
  .strict()
  .superRefine(checkRanges([['appointedFrom', 'appointedTo']]));
export type ExpertInput = z.input<typeof ExpertInput>;

export const ExpertPatch = z
  .object({
    version: Version,
    appointedBy: Text(100, { min: 2 }).optional(),
    appointedFrom: IsoDate().optional(),
    appointedTo: IsoDate().optional(),
    title: Text(100).nullable().optional(),
    industries: z.array(DivisionCode).max(40).optional(),
    categories: z.array(Text(40, { min: 1 })).max(40).optional(),
    status: z.enum(EXPERT_STATUSES).optional(),
    reason: Text(500).optional().describe('why the expert is suspended (required then)'),
  })
  .strict();

export const ExpertQuality = z.object({
  visits: z.number().int(),
  submitted: z.number().int(),
  findings: z.number().int(),
  majorFindings: z.number().int(),
  confirmed: z.number().int().describe('findings closed after rectification'),
  voided: z.number().int().describe('findings voided as wrong'),
  feedbackCount: z.number().int(),
  feedbackAverage: z.number().nullable().describe('enterprises’ ratings, 1–5'),
});

export const Expert = z.object({
  userId: z.string(),
  name: z.string(),
  username: z.string(),
  districtCode: z.string().nullable(),
  departmentId: z.string().nullable(),
  appointedBy: z.string(),
  appointedFrom: z.string(),
  appointedTo: z.string(),
  title: z.string().nullable(),
  industries: z.array(z.string()),
  categories: z.array(z.string()),
  status: z.enum(EXPERT_STATUSES),
  suspendedReason: z.string().nullable(),
  lapsed: z.boolean().describe('the appointment has ended (or not begun): the expert cannot be assigned'),
  matchesSpecialty: z.boolean().nullable().describe('asked for an enterprise: specialised in its industry division (listed first)'),
  version: z.number().int(),
});
export type Expert = z.infer<typeof Expert>;
export const ExpertConflict = z.object({ id: z.string(), expertId: z.string(), enterpriseId: z.string(), enterpriseName: z.string(), reason: z.string(), declaredAt: z.string() });
export const ExpertConflictInput = z.object({ enterpriseId: Id, reason: Text(200, { min: 2, minMessage: '请说明回避原因' }) }).strict();
export const ExpertDetail = Expert.extend({ quality: ExpertQuality, conflicts: z.array(ExpertConflict).describe('利害关系回避: the enterprises the expert must not inspect (those in the caller’s scope)') });
/** An expert account not yet in any pool, for the office adding it. */
export const ExpertCandidate = z.object({ userId: z.string(), name: z.string(), username: z.string() });
export const CandidateQuery = z.object({ q: SearchText.optional() }).strict();
export type ExpertDetail = z.infer<typeof ExpertDetail>;

export const ExpertQuery = z
  .object({
    ...Paging,
    districtCode: DistrictCode.optional(),
    status: z.enum(EXPERT_STATUSES).optional(),
    assignable: QueryFlag.optional().describe('active and appointed today'),
    industry: IndustryCode.optional().describe('specialised in this division'),
    enterpriseId: Id.optional().describe('may be assigned to this enterprise: not conflicted; specialised in its division first'),
    q: SearchText.optional(),
  })
  .strict();

// ─── Programmes and coverage ──────────────────────────────────────────────────

export const ProgrammeFilter = z
  .object({
    industries: z.array(IndustryCode).max(40).optional(),
    riskClasses: z.array(z.enum(['major', 'high', 'general', 'low'])).max(4).optional(),
    streetCodes: z.array(z.string().regex(/^\d{9}$/)).max(200).optional(),
  })
  .strict();

export const ProgrammeInput = z
  .object({
    title: Text(100, { min: 2, minMessage: '请填写计划名称' }),
    districtCode: DistrictCode,
    departmentId: Id.optional(),
    from: IsoDate(),
    to: IsoDate().optional().describe('default: three years from `from`, less a day'),
    enterpriseIds: IdList(50_000).optional().describe('the target list the office uploads'),
    usccs: z.array(z.string().regex(/^[0-9A-Za-z]{18}$/, '统一社会信用代码应为18位')).max(50_000, '最多 50000 项').optional().describe('or the list as credit codes (pasted from a spreadsheet)'),
    filter: ProgrammeFilter.optional().describe('or the district’s enterprises matching these'),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
export type ProgrammeInput = z.input<typeof ProgrammeInput>;

export const Programme = z.object({
  id: z.string(),
  title: z.string(),
  districtCode: z.string(),
  districtName: z.string(),
  departmentId: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  targets: z.number().int(),
  covered: z.number().int(),
  scheduled: z.number().int(),
  notYet: z.number().int(),
  projectedFullCoverage: z.string().nullable().describe('at the pace so far (see the coverage)'),
  onTrack: z.boolean().nullable(),
  createdAt: z.string(),
});
export type Programme = z.infer<typeof Programme>;

export const COVERAGE_GROUPS = ['district', 'street', 'industry'] as const;
export const CoverageQuery = z.object({ groupBy: z.enum(COVERAGE_GROUPS).default('district') }).strict();
export const CoverageGroup = z.object({ code: z.string(), name: z.string(), targets: z.number().int(), covered: z.number().int(), scheduled: z.number().int(), notYet: z.number().int() });
export const Coverage = z.object({
  programmeId: z.string(),
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  targets: z.number().int(),
  covered: z.number().int(),
  scheduled: z.number().int(),
  notYet: z.number().int(),
  pacePerMonth: z.number().nullable().describe('enterprises covered per 30 days since the start'),
  projectedFullCoverage: z.string().nullable().describe('at the pace so far; null before the first coverage (no pace to project from) — or the day it was reached'),
  onTrack: z.boolean().nullable().describe('the projection falls inside the period'),
  groupBy: z.enum(COVERAGE_GROUPS),
  groups: z.array(CoverageGroup),
});
export type Coverage = z.infer<typeof Coverage>;

export const TARGET_STATES = ['not_yet', 'scheduled', 'covered'] as const;
export const TargetQuery = z.object({ ...Paging, state: z.enum(TARGET_STATES).optional(), q: SearchText.optional() }).strict();
export const Target = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  streetCode: z.string().nullable(),
  industryCode: z.string(),
  state: z.enum(TARGET_STATES),
  coveredOn: z.string().nullable(),
});
export type Target = z.infer<typeof Target>;

// ─── Assignments and visits ───────────────────────────────────────────────────

export const VISIT_STATUSES = ['assigned', 'in_progress', 'submitted', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const VISIT_STATUS_LABELS: Record<VisitStatus, { zh: string; en: string }> = {
  assigned: { zh: '已指派', en: 'Assigned' },
  in_progress: { zh: '检查中', en: 'In progress' },
  submitted: { zh: '已提交报告', en: 'Report submitted' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};
export const VISIT_ACTIONS = ['start', 'submit', 'cancel'] as const;
export type VisitAction = (typeof VISIT_ACTIONS)[number];

export const AssignmentInput = z
  .object({
    programmeId: Id,
    enterpriseId: Id,
    expertIds: IdList(5).min(1, '请至少选择一名专家'),
    from: IsoDate(),
    to: IsoDate(),
    checklistId: Id.optional(),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));

export const VisitQuery = z
  .object({
    ...Paging,
    programmeId: Id.optional(),
    enterpriseId: Id.optional(),
    expertId: Id.optional(),
    districtCode: DistrictCode.optional(),
    status: z.enum(VISIT_STATUSES).optional(),
  })
  .strict();

export const Visit = z.object({
  id: z.string(),
  code: z.string(),
  programmeId: z.string(),
  programmeTitle: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  expertIds: z.array(z.string()),
  expertNames: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  status: z.enum(VISIT_STATUSES),
  findings: z.number().int(),
  majorFindings: z.number().int(),
  submittedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Visit = z.infer<typeof Visit>;

export const VisitDetail = Visit.extend({
  advice: z.string().nullable(),
  checklist: z.object({ id: z.string(), version: z.number().int(), title: z.string() }).nullable(),
  findingsList: z.array(LedgerFinding),
  feedback: z.object({ rating: z.number().int(), note: z.string().nullable() }).nullable(),
  events: z.array(z.object({ seq: z.number().int(), action: z.string(), actorName: z.string(), at: z.string(), comment: z.string().nullable(), attachmentIds: z.array(z.string()) })),
  allowedActions: z.array(z.enum(VISIT_ACTIONS)),
  mayRecord: z.boolean(),
  mayGiveFeedback: z.boolean(),
});
export type VisitDetail = z.infer<typeof VisitDetail>;

export const VisitFindingsInput = z.object({ version: Version, findings: z.array(FindingInput).min(1).max(50) }).strict();
export const VisitStepInput = z
  .object({
    version: Version,
    advice: Text(5000).optional().describe('帮扶建议: advice that is not a hazard (with submit)'),
    reason: Text(500).optional().describe('why the visit is cancelled'),
  })
  .strict();
export const FeedbackInput = z.object({ rating: Int(1, 5), note: Text(500).optional() }).strict();
