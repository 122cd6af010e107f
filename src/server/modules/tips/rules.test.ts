import { describe, expect, it } from 'vitest';
import { RewardRuleSet, TIP_DEADLINES, TIP_REWARDS, computeReward, isLate, tipDeadlines } from './rules';

const rule = TIP_DEADLINES.default;
const rewards = TIP_REWARDS.default;

describe('a tip’s deadlines, in Shanghai days', () => {
  it('counts from the Shanghai day of each step, across midnight', () => {
    // 23:30 on 31 March in Shanghai is still 31 March; 00:30 on 1 April is 1 April (16:30 UTC the day before).
    expect(tipDeadlines({ receivedAt: '2026-03-31T15:30:00Z' }, rule).acceptBy).toBe('2026-04-07');
    expect(tipDeadlines({ receivedAt: '2026-03-31T16:30:00Z' }, rule).acceptBy).toBe('2026-04-08');
    const accepted = tipDeadlines({ receivedAt: '2026-03-31T16:30:00Z', acceptedAt: '2026-04-02T01:00:00Z' }, rule);
    expect(accepted).toEqual({ acceptBy: '2026-04-08', verifyBy: '2026-06-01', feedbackBy: null });
  });

  it('extends verification once by 30 days, and gives feedback 10 days after finishing', () => {
    const clock = { receivedAt: '2026-01-05T02:00:00Z', acceptedAt: '2026-01-06T02:00:00Z' };
    expect(tipDeadlines(clock, rule).verifyBy).toBe('2026-03-07');
    expect(tipDeadlines({ ...clock, extended: true }, rule).verifyBy).toBe('2026-04-06');
    expect(tipDeadlines({ ...clock, verifiedAt: '2026-02-27T16:00:00Z' }, rule).feedbackBy).toBe('2026-03-10');
  });

  it('is late only after the last day, while the step is not done', () => {
    expect(isLate('2026-03-07', null, '2026-03-07')).toBe(false);
    expect(isLate('2026-03-07', null, '2026-03-08')).toBe(true);
    expect(isLate('2026-03-07', '2026-03-09T01:00:00Z', '2026-03-10')).toBe(false);
    expect(isLate(null, null, '2026-03-10')).toBe(false);
  });
});

describe('rewards by the rule set, at its bounds', () => {
  it('a share of the fine: 15%, at least the minimum, at most the maximum', () => {
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 100_000 })).toEqual({ amountYuan: 15_000, steps: ['罚款 ¥100,000 × 15% = ¥15,000', '奖励金额 ¥15,000'] });
    // 15% of 10,000 is 1,500: the minimum applies.
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 10_000 })).toMatchObject({ amountYuan: 3_000, steps: ['罚款 ¥10,000 × 15% = ¥1,500', '不足最低奖励额，按 ¥3,000 计', '奖励金额 ¥3,000'] });
    // Exactly at the bounds: 20,000 → 3,000 and 2,000,000 → 300,000, no adjustment step.
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 20_000 }).steps).toHaveLength(2);
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 2_000_000 })).toMatchObject({ amountYuan: 300_000 });
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 2_000_000 }).steps).toHaveLength(2);
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 5_000_000 })).toMatchObject({ amountYuan: 300_000, steps: expect.arrayContaining(['超过最高奖励额，按 ¥300,000 计']) });
    // A fine with fen is shared exactly, and the reward is rounded to whole yuan at the end.
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 33_333.33 }).amountYuan).toBe(5_000);
  });

  it('a concealed accident: per death by grade, capped in total', () => {
    expect(computeReward(rewards, { kind: 'concealed_accident', deaths: 2, grade: 'general' })).toEqual({ amountYuan: 60_000, steps: ['一般事故，瞒报死亡 2 人 × ¥30,000 = ¥60,000', '奖励金额 ¥60,000'] });
    expect(computeReward(rewards, { kind: 'concealed_accident', deaths: 5, grade: 'larger' }).amountYuan).toBe(200_000);
    expect(computeReward(rewards, { kind: 'concealed_accident', deaths: 6, grade: 'major' }).amountYuan).toBe(300_000);
    expect(computeReward(rewards, { kind: 'concealed_accident', deaths: 30, grade: 'especially_major' })).toMatchObject({ amountYuan: 300_000, steps: expect.arrayContaining(['超过总额上限，按 ¥300,000 计']) });
  });

  it('an employee surcharge applies only when the rule set has one; a rule set with bad bounds is refused', () => {
    expect(computeReward(rewards, { kind: 'fine_share', fineYuan: 100_000, reporterIsEmployee: true }).amountYuan).toBe(15_000);
    const withBonus = { ...rewards, employeeBonusPercent: 20 };
    expect(computeReward(withBonus, { kind: 'fine_share', fineYuan: 100_000, reporterIsEmployee: true })).toMatchObject({ amountYuan: 18_000, steps: expect.arrayContaining(['本单位从业人员举报，加奖 20%：¥15,000 + ¥3,000']) });
    expect(RewardRuleSet.safeParse({ ...rewards, fineShare: { percent: 15, min: 5_000, max: 3_000 } }).success).toBe(false);
    expect(RewardRuleSet.safeParse(rewards).success).toBe(true);
  });
});
