/** 生产安全事故 (#19): the accident registry — as the API answers and takes it. The grade is computed, never typed. */
import { z } from 'zod';
import { FindingInput } from './enforcement';
import { DistrictCode, Id, IdList, Int, IsoDate, IsoDateTime, Paging, QueryFlag, SearchText, StreetCode, Text, Version, IndustryCode } from './fields';

/** GB 6441-1986 《企业职工伤亡事故分类》: the 20 categories, in the standard's order. */
export const ACCIDENT_CATEGORIES = [
  '物体打击',
  '车辆伤害',
  '机械伤害',
  '起重伤害',
  '触电',
  '淹溺',
  '灼烫',
  '火灾',
  '高处坠落',
  '坍塌',
  '冒顶片帮',
  '透水',
  '放炮',
  '火药爆炸',
  '瓦斯爆炸',
  '锅炉爆炸',
  '容器爆炸',
  '其它爆炸',
  '中毒和窒息',
  '其它伤害',
] as const;
export type AccidentCategory = (typeof ACCIDENT_CATEGORIES)[number];

/** Lowest to highest. */
export const ACCIDENT_GRADES = ['general', 'larger', 'major', 'extraordinary'] as const;
export type AccidentGrade = (typeof ACCIDENT_GRADES)[number];
export const ACCIDENT_GRADE_LABELS: Record<AccidentGrade, { zh: string; en: string }> = {
  general: { zh: '一般事故', en: 'General' },
  larger: { zh: '较大事故', en: 'Larger' },
  major: { zh: '重大事故', en: 'Major' },
  extraordinary: { zh: '特别重大事故', en: 'Especially major' },
};

export const CONCEALMENTS = ['none', 'concealed', 'false_report'] as const;
export const CONCEALMENT_LABELS = { none: { zh: '无', en: 'None' }, concealed: { zh: '瞒报', en: 'Concealed' }, false_report: { zh: '谎报', en: 'Falsely reported' } } as const;
export const INVESTIGATION_STATES = ['pending', 'investigating', 'concluded'] as const;
export const INVESTIGATION_LABELS = { pending: { zh: '待调查', en: 'Pending' }, investigating: { zh: '调查中', en: 'Investigating' }, concluded: { zh: '已结案', en: 'Concluded' } } as const;

const Casualties = {
  deaths: Int(0, 100_000),
  missing: Int(0, 100_000).default(0),
  seriousInjuries: Int(0, 100_000),
  directLossYuan: Int(0, 2_000_000_000).describe('直接经济损失, yuan'),
};

export const AccidentInput = z
  .object({
    occurredAt: IsoDateTime('2000-01-01'),
    reportedAt: IsoDateTime('2000-01-01').optional().describe('when the district was told; the moment of recording when left out'),
    enterpriseId: Id.optional(),
    districtCode: DistrictCode.optional().describe('required without an enterprise'),
    streetCode: StreetCode.optional(),
    industryCode: IndustryCode.optional().describe('a GB/T 4754 division (two digits), without an enterprise'),
    place: Text(200, { min: 2, minMessage: '请填写事故地点' }).optional().describe('the enterprise’s address, or the district and street, when left out'),
    lng: z.number().min(73).max(136).optional(),
    lat: z.number().min(3).max(54).optional(),
    category: z.enum(ACCIDENT_CATEGORIES),
    fireOrRoad: z.boolean().default(false).describe('a fire or road traffic accident (7-day supplement window)'),
    ...Casualties,
    narrative: Text(4000, { min: 10, minMessage: '请简要说明事故经过（至少10个字）' }),
  })
  .strict();

/** PATCH: the description of what happened; casualty figures only within the supplement window (the grade recomputed). Each change an event. */
export const AccidentPatch = z
  .object({
    version: Version,
    place: Text(200, { min: 2, minMessage: '请填写事故地点' }).optional(),
    narrative: Text(4000, { min: 10, minMessage: '请简要说明事故经过（至少10个字）' }).optional(),
    category: z.enum(ACCIDENT_CATEGORIES).optional(),
    fireOrRoad: z.boolean().optional(),
    lng: z.number().min(73).max(136).nullable().optional(),
    lat: z.number().min(3).max(54).nullable().optional(),
    deaths: Casualties.deaths.optional(),
    missing: Int(0, 100_000).optional(),
    seriousInjuries: Casualties.seriousInjuries.optional(),
    directLossYuan: Casualties.directLossYuan.optional(),
    note: Text(500, { min: 2, minMessage: '请说明修改原因' }).optional(),
  })
  .strict();

export const CasualtyUpdate = z.object({ version: Version, ...Casualties, note: Text(500, { min: 2, minMessage: '请说明伤亡变化情况' }) }).strict();
export const ConcealmentInput = z.object({ version: Version, concealment: z.enum(['concealed', 'false_report']), note: Text(1000, { min: 5, minMessage: '请说明认定情况' }), tipId: Id.optional() }).strict();
export const InvestigationStart = z.object({ version: Version, leadBy: Text(100, { min: 2, minMessage: '请填写调查组牵头单位' }) }).strict();
export const InvestigationConclude = z
  .object({
    version: Version,
    reportFileIds: IdList(9).min(1, '请上传调查报告'),
    responsibility: Text(4000, { min: 10, minMessage: '请填写责任认定（至少10个字）' }),
    findings: z.array(FindingInput).max(50).default([]),
  })
  .strict();

export const AccidentQuery = z
  .object({
    ...Paging,
    districtCode: DistrictCode.optional(),
    grade: z.enum(ACCIDENT_GRADES).optional(),
    category: z.enum(ACCIDENT_CATEGORIES).optional(),
    from: IsoDate().optional(),
    to: IsoDate().optional(),
    reportedLate: QueryFlag.optional(),
    concealed: QueryFlag.optional(),
    enterpriseId: Id.optional(),
    q: SearchText.optional(),
  })
  .strict();

export const Accident = z.object({
  id: z.string(),
  code: z.string(),
  occurredAt: z.string(),
  reportedAt: z.string(),
  reportedLate: z.boolean(),
  districtCode: z.string(),
  streetCode: z.string().nullable(),
  industryCode: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  place: z.string(),
  category: z.enum(ACCIDENT_CATEGORIES),
  fireOrRoad: z.boolean(),
  deaths: z.number().int(),
  missing: z.number().int(),
  seriousInjuries: z.number().int(),
  directLossYuan: z.number(),
  grade: z.enum(ACCIDENT_GRADES),
  gradeReason: z.string(),
  concealment: z.enum(CONCEALMENTS),
  investigation: z.enum(INVESTIGATION_STATES),
  version: z.number().int(),
});
export type Accident = z.infer<typeof Accident>;

export const AccidentDetail = Accident.extend({
  narrative: z.string(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  supplementUntil: z.string().describe('casualty changes are taken until then (ISO)'),
  concealmentNote: z.string().nullable(),
  tipId: z.string().nullable(),
  investigationLeadBy: z.string().nullable(),
  responsibility: z.string().nullable(),
  reportFileIds: z.array(z.string()),
  hazardIds: z.array(z.string()),
  events: z.array(z.object({ seq: z.number().int(), action: z.string(), actorName: z.string(), at: z.string(), comment: z.string().nullable(), data: z.record(z.string(), z.unknown()).nullable(), attachmentIds: z.array(z.string()) })),
  allowed: z.array(z.enum(['edit', 'casualties', 'concealment', 'investigate', 'conclude'])),
});
export type AccidentDetail = z.infer<typeof AccidentDetail>;

export const STAT_GROUPS = ['district', 'industry', 'category', 'month'] as const;
export const StatsQuery = z
  .object({ groupBy: z.enum(STAT_GROUPS).default('district'), from: IsoDate().optional(), to: IsoDate().optional(), districtCode: DistrictCode.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['to'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) < 366 * 86_400_000, { message: '统计区间不能超过一年（与上年同期比较）', path: ['to'] });
const StatCounts = z.object({ accidents: z.number().int(), deaths: z.number().int(), seriousInjuries: z.number().int(), directLossYuan: z.number(), largerOrAbove: z.number().int() });
export const AccidentStats = z.object({
  groupBy: z.enum(STAT_GROUPS),
  from: z.string(),
  to: z.string(),
  lastYearFrom: z.string(),
  lastYearTo: z.string(),
  total: StatCounts.extend({ lastYear: StatCounts, verdict: z.enum(['falling', 'flat', 'rising']) }),
  rows: z.array(StatCounts.extend({ key: z.string(), name: z.string(), lastYear: StatCounts, verdict: z.enum(['falling', 'flat', 'rising']) })),
});

export const TrendQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional(), districtCode: DistrictCode.optional() }).strict();
const TrendCounts = z.object({ accidents: z.number().int(), deaths: z.number().int() });
export const VERDICTS = ['falling', 'flat', 'rising'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** The verdict of a period against the same period last year: rising when either accidents or deaths rose, falling when neither rose and one fell, else flat. */
export function trendVerdict(now: { accidents: number; deaths: number }, last: { accidents: number; deaths: number }): Verdict {
  if (now.accidents > last.accidents || now.deaths > last.deaths) return 'rising';
  if (now.accidents < last.accidents || now.deaths < last.deaths) return 'falling';
  return 'flat';
}
export const VERDICT_LABELS = { falling: { zh: '下降', en: 'Falling' }, flat: { zh: '持平', en: 'Flat' }, rising: { zh: '上升', en: 'Rising' } } as const;
const TrendLine = TrendCounts.extend({ key: z.string(), name: z.string(), lastYear: TrendCounts, verdict: z.enum(VERDICTS) });
export const AccidentTrends = z.object({
  year: z.number().int(),
  from: z.string(),
  to: z.string().describe('the period compared: the whole year, or up to today (Shanghai)'),
  lastYearTo: z.string(),
  total: TrendCounts.extend({ lastYear: TrendCounts, verdict: z.enum(VERDICTS), largerOrAbove: z.number().int() }),
  months: z.array(TrendLine),
  districts: z.array(TrendLine),
  sections: z.array(TrendLine),
  categories: z.array(TrendLine),
});
