/**
 * 城市安全风险清单 (#20, action 2): risk items with the method that assessed them — the level always
 * computed by the server from the method, its inputs and the thresholds in force, never typed — the
 * assessment rounds with each district's submission, and the map's points.
 */
import { z } from 'zod';
import { DistrictCode, Id, IdList, Int, IsoDate, Paging, QueryFlag, SearchText, StreetCode, Text, Version } from './fields';
import { PlanUnit, PlanUnitView } from './tasks';

export const RISK_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS: Record<RiskLevel, { zh: string; en: string }> = {
  red: { zh: '重大风险', en: 'Major (red)' },
  orange: { zh: '较大风险', en: 'High (orange)' },
  yellow: { zh: '一般风险', en: 'General (yellow)' },
  blue: { zh: '低风险', en: 'Low (blue)' },
};

export const RISK_METHODS = ['matrix', 'ls', 'lec'] as const;
export type RiskMethod = (typeof RISK_METHODS)[number];
export const RISK_METHOD_LABELS: Record<RiskMethod, { zh: string; en: string }> = {
  matrix: { zh: '风险矩阵法（可能性×严重性查表）', en: 'Risk matrix (likelihood × severity lookup)' },
  ls: { zh: 'LS 法（R = L × S）', en: 'LS (R = L × S)' },
  lec: { zh: 'LEC 法（D = L × E × C）', en: 'LEC (D = L × E × C)' },
};

const Scale5 = Int(1, 5);
/** A factor of LEC: a positive number (the classic tables use 0.1–100). */
const Factor = z.number().positive('应大于 0').max(1000, '不能大于 1000');
export const MatrixInputs = z.object({ likelihood: Scale5, severity: Scale5 }).strict();
export const LsInputs = z.object({ l: Scale5, s: Scale5 }).strict();
export const LecInputs = z.object({ l: Factor, e: Factor, c: Factor }).strict();
export type RiskInputs = z.infer<typeof MatrixInputs> | z.infer<typeof LsInputs> | z.infer<typeof LecInputs>;
export const INPUTS_BY_METHOD = { matrix: MatrixInputs, ls: LsInputs, lec: LecInputs } as const;

export const RiskMeasure = z
  .object({
    measure: Text(300, { min: 2, minMessage: '管控措施至少 2 个字' }),
    owner: Text(50, { min: 1 }),
    deadline: IsoDate().nullable().optional(),
  })
  .strict();

/** A ring of [lng, lat] points inside Shanghai's box, at least 3. */
const Polygon = z.array(z.tuple([z.number().min(120).max(123), z.number().min(30).max(32.5)])).min(3, '区域至少 3 个点').max(500, '区域最多 500 个点');

const RiskFields = {
  name: Text(100, { min: 2, minMessage: '风险名称至少 2 个字' }),
  type: Text(30, { min: 1 }).describe('风险类型, e.g. 火灾, 燃气, 危险化学品, 交通运输'),
  districtCode: DistrictCode,
  streetCode: StreetCode.nullable().optional(),
  place: Text(200).nullable().optional(),
  lng: z.number().min(120).max(123).nullable().optional(),
  lat: z.number().min(30).max(32.5).nullable().optional(),
  polygon: Polygon.nullable().optional(),
  enterpriseIds: IdList(50).optional(),
  method: z.enum(RISK_METHODS),
  inputs: z.record(z.string(), z.unknown()).describe('matrix: {likelihood, severity} 1–5; ls: {l, s} 1–5; lec: {l, e, c} positive numbers'),
  measures: z.array(RiskMeasure).max(30, '最多 30 条管控措施').optional(),
  reviewOn: IsoDate().nullable().optional(),
  roundId: Id.nullable().optional(),
};

export const RiskInput = z.object(RiskFields).strict();
export const RiskPatch = z.object(RiskFields).partial().extend({ version: Version, note: Text(500).nullable().optional() }).strict();

export const RiskQuery = z
  .object({
    districtCode: DistrictCode.optional(),
    streetCode: StreetCode.optional(),
    level: z.enum(RISK_LEVELS).optional(),
    method: z.enum(RISK_METHODS).optional(),
    type: Text(30).optional(),
    roundId: Id.optional(),
    enterpriseId: Id.optional(),
    flagged: QueryFlag.optional().describe('true: items with open major hazards linked'),
    q: SearchText.optional(),
    ...Paging,
  })
  .strict();

export const Risk = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string(),
  districtCode: z.string(),
  districtName: z.string().nullable(),
  streetCode: z.string().nullable(),
  place: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  method: z.enum(RISK_METHODS),
  inputs: z.record(z.string(), z.number()),
  score: z.number().describe('R (matrix: the cell; ls: L × S) or D (lec: L × E × C)'),
  level: z.enum(RISK_LEVELS),
  levelReason: z.string().describe('how the level follows from the score under the thresholds in force'),
  levelReasonEn: z.string(),
  reviewOn: z.string().nullable(),
  reviewDue: z.boolean(),
  roundId: z.string().nullable(),
  openHazards: z.number().int(),
  openMajorHazards: z.number().int(),
  flagged: z.boolean().describe('open major hazards are linked'),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Risk = z.infer<typeof Risk>;

export const RiskDetail = Risk.extend({
  polygon: z.array(z.tuple([z.number(), z.number()])).nullable(),
  measures: z.array(z.object({ measure: z.string(), owner: z.string(), deadline: z.string().nullable().optional(), overdue: z.boolean() })),
  enterprises: z.array(z.object({ id: z.string(), name: z.string() })),
  hazards: z.array(z.object({ id: z.string(), code: z.string(), description: z.string(), grade: z.string(), status: z.string(), deadline: z.string().nullable(), enterpriseName: z.string().nullable() })),
  ruleFrom: z.string().describe('the effective date of the thresholds the level was computed under'),
  createdAt: z.string(),
  mayEdit: z.boolean(),
});
export type RiskDetail = z.infer<typeof RiskDetail>;

export const RiskHazardLink = z.object({ hazardIds: IdList(100).min(1, '请选择隐患') }).strict();
export const RiskHazardParams = z.object({ id: Id, hazardId: Id });

export const RiskMapQuery = z.object({ districtCode: DistrictCode.optional(), roundId: Id.optional(), level: z.enum(RISK_LEVELS).optional() }).strict();
export const RiskMap = z.object({
  points: z.array(z.object({ id: z.string(), name: z.string(), districtCode: z.string(), level: z.enum(RISK_LEVELS), lng: z.number(), lat: z.number(), flagged: z.boolean() })),
  byDistrict: z.array(z.object({ districtCode: z.string(), districtName: z.string(), red: z.number().int(), orange: z.number().int(), yellow: z.number().int(), blue: z.number().int() })),
  withoutPlace: z.number().int().describe('items in scope without coordinates (not drawn)'),
});

export const RiskRoundInput = z
  .object({
    name: Text(100, { min: 2 }),
    from: IsoDate(),
    to: IsoDate(),
    districtCodes: z.array(DistrictCode).max(100).optional().describe('every district of the city when left out'),
    minItems: Int(0, 100_000).default(1).describe('completion: at least this many items assessed in the round'),
    needsReport: z.boolean().default(true).describe('completion: the district submitted its report'),
  })
  .strict();
export const RiskRound = z.object({
  id: z.string(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  districtCodes: z.array(z.string()),
  minItems: z.number().int(),
  needsReport: z.boolean(),
  createdAt: z.string(),
  complete: z.number().int(),
  districts: z.number().int(),
});
export const RiskRoundSubmission = z
  .object({ districtCode: DistrictCode.optional().describe('a district officer submits for their own district'), reportFileId: Id.nullable().optional(), note: Text(1000).nullable().optional() })
  .strict();
export const RoundCompletion = z.object({
  round: RiskRound,
  districts: z.array(
    z.object({
      districtCode: z.string(),
      districtName: z.string(),
      items: z.number().int(),
      byLevel: z.object({ red: z.number().int(), orange: z.number().int(), yellow: z.number().int(), blue: z.number().int() }),
      submittedAt: z.string().nullable(),
      submittedBy: z.string().nullable(),
      reportFileId: z.string().nullable(),
      complete: z.boolean(),
      missing: z.array(z.string()).describe('what completion still needs, in words'),
    }),
  ),
  complete: z.number().int(),
  total: z.number().int(),
});
export const RoundListQuery = z.object({ ...Paging }).strict();

/** 会商 (#20): a meeting of departments on risks; each decision a plan task (owner, deadline), tracked with the others. */
export const ConsultationInput = z
  .object({
    unit: PlanUnit.optional().describe('who held it: the city (default for the city office), a district, a department'),
    heldOn: IsoDate('2000-01-01'),
    title: Text(200, { min: 2 }),
    participants: z.array(Text(60, { min: 1 })).min(1, '请填写参会单位').max(100),
    riskIds: IdList(100).default([]),
    summary: Text(4000, { min: 4, minMessage: '请填写会商意见（至少 4 个字）' }),
    decisions: z
      .array(z.object({ title: Text(300, { min: 2, minMessage: '请填写议定事项' }), owner: PlanUnit.optional(), ownerName: Text(60).optional(), dueOn: IsoDate(), measureNo: z.number().int().min(1).max(99).optional() }).strict())
      .max(50)
      .default([]),
  })
  .strict();
export const Consultation = z.object({
  id: z.string(),
  unit: PlanUnitView,
  heldOn: z.string(),
  title: z.string(),
  participants: z.array(z.string()),
  risks: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.enum(RISK_LEVELS) })),
  summary: z.string(),
  decisions: z.array(z.object({ taskId: z.string(), title: z.string(), owner: PlanUnitView, ownerName: z.string().nullable(), dueOn: z.string().nullable(), status: z.string() })),
  createdAt: z.string(),
});
export const ConsultationQuery = z.object({ riskId: Id.optional(), year: z.coerce.number().int().min(2000).max(2100).optional(), ...Paging }).strict();
