import { z } from 'zod';
import { PersonName, Phone } from './common';
import { checkRanges, DistrictCode, Id, IdList, IndustryCode, Int, IsoDate, IsoDateTime, QueryFlag, QueryInt, SearchText, StreetCode, Text, Version } from './fields';

export const HAZARD_STATUSES = ['reported', 'rectifying', 'pending_acceptance', 'closed', 'voided'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];
export const OPEN_STATUSES: readonly HazardStatus[] = ['reported', 'rectifying', 'pending_acceptance'];

export const HAZARD_GRADES = ['general', 'major'] as const;
export type HazardGrade = (typeof HAZARD_GRADES)[number];

export const HAZARD_SOURCES = [
  'self_check',
  'routine_inspection',
  'enforcement_inspection',
  'expert_inspection',
  'tip',
  'third_party',
  'accident_investigation',
  'transfer',
  'other',
  'system',
] as const;
export type HazardSource = (typeof HAZARD_SOURCES)[number];
/** The sources a person or an import may name; `system` (系统核验: a lapsed certificate) only the platform sets. */
export const ENTERED_SOURCES = HAZARD_SOURCES.filter((s): s is Exclude<HazardSource, 'system'> => s !== 'system');

export const SUPERVISION_LEVELS = ['none', 'district', 'city'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export const HAZARD_ACTIONS = ['assign', 'fix_on_spot', 'submit', 'accept', 'reject', 'extend', 'transfer', 'supervise', 'void'] as const;
export type HazardAction = (typeof HAZARD_ACTIONS)[number];

export const STATUS_LABELS: Record<HazardStatus, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'Reported' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  pending_acceptance: { zh: '待验收', en: 'Pending acceptance' },
  closed: { zh: '已销号', en: 'Closed' },
  voided: { zh: '已作废', en: 'Voided' },
};
export const GRADE_LABELS: Record<HazardGrade, { zh: string; en: string }> = {
  general: { zh: '一般隐患', en: 'General' },
  major: { zh: '重大隐患', en: 'Major' },
};
export const SOURCE_LABELS: Record<HazardSource, { zh: string; en: string }> = {
  self_check: { zh: '企业自查', en: 'Self-check' },
  routine_inspection: { zh: '日常检查', en: 'Routine inspection' },
  enforcement_inspection: { zh: '执法检查', en: 'Enforcement inspection' },
  expert_inspection: { zh: '专家检查（啄木鸟）', en: 'Expert inspection' },
  tip: { zh: '举报', en: 'Tip' },
  third_party: { zh: '第三方服务', en: 'Third party' },
  accident_investigation: { zh: '事故调查', en: 'Accident investigation' },
  transfer: { zh: '移交', en: 'Transfer' },
  other: { zh: '其他', en: 'Other' },
  system: { zh: '系统核验', en: 'System check' },
};
export const ACTION_LABELS: Record<HazardAction, { zh: string; en: string }> = {
  assign: { zh: '限期整改', en: 'Assign rectification' },
  fix_on_spot: { zh: '即查即改', en: 'Fixed on the spot' },
  submit: { zh: '提交整改', en: 'Submit rectification' },
  accept: { zh: '验收销号', en: 'Accept and close' },
  reject: { zh: '验收不通过', en: 'Reject' },
  extend: { zh: '延期', en: 'Extend deadline' },
  transfer: { zh: '移交', en: 'Transfer' },
  supervise: { zh: '挂牌督办', en: 'List for supervision' },
  void: { zh: '作废', en: 'Void' },
};

const isoDate = IsoDate();
const attachmentIds = IdList(20);

export const RectificationPlan = z
  .object({
    measures: Text(5000, { min: 1, minMessage: '请填写整改措施' }),
    fundsFen: Int(0, 1e13).describe('整改资金，单位：分'),
    responsibleName: PersonName,
    deadline: isoDate,
    contingencyPlan: Text(5000, { min: 1, minMessage: '请填写应急预案' }),
  })
  .strict();
export type RectificationPlan = z.infer<typeof RectificationPlan>;

export const HazardInput = z
  .object({
    enterpriseId: Id,
    description: Text(2000, { min: 4, minMessage: '隐患描述至少4个字' }),
    location: Text(300, { min: 1 }),
    grade: z.enum(HAZARD_GRADES),
    clauseIds: IdList(20).default([]),
    source: z.enum(ENTERED_SOURCES),
    foundAt: IsoDateTime(),
    foundByName: PersonName.optional(),
    category: Text(50).nullable().optional(),
    lng: z.number().min(120).max(123).nullable().optional(),
    lat: z.number().min(30).max(32.5).nullable().optional(),
    attachmentIds: attachmentIds.optional(),
  })
  .strict();
export type HazardInput = z.input<typeof HazardInput>;

export const HazardEvent = z.object({
  id: z.string(),
  seq: z.number().int(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actorName: z.string(),
  at: z.string(),
  comment: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  attachments: z.array(z.object({ id: z.string(), mime: z.string(), size: z.number(), name: z.string().nullable() })),
});
export type HazardEvent = z.infer<typeof HazardEvent>;

export const Hazard = z.object({
  id: z.string(),
  code: z.string(),
  status: z.enum(HAZARD_STATUSES),
  grade: z.enum(HAZARD_GRADES),
  source: z.enum(HAZARD_SOURCES),
  version: z.number().int(),
  overdue: z.boolean(),
  deadline: z.string().nullable(),
  supervisionLevel: z.enum(SUPERVISION_LEVELS),
  enterpriseId: z.string(),
  enterpriseName: z.string().nullable(),
  cityCode: z.string(),
  districtCode: z.string(),
  districtName: z.string().nullable(),
  streetCode: z.string().nullable(),
  streetName: z.string().nullable(),
  industryCode: z.string(),
  departmentId: z.string().nullable(),
  description: z.string(),
  location: z.string(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  category: z.string().nullable(),
  foundByName: z.string(),
  foundAt: z.string(),
  responsibleName: z.string().nullable(),
  responsiblePhone: z.string().nullable(),
  plan: RectificationPlan.nullable(),
  clauseIds: z.array(z.string()),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Hazard = z.infer<typeof Hazard>;

export const HazardDetail = Hazard.extend({
  origin: z
    .object({ type: z.string().describe('selfcheck, inspection, …'), id: z.string(), itemId: z.string().nullable(), parentId: z.string().nullable().optional().describe('the record the origin belongs to (a campaign target’s campaign)') })
    .nullable()
    .describe('the record the hazard was found in (a self-check round and item, an inspection, …), where one is linked'),
  clauses: z.array(z.object({ id: z.string(), standardId: z.string(), standardTitle: z.string(), no: z.string(), text: z.string() })),
  events: z.array(HazardEvent),
  allowedActions: z.array(z.enum(HAZARD_ACTIONS)),
  supervisionLevels: z.array(z.enum(SUPERVISION_LEVELS)).describe('levels this user may set with `supervise`'),
  heldBack: z.array(z.object({ action: z.enum(HAZARD_ACTIONS), reason: z.string() })).describe('steps this user could take but for separation of duties, and why'),
  acceptorsNeeded: z.number().int().describe('people needed to accept (2: a first acceptance, then a confirmation by someone else)'),
  awaitingConfirmation: z.boolean().describe('a first acceptance is recorded; a second acceptor must confirm'),
});
export type HazardDetail = z.infer<typeof HazardDetail>;

const version = Version;
const comment = Text(2000);
const required = (message: string) => Text(2000, { min: 1, minMessage: message });
export const ACTION_BODIES = {
  assign: z
    .object({ version, deadline: isoDate, responsibleName: PersonName, responsiblePhone: Phone.optional(), plan: RectificationPlan.optional(), comment: comment.optional() })
    .strict(),
  fix_on_spot: z.object({ version, note: required('请说明整改情况'), attachmentIds }).strict(),
  submit: z.object({ version, note: required('请说明整改情况'), attachmentIds }).strict(),
  accept: z.object({ version, note: comment.optional(), attachmentIds: attachmentIds.optional() }).strict(),
  reject: z.object({ version, reason: required('请说明不通过的原因'), attachmentIds: attachmentIds.optional() }).strict(),
  extend: z.object({ version, deadline: isoDate, reason: required('请说明延期原因') }).strict(),
  transfer: z
    .object({ version, districtCode: DistrictCode.optional(), departmentId: Id.optional(), reason: required('请说明移交原因') })
    .strict(),
  supervise: z.object({ version, level: z.enum(['district', 'city']), comment: comment.optional() }).strict(),
  void: z.object({ version, reason: required('请说明作废原因') }).strict(),
} as const;

export const HAZARD_SORTS = ['-foundAt', 'foundAt', 'deadline', '-deadline', '-createdAt', 'code'] as const;
export const HazardQuery = z
  .object({
    page: QueryInt(1, 1_000_000).default(1),
    pageSize: QueryInt(1, 200).default(20),
    districtCode: DistrictCode.optional(),
    streetCode: StreetCode.optional(),
    enterpriseId: Id.optional(),
    industryCode: IndustryCode.optional(),
    grade: z.enum(HAZARD_GRADES).optional(),
    status: z
      .string()
      .regex(/^[a-z_, ]{1,200}$/, '状态应为逗号分隔的状态代码')
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.enum(HAZARD_STATUSES)).min(1))
      .optional(),
    overdue: QueryFlag.optional(),
    source: z.enum(HAZARD_SOURCES).optional(),
    supervisionLevel: z.enum(SUPERVISION_LEVELS).optional(),
    foundFrom: isoDate.optional(),
    foundTo: isoDate.optional(),
    closedFrom: isoDate.optional(),
    closedTo: isoDate.optional(),
    /** The industries a department supervises (its sections expanded to divisions). */
    departmentId: Id.optional(),
    /** Closed by 即查即改 (fixed on the spot). */
    onSpot: z.enum(['true']).transform(() => true).optional(),
    deadlineFrom: isoDate.optional(),
    deadlineTo: isoDate.optional(),
    /** 待我处理: hazards waiting for the user's next step (assign, rectify, accept). */
    todo: z.enum(['true']).transform(() => true).optional(),
    q: SearchText.optional(),
    sort: z.enum(HAZARD_SORTS).default('-foundAt'),
  })
  .strict()
  .superRefine(checkRanges([['foundFrom', 'foundTo'], ['closedFrom', 'closedTo'], ['deadlineFrom', 'deadlineTo']]));
export type HazardQuery = z.output<typeof HazardQuery>;

const count = z.number().int();
export const StatusCounts = z.object({
  reported: count,
  rectifying: count,
  pending_acceptance: count,
  closed: count,
  voided: count,
  todo: count.describe('待我处理: hazards waiting for your next step, under the same filters'),
});

export const UploadedFile = z.object({ id: z.string(), sha256: z.string(), mime: z.string(), size: z.number().int() });

/** A finding some record (an inspection, an expert visit) put on the ledger, as the hazard stands now. */
export const LedgerFinding = z.object({
  hazardId: z.string(),
  code: z.string(),
  description: z.string(),
  location: z.string(),
  grade: z.enum(HAZARD_GRADES),
  status: z.string(),
  deadline: z.string().nullable(),
  clauseNos: z.array(z.string()),
  itemId: z.string().nullable(),
  attachmentIds: z.array(z.string()),
});
export type LedgerFinding = z.infer<typeof LedgerFinding>;
