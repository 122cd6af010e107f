/** 精准执法 (#15): the frequency matrix, annual plans, 双随机 draws, inspections, cases, the quarterly bulletin — as the API answers and takes them. */
import { z } from 'zod';
import { checkRanges, DistrictCode, Id, IdList, IndustryCode, Int, IsoDate, Paging, QueryFlag, QueryInt, SearchText, StreetCode, Text, Version } from './fields';
import { HAZARD_GRADES, LedgerFinding } from './hazards';

export const RISK_CLASSES = ['major', 'high', 'general', 'low'] as const;
export const STANDARDIZATION_LEVELS = ['level1', 'level2', 'level3', 'none'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];
export type StandardizationLevel = (typeof STANDARDIZATION_LEVELS)[number];

// ─── Frequency matrix ─────────────────────────────────────────────────────────

export const MATRIX_SOURCES = ['example', 'city', 'district', 'department'] as const;
export type MatrixSource = (typeof MATRIX_SOURCES)[number];

export const MatrixCellInput = z
  .object({
    riskClass: z.enum(RISK_CLASSES),
    standardizationLevel: z.enum(STANDARDIZATION_LEVELS),
    perYear: Int(0, 52).describe('planned inspections per enterprise per year'),
    floor: Int(0, 52).describe('at least this many, whatever else the plan says (a key unit gets at least one)'),
    cap: Int(0, 52).describe('at most this many planned inspections a year (triggered ones are not capped)'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.floor > c.cap) ctx.addIssue({ code: 'custom', path: ['floor'], message: '下限不能大于上限' });
    if (c.perYear > c.cap) ctx.addIssue({ code: 'custom', path: ['perYear'], message: '计划次数不能大于上限' });
    if (c.perYear < c.floor) ctx.addIssue({ code: 'custom', path: ['perYear'], message: '计划次数不能小于下限' });
  });

export const MatrixCell = z.object({
  riskClass: z.enum(RISK_CLASSES),
  standardizationLevel: z.enum(STANDARDIZATION_LEVELS),
  perYear: z.number().int(),
  floor: z.number().int(),
  cap: z.number().int(),
  from: z.enum(MATRIX_SOURCES).describe('where the cell’s value comes from: the shipped example, the city, or the district’s or department’s override'),
});
export type MatrixCell = z.infer<typeof MatrixCell>;

export const Matrix = z.object({
  year: z.number().int(),
  scope: z.object({ level: z.enum(['city', 'district', 'department']), id: z.string(), name: z.string() }),
  cells: z.array(MatrixCell),
  isExample: z.boolean().describe('true while any cell still holds the shipped example (not an official rule)'),
  exampleNote: z.string(),
  sourceNote: z.string().nullable(),
  revision: z.number().int().describe('0: nothing set for this scope and year yet'),
  editable: z.boolean(),
});
export type Matrix = z.infer<typeof Matrix>;

export const MatrixQuery = z
  .object({ year: z.coerce.number().int().min(2000).max(2100).optional(), districtCode: DistrictCode.optional(), departmentId: Id.optional() })
  .strict();
export const MatrixInput = z
  .object({
    year: Int(2000, 2100),
    districtCode: DistrictCode.optional().describe('set the override of this district (its officers, or the city)'),
    departmentId: Id.optional().describe('set the override of this department'),
    cells: z.array(MatrixCellInput).min(1).max(16),
    sourceNote: Text(300, { min: 2, minMessage: '请说明依据（文件名称、文号或“示例”）' }),
  })
  .strict();
export type MatrixInput = z.input<typeof MatrixInput>;

// ─── Key units and annual plans ───────────────────────────────────────────────

export const KeyUnitsInput = z
  .object({
    year: Int(2000, 2100),
    districtCode: DistrictCode,
    /** Enterprises by id or by 统一社会信用代码, as the office's list names them. */
    enterprises: z.array(Text(40, { min: 1 })).min(1).max(20_000),
  })
  .strict();
export const KeyUnitsResult = z.object({ added: z.number().int(), already: z.number().int(), total: z.number().int(), unknown: z.array(z.object({ row: z.number().int(), value: z.string(), message: z.string() })) });

export const PlanInput = z.object({ year: Int(2000, 2100), districtCode: DistrictCode, departmentId: Id.optional() }).strict();
export const PlanMonth = z.object({ month: z.number().int(), planned: z.number().int(), done: z.number().int() });
export const Plan = z.object({
  id: z.string(),
  year: z.number().int(),
  districtCode: z.string(),
  districtName: z.string(),
  departmentId: z.string().nullable(),
  ownerName: z.string(),
  enterprises: z.number().int(),
  planned: z.number().int().describe('inspections planned for the year'),
  done: z.number().int().describe('planned (and drawn) inspections done, at most the planned count per enterprise'),
  overdue: z.number().int().describe('planned for a month that has ended and not yet done'),
  unplanned: z.number().int().describe('triggered inspections done in the year (tips, accidents, complaints, campaigns, follow-ups)'),
  keyUnits: z.number().int(),
  keyUnitsCovered: z.number().int(),
  byMonth: z.array(PlanMonth),
  matrix: z.array(MatrixCell),
  createdAt: z.string(),
  createdByName: z.string(),
});
export type Plan = z.infer<typeof Plan>;
export const PlanSummary = Plan.omit({ byMonth: true, matrix: true });
export const PlanQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional(), districtCode: DistrictCode.optional() }).strict();
export const PlanItem = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  riskClass: z.enum(RISK_CLASSES),
  standardizationLevel: z.enum(STANDARDIZATION_LEVELS),
  keyUnit: z.boolean(),
  planned: z.number().int(),
  months: z.array(z.number().int()),
  done: z.number().int(),
  overdue: z.number().int(),
});
export const PlanItemQuery = z.object({ ...Paging, status: z.enum(['all', 'overdue', 'done', 'key']).default('all'), q: SearchText.optional() }).strict();

// ─── Draws (双随机) ────────────────────────────────────────────────────────────

export const DRAW_ALGORITHM = 'sha256-fisher-yates-v1';

export const DrawFilter = z
  .object({
    districtCode: DistrictCode.optional(),
    streetCode: StreetCode.optional(),
    industryCodes: z.array(IndustryCode).max(120).optional(),
    riskClasses: z.array(z.enum(RISK_CLASSES)).max(4).optional(),
    standardizationLevels: z.array(z.enum(STANDARDIZATION_LEVELS)).max(4).optional(),
    keyUnitsOnly: z.boolean().optional(),
    notInspectedSince: IsoDate().optional().describe('only enterprises without an inspection on or after this date'),
  })
  .strict();
export type DrawFilter = z.infer<typeof DrawFilter>;

export const DrawInput = z
  .object({
    filter: DrawFilter.default({}),
    count: Int(1, 2000),
    inspectorsPerInspection: Int(2, 5).default(2),
    date: IsoDate().optional().describe('the inspections’ date (Shanghai); today by default'),
    title: Text(100).optional(),
  })
  .strict();
export type DrawInput = z.input<typeof DrawInput>;

export const DrawAssignment = z.object({ enterpriseId: z.string(), enterpriseName: z.string(), inspectorIds: z.array(z.string()), inspectorNames: z.array(z.string()), inspectionId: z.string().nullable() });
export const Draw = z.object({
  id: z.string(),
  title: z.string(),
  seed: z.string(),
  algorithm: z.string(),
  algorithmNote: z.string(),
  poolSize: z.number().int(),
  poolHash: z.string().describe('SHA-256 of the pool’s ids, sorted, joined by newlines'),
  count: z.number().int(),
  inspectorsPerInspection: z.number().int(),
  filter: DrawFilter,
  date: z.string(),
  districtCode: z.string().nullable(),
  enterprises: z.array(z.object({ id: z.string(), name: z.string() })),
  assignments: z.array(DrawAssignment),
  excluded: z.array(z.object({ enterpriseId: z.string(), inspectorId: z.string(), reason: z.enum(['conflict', 'recent']) })).describe('inspectors left out for an enterprise, and why'),
  published: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export type Draw = z.infer<typeof Draw>;
export const DrawSummary = Draw.pick({ id: true, title: true, poolSize: true, count: true, date: true, districtCode: true, published: true, createdAt: true, createdByName: true, algorithm: true });
export const DrawQuery = z.object({ ...Paging, districtCode: DistrictCode.optional() }).strict();
export const Replay = z.object({
  matches: z.boolean(),
  poolMatches: z.boolean().describe('the stored pool is the one recorded (hash in the audit log) when the draw was made'),
  seedMatches: z.boolean(),
  resultMatches: z.boolean().describe('recomputing from the pool and seed gives the stored enterprises and inspectors'),
  recomputed: z.object({ enterpriseIds: z.array(z.string()), assignments: z.array(z.object({ enterpriseId: z.string(), inspectorIds: z.array(z.string()) })) }),
});
export const PublicDraw = z.object({
  id: z.string(),
  title: z.string(),
  date: z.string(),
  createdAt: z.string(),
  seed: z.string(),
  algorithm: z.string(),
  poolSize: z.number().int(),
  poolHash: z.string(),
  enterprises: z.array(z.object({ name: z.string(), date: z.string() })),
});

export const ConflictInput = z.object({ inspectorId: Id, enterpriseId: Id, reason: Text(200, { min: 2 }) }).strict();
export const Conflict = z.object({ id: z.string(), inspectorId: z.string(), inspectorName: z.string(), enterpriseId: z.string(), enterpriseName: z.string(), reason: z.string(), declaredAt: z.string() });

// ─── Inspections ──────────────────────────────────────────────────────────────

export const INSPECTION_TYPES = ['planned', 'random', 'tip', 'accident', 'complaint', 'campaign', 'follow_up'] as const;
export type InspectionType = (typeof INSPECTION_TYPES)[number];
/** Planned and drawn inspections are the plan's; the rest are triggered. */
export const PLANNED_TYPES: readonly InspectionType[] = ['planned', 'random'];
export const INSPECTION_TYPE_LABELS: Record<InspectionType, { zh: string; en: string }> = {
  planned: { zh: '计划检查', en: 'Planned' },
  random: { zh: '双随机抽查', en: 'Random draw' },
  tip: { zh: '举报核查', en: 'Tip' },
  accident: { zh: '事故调查', en: 'Accident' },
  complaint: { zh: '投诉核查', en: 'Complaint' },
  campaign: { zh: '专项检查', en: 'Special campaign' },
  follow_up: { zh: '复查', en: 'Follow-up' },
};
export const INSPECTION_STATUSES = ['planned', 'in_progress', 'finished'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];
export const INSPECTION_STATUS_LABELS: Record<InspectionStatus, { zh: string; en: string }> = {
  planned: { zh: '待检查', en: 'Planned' },
  in_progress: { zh: '检查中', en: 'In progress' },
  finished: { zh: '已完成', en: 'Finished' },
};
export const INSPECTION_ACTIONS = ['start', 'finish'] as const;
export type InspectionAction = (typeof INSPECTION_ACTIONS)[number];

export const InspectionInput = z
  .object({
    enterpriseId: Id,
    type: z.enum(INSPECTION_TYPES),
    date: IsoDate(),
    inspectorIds: z.array(Id).min(2, '执法检查须由两名以上执法人员进行').max(5),
    unannounced: z.boolean().default(false).describe('四不两直: 不发通知、不打招呼、不听汇报、不用陪同接待，直奔基层、直插现场'),
    checklistId: Id.optional(),
    drawId: Id.optional(),
    followsId: Id.optional().describe('the earlier inspection a follow-up (复查) checks'),
    note: Text(500).optional(),
  })
  .strict();
export type InspectionInput = z.input<typeof InspectionInput>;

export const Inspection = z.object({
  id: z.string(),
  code: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  streetCode: z.string().nullable(),
  industryCode: z.string(),
  type: z.enum(INSPECTION_TYPES),
  status: z.enum(INSPECTION_STATUSES),
  unannounced: z.boolean(),
  date: z.string(),
  inspectorIds: z.array(z.string()),
  inspectorNames: z.array(z.string()),
  findings: z.number().int(),
  majorFindings: z.number().int(),
  drawId: z.string().nullable(),
  finishedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Inspection = z.infer<typeof Inspection>;

/** A hazard an inspection found, as it stands now (the ledger's shape of a finding, shared with expert visits). */
export const InspectionFinding = LedgerFinding;
export type InspectionFinding = z.infer<typeof InspectionFinding>;

export const RecordEvent = z.object({ seq: z.number().int(), action: z.string(), actorName: z.string(), at: z.string(), comment: z.string().nullable(), data: z.record(z.string(), z.unknown()).nullable(), attachmentIds: z.array(z.string()) });
export type RecordEvent = z.infer<typeof RecordEvent>;

export const InspectionDetail = Inspection.extend({
  enterprise: z.object({ id: z.string(), name: z.string(), uscc: z.string(), address: z.string(), principalName: z.string(), riskClass: z.enum(RISK_CLASSES), standardizationLevel: z.enum(STANDARDIZATION_LEVELS), openHazards: z.number().int(), openMajorHazards: z.number().int() }),
  checklist: z.object({ id: z.string(), title: z.string(), version: z.number().int(), items: z.array(z.object({ id: z.string(), seq: z.number().int(), text: z.string(), clauseId: z.string().nullable(), clauseNo: z.string().nullable() })) }).nullable(),
  results: z.array(z.object({ itemId: z.string(), result: z.enum(['ok', 'na', 'hazard']), note: z.string().nullable() })),
  findingsList: z.array(InspectionFinding),
  follows: z.object({ id: z.string(), code: z.string(), date: z.string(), findings: z.array(InspectionFinding) }).nullable(),
  pastInspections: z.array(z.object({ id: z.string(), code: z.string(), date: z.string(), type: z.enum(INSPECTION_TYPES), findings: z.number().int() })),
  signature: z.object({ signedBy: z.string().nullable(), refused: z.boolean(), note: z.string().nullable() }).nullable(),
  note: z.string().nullable(),
  cases: z.array(z.object({ id: z.string(), code: z.string(), status: z.string() })),
  events: z.array(RecordEvent),
  allowedActions: z.array(z.enum(INSPECTION_ACTIONS)),
  mayRecord: z.boolean().describe('the caller is one of its inspectors and it is in progress: findings may be recorded'),
});
export type InspectionDetail = z.infer<typeof InspectionDetail>;

const inspectionFilters = {
  districtCode: DistrictCode.optional(),
  streetCode: StreetCode.optional(),
  enterpriseId: Id.optional(),
  inspectorId: Id.optional(),
  drawId: Id.optional(),
  type: z.enum(INSPECTION_TYPES).optional(),
  typeGroup: z.enum(['planned', 'triggered']).optional(),
  status: z.enum(INSPECTION_STATUSES).optional(),
  unannounced: QueryFlag.optional(),
  withFindings: z.enum(['any', 'major']).optional(),
  from: IsoDate().optional(),
  to: IsoDate().optional(),
  mine: QueryFlag.optional().describe('only the caller’s own (as inspector)'),
};
export const InspectionQuery = z.object({ ...Paging, ...inspectionFilters }).strict().superRefine(checkRanges([['from', 'to']]));
export type InspectionQuery = z.infer<typeof InspectionQuery>;

export const FindingInput = z
  .object({
    description: Text(2000, { min: 5, minMessage: '隐患描述至少 5 个字' }),
    grade: z.enum(HAZARD_GRADES),
    clauseIds: IdList(20).optional(),
    location: Text(200).optional(),
    deadline: IsoDate().optional().describe('限期整改: the deadline the 指令书 gives (general hazards; a major one’s comes with its plan)'),
    attachmentIds: IdList(9).optional(),
    itemId: Id.optional().describe('the checklist item it was found on'),
  })
  .strict();
export const FindingsInput = z.object({ version: Version, findings: z.array(FindingInput).min(1).max(50) }).strict();
export type FindingsInput = z.input<typeof FindingsInput>;
export const FindingsResult = z.object({ hazardIds: z.array(z.string()), version: z.number().int() });

export const AcceptFindingsInput = z
  .object({
    version: Version,
    hazardIds: IdList(50).min(1, '请选择要验收的隐患'),
    note: Text(500, { min: 2, minMessage: '请填写复查意见' }),
    attachmentIds: IdList(9).optional(),
  })
  .strict();

export const InspectionStepInput = z
  .object({
    version: Version,
    results: z.array(z.object({ itemId: Id, result: z.enum(['ok', 'na', 'hazard']), note: Text(500).optional() }).strict()).max(500).optional(),
    signedBy: Text(50).optional().describe('the enterprise’s person who signs the record'),
    refused: z.boolean().optional().describe('the enterprise refused to sign (recorded with the inspectors’ note)'),
    note: Text(500).optional(),
  })
  .strict();

// ─── Cases and penalties (立案→决定→执行→结案) ──────────────────────────────────

export const CASE_STATUSES = ['filed', 'decided', 'executed', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, { zh: string; en: string }> = {
  filed: { zh: '已立案', en: 'Filed' },
  decided: { zh: '已决定', en: 'Decided' },
  executed: { zh: '已执行', en: 'Executed' },
  closed: { zh: '已结案', en: 'Closed' },
};
export const CASE_ACTIONS = ['decide', 'record_payment', 'record_appeal', 'close'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
export const DECISION_KINDS = ['warning', 'fine', 'suspend', 'other'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export const DECISION_LABELS: Record<DecisionKind, { zh: string; en: string }> = {
  warning: { zh: '警告', en: 'Warning' },
  fine: { zh: '罚款', en: 'Fine' },
  suspend: { zh: '责令停产停业整顿', en: 'Order to suspend' },
  other: { zh: '其他', en: 'Other' },
};
export const APPEAL_STATUSES = ['none', 'reconsideration', 'litigation', 'upheld', 'changed', 'revoked'] as const;

export const Provision = z.object({ id: z.string(), law: z.string(), article: z.string(), title: z.string(), note: z.string().nullable(), active: z.boolean() });
export const ProvisionInput = z.object({ law: Text(100, { min: 2 }), article: Text(40, { min: 2 }), title: Text(200, { min: 2 }), note: Text(500).optional() }).strict();

export const CaseInput = z
  .object({
    inspectionId: Id,
    violation: Text(1000, { min: 5, minMessage: '违法行为至少 5 个字' }),
    provisionIds: IdList(10).min(1, '请选择至少一条法律依据'),
    hazardIds: IdList(50).optional(),
  })
  .strict();

export const CaseStepInput = {
  decide: z
    .object({
      version: Version,
      decision: z.enum(DECISION_KINDS),
      circumstance: Text(40, { min: 1 }).describe('the discretion table’s circumstance code (裁量基准)'),
      fineYuan: z.number().min(0).max(100_000_000).multipleOf(0.01).optional(),
      decidedOn: IsoDate(),
      documentNo: Text(60).optional(),
      comment: Text(1000).optional(),
      attachmentIds: IdList(9).optional(),
    })
    .strict(),
  record_payment: z.object({ version: Version, paidYuan: z.number().min(0.01).max(100_000_000).multipleOf(0.01), paidOn: IsoDate(), comment: Text(1000).optional(), attachmentIds: IdList(9).optional() }).strict(),
  record_appeal: z.object({ version: Version, appealStatus: z.enum(APPEAL_STATUSES), comment: Text(1000, { min: 2 }), attachmentIds: IdList(9).optional() }).strict(),
  close: z.object({ version: Version, closedOn: IsoDate(), comment: Text(1000).optional(), attachmentIds: IdList(9).optional() }).strict(),
} as const;

export const Case = z.object({
  id: z.string(),
  code: z.string(),
  status: z.enum(CASE_STATUSES),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  inspectionId: z.string(),
  violation: z.string(),
  provisions: z.array(Provision.pick({ id: true, law: true, article: true, title: true })),
  hazardIds: z.array(z.string()),
  decision: z.enum(DECISION_KINDS).nullable(),
  circumstance: z.string().nullable(),
  discretion: z.object({ label: z.string(), minYuan: z.number(), maxYuan: z.number() }).nullable(),
  fineYuan: z.number().nullable(),
  paidYuan: z.number(),
  decidedOn: z.string().nullable(),
  paidOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  documentNo: z.string().nullable(),
  appealStatus: z.enum(APPEAL_STATUSES),
  filedOn: z.string(),
  version: z.number().int(),
});
export type Case = z.infer<typeof Case>;
export const CaseDetail = Case.extend({ events: z.array(RecordEvent), allowedActions: z.array(z.enum(CASE_ACTIONS)) });
export type CaseDetail = z.infer<typeof CaseDetail>;
export const CaseQuery = z
  .object({
    ...Paging,
    districtCode: DistrictCode.optional(),
    enterpriseId: Id.optional(),
    inspectionId: Id.optional(),
    status: z.enum(CASE_STATUSES).optional(),
    decision: z.enum(DECISION_KINDS).optional(),
    from: IsoDate().optional().describe('filed on or after'),
    to: IsoDate().optional().describe('filed on or before'),
    decidedFrom: IsoDate().optional().describe('decided on or after'),
    decidedTo: IsoDate().optional().describe('decided on or before'),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to'], ['decidedFrom', 'decidedTo']]));

// ─── The findings of inspections, and key units with their coverage (the bulletin's lists) ──────

export const FINDING_STATES = ['open', 'closed', 'voided'] as const;
export const FindingQuery = z
  .object({
    ...Paging,
    districtCode: DistrictCode.optional(),
    from: IsoDate().optional().describe('finished inspections dated on or after'),
    to: IsoDate().optional().describe('finished inspections dated on or before'),
    grade: z.enum(HAZARD_GRADES).optional(),
    state: z.enum(FINDING_STATES).optional().describe('open: not yet closed or voided'),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
export const Finding = z.object({
  hazardId: z.string(),
  code: z.string(),
  description: z.string(),
  grade: z.enum(HAZARD_GRADES),
  status: z.string(),
  deadline: z.string().nullable(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  inspectionId: z.string(),
  inspectionCode: z.string(),
  inspectionDate: z.string(),
});
export type Finding = z.infer<typeof Finding>;

export const KeyUnitQuery = z
  .object({
    ...Paging,
    year: QueryInt(2000, 2100),
    districtCode: DistrictCode.optional(),
    from: IsoDate().optional().describe('covered: a finished inspection dated on or after'),
    to: IsoDate().optional().describe('covered: a finished inspection dated on or before'),
    covered: QueryFlag.optional(),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
export const KeyUnit = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  creditCode: z.string(),
  districtCode: z.string(),
  year: z.number().int(),
  lastInspection: z.string().nullable().describe('the latest finished inspection in the window (or the year)'),
});
export type KeyUnit = z.infer<typeof KeyUnit>;

// ─── Quarterly bulletin (季度执法通报) ─────────────────────────────────────────

export const Quarter = z
  .string()
  .regex(/^20\d\d-?Q[1-4]$/, '季度格式应为 YYYYQn（如 2026Q3）')
  .transform((q) => q.replace('-', ''));
export const StatsQuery = z.object({ quarter: Quarter.optional(), districtCode: DistrictCode.optional() }).strict();

export const BulletinFigures = z.object({
  inspections: z.number().int(),
  inspectionsLastYear: z.number().int().describe('the same quarter a year before'),
  change: z.number().nullable().describe('(this − last) / last; null when last is 0'),
  planned: z.number().int(),
  triggered: z.number().int(),
  unannounced: z.number().int(),
  hazards: z.number().int(),
  majorHazards: z.number().int(),
  hazardsPer100: z.number().nullable(),
  majorPer100: z.number().nullable(),
  findingsClosed: z.number().int().describe('hazards found by the quarter’s inspections that are closed now'),
  rectificationRate: z.number().nullable(),
  cases: z.number().int().describe('cases filed (立案) in the quarter'),
  decisions: z.number().int(),
  fines: z.number().int().describe('fine decisions'),
  fineYuan: z.number(),
  keyUnits: z.number().int(),
  keyUnitsCovered: z.number().int(),
});
export type BulletinFigures = z.infer<typeof BulletinFigures>;
export const Bulletin = z.object({
  quarter: z.string(),
  from: z.string(),
  to: z.string(),
  districtCode: z.string().nullable(),
  name: z.string(),
  totals: BulletinFigures,
  rows: z.array(BulletinFigures.extend({ districtCode: z.string(), name: z.string() })),
});
export type Bulletin = z.infer<typeof Bulletin>;
