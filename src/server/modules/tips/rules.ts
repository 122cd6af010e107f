/**
 * 举报奖励 (#17), the rules as configuration — the first pieces of the tips module, pure and tested
 * before the module's routes land: the deadlines of a tip (accept or decline, verify within 60 days
 * extendable once by 30, tell the reporter within 10 days of finishing) counted in Shanghai days,
 * and the reward a verified tip earns under the rule set in force on its receipt date, computed
 * step by step so the office and the reporter can follow it. Every number is a versioned rule with
 * its source (reference/domain-rules.md); those not verified in full text say so.
 */
import { z } from 'zod';
import { addDays, shanghaiDate } from '../../../shared/dates';
import { defineRule } from '../../rules/rules';

export const TIP_DEADLINES = defineRule<{ acceptDays: number; verifyDays: number; extensionDays: number; feedbackDays: number }>({
  key: 'tips.deadlines',
  title: { zh: '举报办理时限（天）', en: 'Tip handling deadlines (days)' },
  help: {
    zh: 'acceptDays：收到举报后受理或不予受理的天数；verifyDays：受理后核查办结的天数；extensionDays：经上一级批准可延长一次的天数；feedbackDays：办结后向举报人反馈的天数。',
    en: 'acceptDays: to accept or decline after receipt; verifyDays: to finish verification after acceptance; extensionDays: one extension with the approval of the level above; feedbackDays: to tell the reporter after finishing.',
  },
  schema: z.object({ acceptDays: z.number().int().min(1).max(60), verifyDays: z.number().int().min(1).max(365), extensionDays: z.number().int().min(0).max(365), feedbackDays: z.number().int().min(1).max(60) }).strict(),
  default: { acceptDays: 7, verifyDays: 60, extensionDays: 30, feedbackDays: 10 },
  defaultSource:
    '核查 60 天、延长一次 30 天（经上一级批准）、办结后 10 天内反馈：2012 年《安全生产举报奖励办法》第十至十三条（2018 年办法的时限未取得全文，请核对）；受理 7 天为本产品默认值，未查到规定。60/30/10 days: the 2012 national rules, arts. 10–13 (verify against the 2018 text); 7 days to accept is a product default.',
});

export type DeadlineRule = (typeof TIP_DEADLINES)['default'];

/** A tip's clock: when it came and what has happened (instants, ISO). */
export interface TipClock {
  receivedAt: string;
  acceptedAt?: string | null;
  /** An extension approved by the level above (at most one). */
  extended?: boolean;
  verifiedAt?: string | null;
}

export interface TipDeadlines {
  acceptBy: string;
  verifyBy: string | null;
  feedbackBy: string | null;
}

/** The last day (Shanghai) for each step: counted from the Shanghai day on which the step before happened. */
export function tipDeadlines(clock: TipClock, rule: DeadlineRule): TipDeadlines {
  const day = (iso: string) => shanghaiDate(new Date(iso));
  return {
    acceptBy: addDays(day(clock.receivedAt), rule.acceptDays),
    verifyBy: clock.acceptedAt ? addDays(day(clock.acceptedAt), rule.verifyDays + (clock.extended ? rule.extensionDays : 0)) : null,
    feedbackBy: clock.verifiedAt ? addDays(day(clock.verifiedAt), rule.feedbackDays) : null,
  };
}

/** Late on a Shanghai day: the step is not done and its last day has passed. */
export function isLate(by: string | null, doneAt: string | null | undefined, today: string): boolean {
  return !!by && !doneAt && today > by;
}

// ─── Rewards ────────────────────────────────────────────────────────────────

export const ACCIDENT_GRADES = ['general', 'larger', 'major', 'especially_major'] as const;
export type AccidentGrade = (typeof ACCIDENT_GRADES)[number];
const ACCIDENT_GRADE_ZH: Record<AccidentGrade, string> = { general: '一般', larger: '较大', major: '重大', especially_major: '特别重大' };

const Yuan = z.number().int().min(0).max(100_000_000);
export const RewardRuleSet = z
  .object({
    /** 重大事故隐患 / 非法违法生产经营: a share of the fine imposed, within bounds. */
    fineShare: z.object({ percent: z.number().min(0).max(100), min: Yuan, max: Yuan }).strict(),
    /** 瞒报、谎报事故: an amount per concealed death by the accident's grade, capped. */
    concealedAccident: z.object({ perDeath: z.object({ general: Yuan, larger: Yuan, major: Yuan, especially_major: Yuan }).strict(), cap: Yuan }).strict(),
    /** An employee reporting their own unit: a surcharge in percent, or none (only a secondary source reports it). */
    employeeBonusPercent: z.number().min(0).max(100).nullable(),
  })
  .strict()
  .refine((r) => r.fineShare.min <= r.fineShare.max, { message: '最低金额不能高于最高金额' });
export type RewardRuleSet = z.infer<typeof RewardRuleSet>;

export const TIP_REWARDS = defineRule<RewardRuleSet>({
  key: 'tips.rewards',
  title: { zh: '举报奖励标准', en: 'Reward rules' },
  help: {
    zh: 'fineShare：核实的重大事故隐患、非法违法生产经营按罚款金额的比例奖励，并设最低、最高额；concealedAccident：瞒报、谎报事故按核实的死亡人数和事故等级计奖，设总额上限；employeeBonusPercent：企业从业人员举报本单位的加奖比例（未核实，默认不加）。',
    en: 'fineShare: a share of the fine for a verified major hazard or illegal production, within a minimum and maximum; concealedAccident: per concealed death by accident grade, capped; employeeBonusPercent: a surcharge for an employee reporting their own unit (unverified; none by default).',
  },
  schema: RewardRuleSet,
  default: {
    fineShare: { percent: 15, min: 3_000, max: 300_000 },
    concealedAccident: { perDeath: { general: 30_000, larger: 40_000, major: 50_000, especially_major: 60_000 }, cap: 300_000 },
    employeeBonusPercent: null,
  },
  defaultSource:
    '2018 年《安全生产领域举报奖励办法》：按罚款 15% 奖励，最低 3000 元、最高 30 万元；瞒报谎报事故每死亡一人奖 3/4/5/6 万元（一般/较大/重大/特别重大），总额最高 30 万元——据多篇新闻转载，全文未取得，请核对。本单位从业人员加奖 20% 仅见于二手资料，默认不加。As reported by news reposts of the 2018 national rules (full text not retrieved: verify); the employee surcharge is unverified and off by default.',
});

export type RewardInput =
  | { kind: 'fine_share'; fineYuan: number; reporterIsEmployee?: boolean }
  | { kind: 'concealed_accident'; deaths: number; grade: AccidentGrade; reporterIsEmployee?: boolean };

export interface RewardComputation {
  amountYuan: number;
  /** Each step as the office and the reporter read it. */
  steps: string[];
}

const yuan = (n: number) => `¥${n.toLocaleString('en-US')}`;

/** The reward the rule set gives (whole yuan, rounded half up at the end), with the steps that led to it. */
export function computeReward(rule: RewardRuleSet, input: RewardInput): RewardComputation {
  const steps: string[] = [];
  let amount: number;
  if (input.kind === 'fine_share') {
    const { percent, min, max } = rule.fineShare;
    // In fen, so a fine with jiao and fen is shared exactly.
    const raw = Math.round(input.fineYuan * 100 * percent) / 10_000;
    steps.push(`罚款 ${yuan(input.fineYuan)} × ${percent}% = ${yuan(raw)}`);
    amount = raw;
    if (amount < min) {
      steps.push(`不足最低奖励额，按 ${yuan(min)} 计`);
      amount = min;
    }
    if (amount > max) {
      steps.push(`超过最高奖励额，按 ${yuan(max)} 计`);
      amount = max;
    }
  } else {
    const per = rule.concealedAccident.perDeath[input.grade];
    amount = per * input.deaths;
    steps.push(`${ACCIDENT_GRADE_ZH[input.grade]}事故，瞒报死亡 ${input.deaths} 人 × ${yuan(per)} = ${yuan(amount)}`);
    if (amount > rule.concealedAccident.cap) {
      steps.push(`超过总额上限，按 ${yuan(rule.concealedAccident.cap)} 计`);
      amount = rule.concealedAccident.cap;
    }
  }
  if (input.reporterIsEmployee && rule.employeeBonusPercent) {
    const bonus = Math.round(amount * rule.employeeBonusPercent) / 100;
    steps.push(`本单位从业人员举报，加奖 ${rule.employeeBonusPercent}%：${yuan(amount)} + ${yuan(bonus)}`);
    amount += bonus;
  }
  const whole = Math.round(amount);
  if (whole !== amount) steps.push(`取整为 ${yuan(whole)}`);
  steps.push(`奖励金额 ${yuan(whole)}`);
  return { amountYuan: whole, steps };
}

/** The tips module's rules, as /api/rules lists them. */
export const TIP_RULES = [TIP_DEADLINES, TIP_REWARDS];
