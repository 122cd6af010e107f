/** 检查表: self-check checklists (issue #14), as the API answers and takes them. */
import { z } from 'zod';
import { checkRanges, DistrictCode, Id, IdList, IndustryCode, IsoDate, Paging, SearchText, Slug, StreetCode, Text, Version } from './fields';
import { HAZARD_GRADES, HAZARD_SOURCES } from './hazards';

export const CHECKLIST_OWNER_LEVELS = ['city', 'district', 'street', 'department', 'enterprise'] as const;
export type ChecklistOwnerLevel = (typeof CHECKLIST_OWNER_LEVELS)[number];

export const ChecklistItem = z.object({
  id: z.string(),
  seq: z.number().int(),
  text: z.string(),
  category: z.string().nullable(),
  clauseId: z.string().nullable().describe('the judgement-standard clause the item checks (a major hazard found on it cites the clause)'),
  clauseNo: z.string().nullable(),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const ChecklistSummary = z.object({
  id: z.string(),
  title: z.string(),
  version: z.number().int().describe('the current version; a round keeps the version it was done against'),
  ownerLevel: z.enum(CHECKLIST_OWNER_LEVELS),
  ownerName: z.string().describe('the organisation that published it'),
  industryCodes: z.array(z.string()).describe('GB/T 4754 sections or divisions it applies to; empty: every industry'),
  enterpriseKinds: z.array(z.string()),
  standardId: z.string().nullable().describe('the judgement standard it was generated from'),
  itemCount: z.number().int(),
  editable: z.boolean().describe('whether the caller may change it'),
  updatedAt: z.string(),
});
export type ChecklistSummary = z.infer<typeof ChecklistSummary>;

export const Checklist = ChecklistSummary.extend({ items: z.array(ChecklistItem) });
export type Checklist = z.infer<typeof Checklist>;

export const ChecklistItemInput = z
  .object({
    text: Text(500, { min: 2 }),
    category: Text(50).nullish(),
    clauseId: Id.nullish(),
  })
  .strict();

const Kinds = z.array(Text(50, { min: 1 })).max(20).default([]);

export const ChecklistInput = z
  .object({
    title: Text(100, { min: 2 }),
    industryCodes: z.array(IndustryCode).max(120).default([]),
    enterpriseKinds: Kinds,
    items: z.array(ChecklistItemInput).min(1, '检查表至少要有一项').max(500, '检查表最多 500 项'),
  })
  .strict();
export type ChecklistInput = z.input<typeof ChecklistInput>;

export const ChecklistPatch = z
  .object({
    version: Version,
    title: Text(100, { min: 2 }).optional(),
    industryCodes: z.array(IndustryCode).max(120).optional(),
    enterpriseKinds: z.array(Text(50, { min: 1 })).max(20).optional(),
    items: z.array(ChecklistItemInput).min(1, '检查表至少要有一项').max(500, '检查表最多 500 项').optional(),
  })
  .strict();
export type ChecklistPatch = z.input<typeof ChecklistPatch>;

export const ChecklistFromStandard = z
  .object({
    standardId: Slug,
    title: Text(100, { min: 2 }),
  })
  .strict();

export const ChecklistQuery = z
  .object({
    ...Paging,
    q: SearchText.optional(),
    industryCode: IndustryCode.optional(),
    ownerLevel: z.enum(CHECKLIST_OWNER_LEVELS).optional(),
  })
  .strict();
export type ChecklistQuery = z.infer<typeof ChecklistQuery>;

/** 自查频次. `shift` (每班) makes one round a day until shift patterns are configured. */
export const SELF_CHECK_FREQUENCIES = ['shift', 'daily', 'weekly', 'monthly', 'quarterly', 'half_yearly'] as const;
export type SelfCheckFrequency = (typeof SELF_CHECK_FREQUENCIES)[number];

export const ScheduleInput = z
  .object({
    checklistId: Id,
    enterpriseIds: z.array(Id).min(1).max(10_000).optional(),
    filter: z
      .object({
        districtCode: DistrictCode.optional(),
        streetCode: StreetCode.optional(),
        industryCode: IndustryCode.optional(),
      })
      .strict()
      .optional(),
    frequency: z.enum(SELF_CHECK_FREQUENCIES),
    startDate: IsoDate(),
  })
  .strict();
export type ScheduleInput = z.input<typeof ScheduleInput>;

export const Schedule = z.object({
  id: z.string(),
  checklistId: z.string(),
  checklistTitle: z.string(),
  frequency: z.enum(SELF_CHECK_FREQUENCIES),
  startDate: z.string(),
  enterprises: z.number().int().describe('enterprises the schedule covers'),
  createdAt: z.string(),
});
export type Schedule = z.infer<typeof Schedule>;

export const ROUND_STATUSES = ['due', 'overdue', 'done'] as const;
export const Round = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  checklistId: z.string(),
  checklistTitle: z.string(),
  checklistVersion: z.number().int(),
  scheduleId: z.string().nullable(),
  period: z.string(),
  dueDate: z.string(),
  status: z.enum(ROUND_STATUSES).describe('due until its due date (Shanghai), overdue after, done once submitted'),
  version: z.number().int(),
  submittedAt: z.string().nullable(),
});
export type Round = z.infer<typeof Round>;

export const SELF_CHECK_RESULTS = ['ok', 'na', 'hazard'] as const;

export const RoundEvent = z.object({
  seq: z.number().int(),
  action: z.enum(['submit', 'annotate']),
  actorName: z.string(),
  at: z.string(),
  comment: z.string().nullable(),
});

export const RoundDetail = Round.extend({
  items: z.array(ChecklistItem),
  results: z
    .array(z.object({ itemId: z.string(), result: z.enum(SELF_CHECK_RESULTS), note: z.string().nullable(), hazardId: z.string().nullable(), hazardCode: z.string().nullable(), hazardStatus: z.string().nullable() }))
    .describe('each item’s result, once submitted'),
  findings: z.number().int().nullable().describe('hazards found; 0 is a 零隐患自查; null until submitted'),
  signedByName: z.string().nullable(),
  signedByRole: z.string().nullable(),
  signers: z.array(z.object({ name: z.string(), role: z.string() })).describe('who may sign off: the persons recorded on the enterprise'),
  hazardIds: z.array(z.string()).describe('the hazards the round put on the ledger'),
  events: z.array(RoundEvent),
  mayAnnotate: z.boolean(),
  maySubmit: z.boolean(),
});
export type RoundDetail = z.infer<typeof RoundDetail>;

export const RoundHazard = z
  .object({
    description: Text(2000, { min: 4, minMessage: '隐患描述至少4个字' }),
    grade: z.enum(HAZARD_GRADES),
    clauseIds: IdList(20).optional().describe('besides the item’s own clause, which is cited anyway'),
    location: Text(300, { min: 1 }).optional().describe('defaults to the enterprise’s registered address'),
    deadline: IsoDate().optional().describe('a rectification deadline set at once (the enterprise rectifies itself)'),
    fixedOnSpot: z.boolean().optional().describe('即查即改: a general hazard fixed at once, with evidence (attachmentIds)'),
  })
  .strict();

export const RoundSubmission = z
  .object({
    version: Version,
    results: z
      .array(
        z
          .object({
            itemId: Id,
            result: z.enum(SELF_CHECK_RESULTS),
            note: Text(1000).nullish(),
            attachmentIds: IdList(5).optional(),
            hazard: RoundHazard.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
    signedBy: Text(50, { min: 1, minMessage: '请填写签字人' }),
    confirmNoFindings: z.boolean().optional().describe('required (true) when no item found a hazard: 零隐患自查 is stated, not assumed'),
  })
  .strict();
export type RoundSubmission = z.input<typeof RoundSubmission>;

export const RoundAnnotation = z.object({ comment: Text(1000, { min: 2, minMessage: '请填写批注' }) }).strict();

export const SELF_CHECK_GROUPINGS = ['district', 'street', 'industry', 'month'] as const;
export const SelfCheckStatsQuery = z
  .object({
    enterpriseId: Id.optional(),
    districtCode: DistrictCode.optional(),
    from: IsoDate().optional().describe('due dates from (whole months: the month of this date)'),
    to: IsoDate().optional(),
    groupBy: z.enum(SELF_CHECK_GROUPINGS).default('district'),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
export type SelfCheckStatsQuery = z.infer<typeof SelfCheckStatsQuery>;

const count = z.number().int();
export const SelfCheckFigures = z.object({
  enterprises: count.describe('enterprises with a schedule (all time; not by month)'),
  rounds: count.describe('rounds due in the months'),
  onTime: count,
  late: count,
  overdue: count.describe('not done and past their due date'),
  pending: count.describe('not done, not yet due'),
  withFindings: count,
  findingsShare: z.number().nullable().describe('share of done rounds that found a hazard, 0–1'),
  hazards: count.describe('hazards found by these self-checks'),
});
export const SelfCheckStats = z.object({
  groupBy: z.enum(SELF_CHECK_GROUPINGS),
  from: z.string(),
  to: z.string(),
  total: SelfCheckFigures,
  rows: z.array(SelfCheckFigures.extend({ key: z.string(), name: z.string() })),
  hazardsBySource: z.array(z.object({ source: z.enum(HAZARD_SOURCES), found: count })).describe('hazards found in the months, self-check versus the other sources'),
});
export type SelfCheckStats = z.infer<typeof SelfCheckStats>;

export const SignalQuery = z
  .object({ ...Paging, districtCode: DistrictCode.optional(), from: IsoDate().optional(), to: IsoDate().optional() })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
export const Signal = z.object({
  roundId: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  period: z.string(),
  periodStart: z.string(),
  dueDate: z.string(),
  submittedAt: z.string(),
  hazardId: z.string(),
  hazardCode: z.string(),
  hazardSource: z.enum(HAZARD_SOURCES),
  hazardFoundAt: z.string(),
  hazardDescription: z.string(),
});
export type Signal = z.infer<typeof Signal>;

/** The round list's filters (due dates from/to), shared by the list and its export. */
const roundFilters = {
  enterpriseId: Id.optional(),
  districtCode: DistrictCode.optional(),
  departmentId: Id.optional().describe('the rounds of the industries a department supervises (in its region), as its cockpit counts them'),
  status: z.enum(ROUND_STATUSES).optional(),
  from: IsoDate().optional(),
  to: IsoDate().optional(),
};
export const RoundQuery = z
  .object({ ...Paging, ...roundFilters })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
export const RoundExportQuery = z.object(roundFilters).strict().superRefine(checkRanges([['from', 'to']]));
export type RoundQuery = z.infer<typeof RoundQuery>;
