/**
 * 考核评估 (#19): the district scorecard as configuration (a scheme per year), its runs per period,
 * the 季度点评's comments, and the accountability records (点名、通报、约谈、移交) — as the API answers
 * and takes them.
 */
import { z } from 'zod';
import { DistrictCode, Id, IdList, IsoDate, Paging, QueryFlag, SearchText, Text, Version } from './fields';

/** A period: a month `YYYY-MM`, a quarter `YYYYQn`, or a year `YYYY`. */
export const Period = z.string().regex(/^(\d{4})(-(0[1-9]|1[0-2])|Q[1-4])?$/, '考核期应为 YYYY-MM（月）、YYYYQn（季度）或 YYYY（年）');
export const Quarter = z.string().regex(/^\d{4}Q[1-4]$/, '季度应为 YYYYQn，例如 2026Q4');

export const ScoringRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear'), zeroAt: z.number(), fullAt: z.number() }).strict().describe('0 points at zeroAt, full points at fullAt, linear between, capped (either may be the larger)'),
  z.object({ kind: z.literal('bands'), bands: z.array(z.object({ from: z.number(), share: z.number().min(0).max(1) }).strict()).min(1).max(20) }).strict().describe('the share of the weight for the highest band whose `from` the value reaches; below all bands, 0'),
  z.object({ kind: z.literal('deduction'), perItem: z.number().positive() }).strict().describe('full points less perItem for each item counted, never below 0'),
]);
export type ScoringRule = z.infer<typeof ScoringRule>;

export const GradeBand = z.object({ grade: Text(20, { min: 1 }), from: z.number().min(0).max(100) }).strict();
export type GradeBand = z.infer<typeof GradeBand>;

/** What Zhiben computes for a district and period (GET /api/assessment/indicators). */
export const ComputableIndicator = z.object({
  key: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  unit: z.enum(['count', 'rate', 'change']).describe('count: items; rate: 0–1; change: relative change on last year, e.g. -0.2 for a fifth fewer'),
  better: z.enum(['lower', 'higher']),
  timing: z.enum(['as_at', 'period', 'at_run']).describe('as_at: the state at the period’s end (or now, while it runs); period: what happened within it; at_run: read as it stands when the run is computed'),
  note: z.string().describe('how it is counted, in the words of the page it comes from'),
  suggestedRule: ScoringRule,
});
export type ComputableIndicator = z.infer<typeof ComputableIndicator>;

const IndicatorKey = z.string().regex(/^[a-z0-9_.-]{1,60}$/, '指标编号只能包含小写字母、数字和 . _ -');

export const SchemeIndicator = z
  .object({
    key: IndicatorKey,
    name: Text(60, { min: 2, minMessage: '请填写指标名称' }),
    weight: z.number().positive('权重须大于 0').max(100),
    source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('computed'), indicator: IndicatorKey }).strict(), z.object({ kind: z.literal('entered') }).strict()]),
    rule: ScoringRule,
    ifNoData: z.enum(['full', 'zero']).default('full').describe('points when the value cannot be computed (e.g. nothing fell due): full or none'),
  })
  .strict();
export type SchemeIndicator = z.infer<typeof SchemeIndicator>;

export const VetoRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accident_at_least'), grade: z.enum(['larger', 'major', 'extraordinary']), cap: Text(20, { min: 1 }) }).strict().describe('an accident of this grade or above in the period'),
  z.object({ kind: z.literal('concealed_accident'), cap: Text(20, { min: 1 }) }).strict().describe('an accident in the period found concealed or falsely reported'),
  z.object({ kind: z.literal('overdue_major_above'), count: z.number().int().min(0), cap: Text(20, { min: 1 }) }).strict().describe('more than `count` major hazards overdue at the period’s end'),
]);
export type VetoRule = z.infer<typeof VetoRule>;

export const SchemeBody = z
  .object({
    title: Text(100, { min: 2, minMessage: '请填写方案名称' }),
    note: Text(1000).default('').describe('where the scheme comes from; the shipped example says it is an example'),
    indicators: z.array(SchemeIndicator).min(1, '至少一项指标').max(40),
    grades: z.array(GradeBand).min(2, '至少两个等次').max(8),
    vetoes: z.array(VetoRule).max(10).default([]),
  })
  .strict();
export const SchemeInput = SchemeBody.extend({ version: z.number().int().min(0).describe('the current version (0 when none is saved)') }).strict();

export const Scheme = z.object({
  year: z.number().int(),
  version: z.number().int().describe('0: not saved yet, the shipped example'),
  example: z.boolean(),
  title: z.string(),
  note: z.string(),
  indicators: z.array(SchemeIndicator),
  grades: z.array(GradeBand),
  vetoes: z.array(VetoRule),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type Scheme = z.infer<typeof Scheme>;

export const RunInput = z.object({ schemeYear: z.number().int().min(2000).max(2100), period: Period }).strict();
export const RunQuery = z.object({ ...Paging, period: Period.optional(), status: z.enum(['draft', 'published']).optional() }).strict();

export const IndicatorResult = z.object({
  key: z.string(),
  name: z.string(),
  kind: z.enum(['computed', 'entered']),
  indicator: z.string().nullable().describe('the computable indicator it reads'),
  weight: z.number(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  points: z.number(),
  noData: z.boolean(),
  link: z.string().nullable().describe('the list behind the value (web path with its filters): its total is the value, or the denominator of a rate'),
  asAt: z.string().nullable(),
  note: z.string().nullable().describe('for an entered value: what the office wrote'),
  fileIds: z.array(z.string()),
});
export type IndicatorResult = z.infer<typeof IndicatorResult>;

export const UnitResult = z.object({
  code: z.string(),
  name: z.string(),
  score: z.number(),
  scoreGrade: z.string().describe('the grade the score reaches before vetoes'),
  grade: z.string(),
  rank: z.number().int(),
  vetoes: z.array(z.object({ rule: z.string(), reason: z.string(), cap: z.string() })).describe('every 一票否优 rule whose condition held, with why; the grade is at most each cap'),
  indicators: z.array(IndicatorResult),
});
export type UnitResult = z.infer<typeof UnitResult>;

export const RunDiff = z.object({
  againstRunId: z.string(),
  againstNumber: z.number().int(),
  units: z.array(z.object({ code: z.string(), name: z.string(), scoreBefore: z.number(), score: z.number(), gradeBefore: z.string(), grade: z.string(), rankBefore: z.number().int(), rank: z.number().int(), changed: z.array(z.string()).describe('indicator keys whose value changed') })),
});

export const RunSummary = z.object({
  id: z.string(),
  schemeYear: z.number().int(),
  schemeVersion: z.number().int(),
  period: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  number: z.number().int().describe('the run’s number within its period: a re-run is the next'),
  status: z.enum(['draft', 'published', 'superseded']),
  computedAt: z.string(),
  asAt: z.string(),
  publishedAt: z.string().nullable(),
  createdByName: z.string(),
  version: z.number().int(),
});
export const Run = RunSummary.extend({
  schemeTitle: z.string(),
  grades: z.array(GradeBand),
  units: z.array(UnitResult),
  diff: RunDiff.nullable().describe('against the run before it for the same period'),
  allowed: z.array(z.enum(['enter', 'publish', 'rerun'])),
});
export type Run = z.infer<typeof Run>;

export const EntryInput = z
  .object({
    version: Version,
    unitCode: DistrictCode,
    key: IndicatorKey,
    value: z.number().min(-1e9).max(1e9),
    note: Text(500, { min: 2, minMessage: '请说明数据来源或依据' }),
    fileIds: IdList(9).default([]),
  })
  .strict();
export const PublishInput = z.object({ version: Version }).strict();

/** 季度点评: the office's words before the document is made. */
export const ReviewInput = z
  .object({
    version: z.number().int().min(0),
    overall: Text(4000).default(''),
    units: z.array(z.object({ code: DistrictCode, text: Text(2000) }).strict()).max(40).default([]),
  })
  .strict();
export const Review = z.object({ quarter: z.string(), version: z.number().int(), overall: z.string(), units: z.array(z.object({ code: z.string(), text: z.string() })), updatedAt: z.string().nullable(), updatedBy: z.string().nullable() });

/** 点名、通报、约谈、移交. */
export const ACCOUNTABILITY_KINDS = ['named', 'notice', 'interview', 'referral'] as const;
export const ACCOUNTABILITY_LABELS = { named: { zh: '点名', en: 'Named' }, notice: { zh: '通报', en: 'Notice' }, interview: { zh: '约谈', en: 'Interview' }, referral: { zh: '移交', en: 'Referral' } } as const;
export const TARGET_KINDS = ['district', 'enterprise'] as const;

export const AccountabilityInput = z
  .object({
    kind: z.enum(ACCOUNTABILITY_KINDS),
    targetKind: z.enum(TARGET_KINDS),
    districtCode: DistrictCode.optional().describe('the district (for a district target)'),
    enterpriseId: Id.optional().describe('the enterprise (for an enterprise target)'),
    reason: Text(2000, { min: 5, minMessage: '请填写事由（至少5个字）' }),
    sourceType: z.enum(['assessment_run', 'accident']).optional(),
    sourceId: Id.optional(),
    onDate: IsoDate('2000-01-01'),
    byName: Text(100, { min: 2, minMessage: '请填写作出单位或人员' }),
    followUpDue: IsoDate('2000-01-01').optional().describe('a follow-up is required by then'),
  })
  .strict();
export const FollowUpInput = z.object({ version: Version, note: Text(2000, { min: 5, minMessage: '请说明整改落实情况（至少5个字）' }), fileIds: IdList(9).min(1, '请上传整改落实的佐证材料') }).strict();
export const AccountabilityQuery = z
  .object({ ...Paging, kind: z.enum(ACCOUNTABILITY_KINDS).optional(), targetKind: z.enum(TARGET_KINDS).optional(), districtCode: DistrictCode.optional(), enterpriseId: Id.optional(), from: IsoDate().optional(), to: IsoDate().optional(), open: QueryFlag.optional(), q: SearchText.optional() })
  .strict();

export const Accountability = z.object({
  id: z.string(),
  kind: z.enum(ACCOUNTABILITY_KINDS),
  targetKind: z.enum(TARGET_KINDS),
  districtCode: z.string(),
  enterpriseId: z.string().nullable(),
  targetName: z.string(),
  reason: z.string(),
  sourceType: z.enum(['assessment_run', 'accident']).nullable(),
  sourceId: z.string().nullable(),
  sourceLabel: z.string().nullable(),
  onDate: z.string(),
  byName: z.string(),
  followUpDue: z.string().nullable(),
  followUpNote: z.string().nullable(),
  followUpFileIds: z.array(z.string()),
  followUpAt: z.string().nullable(),
  status: z.enum(['none_required', 'open', 'done']),
  overdue: z.boolean(),
  allowed: z.array(z.enum(['follow_up'])),
  version: z.number().int(),
});
export type Accountability = z.infer<typeof Accountability>;
