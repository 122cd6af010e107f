/** 检查表: self-check checklists (issue #14), as the API answers and takes them. */
import { z } from 'zod';
import { DistrictCode, Id, IndustryCode, IsoDate, Paging, SearchText, Slug, StreetCode, Text, Version } from './fields';

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
  checklistVersion: z.number().int(),
  scheduleId: z.string().nullable(),
  period: z.string(),
  dueDate: z.string(),
  status: z.enum(ROUND_STATUSES).describe('due until its due date (Shanghai), overdue after, done once submitted'),
  version: z.number().int(),
  submittedAt: z.string().nullable(),
});
export type Round = z.infer<typeof Round>;
export const RoundDetail = Round.extend({ items: z.array(ChecklistItem) });

export const RoundQuery = z
  .object({
    ...Paging,
    enterpriseId: Id.optional(),
    districtCode: DistrictCode.optional(),
    status: z.enum(ROUND_STATUSES).optional(),
    from: IsoDate().optional(),
    to: IsoDate().optional(),
  })
  .strict();
export type RoundQuery = z.infer<typeof RoundQuery>;
