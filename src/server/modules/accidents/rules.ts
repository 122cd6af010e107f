/**
 * 生产安全事故 (#19), the rules as configuration — the first pieces of the accidents module, pure and
 * tested before its registry lands: the grade an accident reaches under the national thresholds
 * (《生产安全事故报告和调查处理条例》, 国务院令第493号, art. 3: the highest grade any criterion reaches,
 * each band's lower bound inclusive), never typed by hand; the 1-hour report and the window in which
 * casualty changes are supplemented (30 days, 7 for fire and road traffic). Every number is a
 * versioned rule with its source (reference/domain-rules.md); what was not verified says so.
 */
import { z } from 'zod';
import { defineRule } from '../../rules/rules';

import { ACCIDENT_GRADE_LABELS, type AccidentGrade } from '../../../shared/contracts/accidents';

export { ACCIDENT_CATEGORIES, ACCIDENT_GRADES, ACCIDENT_GRADE_LABELS, type AccidentCategory, type AccidentGrade } from '../../../shared/contracts/accidents';

const Band = z.object({ deaths: z.number().int().min(1), seriousInjuries: z.number().int().min(1), lossYuan: z.number().int().min(1) }).strict();
type Band = z.infer<typeof Band>;

/** The lower bound of each grade above 一般, per criterion. */
export const ACCIDENT_THRESHOLDS = defineRule<{ larger: Band; major: Band; extraordinary: Band; missingCountAsDeaths: boolean }>({
  key: 'accidents.grade_thresholds',
  title: { zh: '事故等级划分标准', en: 'Accident grade thresholds' },
  help: {
    zh: '各等级的下限（含）：死亡人数、重伤人数（含急性工业中毒）、直接经济损失（元）；任一指标达到即为该等级，取最高。missingCountAsDeaths：失踪人员是否计入死亡人数。',
    en: 'The lower bound (inclusive) of each grade: deaths, serious injuries (incl. acute industrial poisoning), direct loss (yuan); the highest grade any criterion reaches applies. missingCountAsDeaths: whether missing persons count as deaths.',
  },
  schema: z
    .object({ larger: Band, major: Band, extraordinary: Band, missingCountAsDeaths: z.boolean() })
    .strict()
    .refine((v) => v.larger.deaths < v.major.deaths && v.major.deaths < v.extraordinary.deaths && v.larger.seriousInjuries < v.major.seriousInjuries && v.major.seriousInjuries < v.extraordinary.seriousInjuries && v.larger.lossYuan < v.major.lossYuan && v.major.lossYuan < v.extraordinary.lossYuan, {
      message: '各等级下限须逐级递增',
    }),
  default: {
    larger: { deaths: 3, seriousInjuries: 10, lossYuan: 10_000_000 },
    major: { deaths: 10, seriousInjuries: 50, lossYuan: 50_000_000 },
    extraordinary: { deaths: 30, seriousInjuries: 100, lossYuan: 100_000_000 },
    missingCountAsDeaths: false,
  },
  defaultSource:
    '《生产安全事故报告和调查处理条例》（国务院令第493号）第三条：特别重大 30人以上死亡/100人以上重伤/1亿元以上；重大 10—29人/50—99人/5000万—1亿元；较大 3—9人/10—49人/1000万—5000万元；一般 以下（“以上”含本数）。失踪人员是否计入死亡：条例未见规定，本产品默认不计入，请按本地统计口径核对。',
});
export type Thresholds = (typeof ACCIDENT_THRESHOLDS)['default'];

export interface Casualties {
  deaths: number;
  missing: number;
  seriousInjuries: number;
  lossYuan: number;
}

export interface GradeDecision {
  grade: AccidentGrade;
  /** The criteria that reached the grade (at least one unless 一般). */
  by: ('deaths' | 'seriousInjuries' | 'lossYuan')[];
  /** The counts compared, after the rule's treatment of missing persons. */
  deaths: number;
}

/** The grade the figures reach: the highest band any criterion reaches. */
export function accidentGrade(c: Casualties, t: Thresholds): GradeDecision {
  const deaths = c.deaths + (t.missingCountAsDeaths ? c.missing : 0);
  for (const grade of ['extraordinary', 'major', 'larger'] as const) {
    const b = t[grade];
    const by = [deaths >= b.deaths && ('deaths' as const), c.seriousInjuries >= b.seriousInjuries && ('seriousInjuries' as const), c.lossYuan >= b.lossYuan && ('lossYuan' as const)].filter((x): x is 'deaths' | 'seriousInjuries' | 'lossYuan' => !!x);
    if (by.length) return { grade, by, deaths };
  }
  return { grade: 'general', by: [], deaths };
}

/** The reasons in words, for the record and the page. */
export function gradeReason(d: GradeDecision, c: Casualties, t: Thresholds): string {
  if (d.grade === 'general') return `死亡${d.deaths}人、重伤${c.seriousInjuries}人、直接经济损失${c.lossYuan}元，均未达到较大事故标准`;
  const b = t[d.grade];
  const words = { deaths: `死亡${d.deaths}人（≥${b.deaths}）`, seriousInjuries: `重伤${c.seriousInjuries}人（≥${b.seriousInjuries}）`, lossYuan: `直接经济损失${c.lossYuan}元（≥${b.lossYuan}）` };
  return `${d.by.map((k) => words[k]).join('、')}，达到${ACCIDENT_GRADE_LABELS[d.grade].zh}标准`;
}

export const ACCIDENT_REPORTING = defineRule<{ reportMinutes: number; supplementDays: number; supplementDaysFireAndRoad: number }>({
  key: 'accidents.reporting',
  title: { zh: '事故报告时限', en: 'Accident reporting deadlines' },
  help: {
    zh: 'reportMinutes：事故发生后报告区（县级）监管部门的时限（分钟）；supplementDays：伤亡人数变化的补报期（天）；supplementDaysFireAndRoad：火灾、道路交通事故的补报期（天）。',
    en: 'reportMinutes: to report to the county-level regulator after the accident; supplementDays: window for casualty changes; supplementDaysFireAndRoad: the same for fire and road traffic.',
  },
  schema: z.object({ reportMinutes: z.number().int().min(1).max(24 * 60), supplementDays: z.number().int().min(1).max(365), supplementDaysFireAndRoad: z.number().int().min(1).max(365) }).strict(),
  default: { reportMinutes: 60, supplementDays: 30, supplementDaysFireAndRoad: 7 },
  defaultSource: '《生产安全事故报告和调查处理条例》第九条（1小时内报告，可信度高）、第十六条（自事故发生之日起30日内、道路交通和火灾事故7日内伤亡人数变化的及时补报，依二手来源，请核对）。',
});
export type ReportingRule = (typeof ACCIDENT_REPORTING)['default'];

/** Reported late: more than the rule's minutes after it happened (instants, ISO). */
export function reportedLate(occurredAt: string, reportedAt: string, r: ReportingRule): boolean {
  return Date.parse(reportedAt) - Date.parse(occurredAt) > r.reportMinutes * 60_000;
}

/** Fire and road traffic have the shorter window. `roadTraffic`: the accident is a road traffic one (vehicle injury on a public road). */
export function supplementWindowEnds(occurredAt: string, fireOrRoad: boolean, r: ReportingRule): string {
  const days = fireOrRoad ? r.supplementDaysFireAndRoad : r.supplementDays;
  return new Date(Date.parse(occurredAt) + days * 86_400_000).toISOString();
}

/** A casualty change may still update the figures (and the grade) at `at`. */
export function maySupplement(occurredAt: string, at: string, fireOrRoad: boolean, r: ReportingRule): boolean {
  return at <= supplementWindowEnds(occurredAt, fireOrRoad, r);
}
