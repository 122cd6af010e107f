/**
 * 举报奖励: a verified, substantiated tip that is not a later report of a matter already reported
 * gets a reward computed by the rule set in force on the day it was received, step by step; another
 * officer approves it; its payment is recorded. The figures move with approval and payment. The
 * reporter's page says a reward is ready once approved, and takes the claim (sealed).
 */
import type { z } from 'zod';
import type { RewardPayInput, RewardProposeInput, TipDetail } from '../../../shared/contracts/tips';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { appendRecordEvent } from '../../records/records';
import { ruleVersions } from '../../rules/rules';
import { claimTip, findTip, rewardFacts, tipDetail } from './handling';
import { computeReward, TIP_REWARDS } from './rules';
import { countTip } from './tallies';
import { decideReward, type RewardAction } from './workflow';

type Body = z.output<typeof RewardProposeInput> | z.output<typeof RewardPayInput> | { version: number; note?: string };

export async function stepReward(ctx: ActorCtx, id: string, action: RewardAction, body: Body): Promise<TipDetail> {
  return transact(ctx, async (tx) => {
    const r = await findTip(tx, id);
    if (!r) throw notFound('举报', 'tip');
    const d = decideReward(action, rewardFacts(tx, r));
    if (!d.ok) throw new AppError(d.reason, d.message, d.reason === 'FORBIDDEN' ? 'Not yours to take this step' : 'Not allowed in the current status');
    const at = ctx.now().toISOString();
    const today = shanghaiDate(ctx.now());
    let set: Record<string, unknown> = {};
    let data: Record<string, unknown> = {};
    if (action === 'propose') {
      const b = body as z.output<typeof RewardProposeInput>;
      if ((b.kind === 'concealed_accident') !== (r.category === 'concealed_accident')) {
        throw fieldError('VALIDATION_FAILED', 'kind', b.kind === 'concealed_accident' ? '按死亡人数计奖只适用于瞒报、谎报事故的举报' : '瞒报、谎报事故的举报按核实的死亡人数计奖', 'The reward kind does not fit the tip’s category');
      }
      // The rule set in force on the day the tip came in, not today's.
      const received = shanghaiDate(new Date(r.received_at));
      // The version and its value read together, so the date shown is the rule the amount came from.
      const version = (await ruleVersions(tx.db, r.city_code, TIP_REWARDS)).find((v) => v.effectiveFrom <= received)!;
      const parsed = TIP_REWARDS.schema.safeParse(version.value);
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', `奖励标准（${version.effectiveFrom} 起施行的版本）无法读取，请管理员重新设置后再计算`, 'The reward rules in force on the receipt date cannot be read');
      const rule = parsed.data;
      const from = version.effectiveFrom;
      const { amountYuan, steps } = computeReward(rule, b.kind === 'fine_share' ? { kind: 'fine_share', fineYuan: b.fineYuan, reporterIsEmployee: b.reporterIsEmployee } : { kind: 'concealed_accident', deaths: b.deaths, grade: b.grade, reporterIsEmployee: b.reporterIsEmployee });
      set = { reward_status: 'proposed', reward_yuan: amountYuan, reward_steps_json: JSON.stringify(steps), reward_rule_from: from, reward_proposed_by: ctx.actor.userId, reward_approved_by: null };
      data = { amountYuan, steps, ruleEffectiveFrom: from, input: { ...b, version: undefined, note: undefined } };
    } else if (action === 'approve') {
      set = { reward_status: 'approved', reward_approved_by: ctx.actor.userId };
      data = { amountYuan: r.reward_yuan };
      await countTip(tx.db, ctx.dialect, r, { rewards_approved: 1, rewards_approved_yuan: r.reward_yuan ?? 0 });
    } else {
      const b = body as z.output<typeof RewardPayInput>;
      if (b.paidOn > today) throw fieldError('VALIDATION_FAILED', 'paidOn', '发放日期不能晚于今天', 'The payment cannot be dated in the future');
      set = { reward_status: 'paid', reward_paid_on: b.paidOn, reward_payment_ref: b.paymentRef };
      data = { amountYuan: r.reward_yuan, paidOn: b.paidOn, paymentRef: b.paymentRef };
      await countTip(tx.db, ctx.dialect, r, { rewards_paid: 1, rewards_paid_yuan: r.reward_yuan ?? 0 });
    }
    await claimTip(tx, r, body.version, set);
    await appendRecordEvent(tx.db, { entityType: 'tip', entityId: id, action: `reward_${action}`, actorId: ctx.actor.userId, actorName: ctx.actor.displayName, at, comment: body.note ?? null, data });
    await audit(tx, { action: `tip.reward_${action}`, entityType: 'tip', entityId: id, districtCode: r.district_code, before: { rewardStatus: r.reward_status, amountYuan: r.reward_yuan }, after: { rewardStatus: set.reward_status, ...data } });
    return tipDetail(tx, id);
  });
}
