/**
 * The steps of a tip as a transition table: accepted (受理) or declined with a reason; verified within
 * its days, extended once with the approval of the level above; the reporter told; a later tip linked
 * to an earlier one of the same matter. And the reward's own steps: proposed by rule, approved by
 * another officer, paid.
 */
import { REWARD_STATUS_LABELS, TIP_STATUS_LABELS, type RewardStatus, type TipAction, type TipStatus } from '../../../shared/contracts/tips';
import { allowedSteps, decideStep, type Step } from '../../records/transitions';

export interface TipFacts {
  status: TipStatus;
  /** The actor handles tips (scope.ts `handlesTips`) and sees this one. */
  handler: boolean;
  /** The actor is of the level above the district (approves an extension). */
  above: boolean;
  /** The actor arranges enforcement inspections (scope.ts `arrangesInspections`), and the tip names a registered enterprise. */
  inspects: boolean;
  extension: 'none' | 'requested' | 'approved';
  /** The actor asked for the extension (another officer decides it). */
  extensionRequester: boolean;
  duplicateOf: string | null;
}

const HANDLER = '由举报所在区、街道或主管部门的工作人员办理';
const open = ['received', 'accepted'] as const;

export const TIP_STEPS: readonly Step<TipStatus, TipAction, TipFacts>[] = [
  { action: 'accept', from: ['received'], to: 'accepted', who: (f) => f.handler, whoText: HANDLER },
  { action: 'decline', from: ['received'], to: 'declined', who: (f) => f.handler, whoText: HANDLER },
  { action: 'extend', from: ['accepted'], to: null, who: (f) => f.handler, whoText: HANDLER, unless: (f) => (f.extension !== 'none' ? '核查期限只能延长一次' : null) },
  ...(['approve_extension', 'refuse_extension'] as const).map((action) => ({
    action,
    from: ['accepted'] as TipStatus[],
    to: null,
    who: (f: TipFacts) => f.above && !f.extensionRequester,
    whoText: '延期须经上一级（市级）批准，且不能由申请人本人审批',
    unless: (f: TipFacts) => (f.extension === 'approved' ? '已批准过延期' : f.extension === 'none' ? '尚未申请延期' : null),
  })),
  { action: 'findings', from: ['accepted'], to: null, who: (f) => f.handler, whoText: HANDLER },
  { action: 'inspect', from: ['accepted'], to: null, who: (f) => f.handler && f.inspects, whoText: '由安排执法检查的人员对名录中的企业安排' },
  { action: 'verify', from: ['accepted'], to: 'verified', who: (f) => f.handler, whoText: HANDLER },
  { action: 'feedback', from: ['verified'], to: 'closed', who: (f) => f.handler, whoText: HANDLER },
  { action: 'link_duplicate', from: [...open], to: null, who: (f) => f.handler, whoText: HANDLER, unless: (f) => (f.duplicateOf ? '已关联为重复举报' : null) },
];

export const decideTip = (action: TipAction, f: TipFacts) => decideStep(TIP_STEPS, TIP_STATUS_LABELS, action, f);
export const tipActions = (f: TipFacts) => allowedSteps(TIP_STEPS, f);

export type RewardAction = 'propose' | 'approve' | 'pay';
export interface RewardFacts {
  status: RewardStatus;
  /** The tip was verified as substantiated, and is not a later report of a matter already reported. */
  eligible: boolean;
  handler: boolean;
  approver: boolean;
  /** The actor proposed this reward (another officer approves it). */
  proposer: boolean;
}

export const REWARD_STEPS: readonly Step<RewardStatus, RewardAction, RewardFacts>[] = [
  { action: 'propose', from: ['none', 'proposed'], to: 'proposed', who: (f) => f.handler, whoText: HANDLER, unless: (f) => (f.eligible ? null : '只有经核查属实、且非重复举报的首位举报人可获奖励') },
  { action: 'approve', from: ['proposed'], to: 'approved', who: (f) => f.approver && !f.proposer, whoText: '奖励由区安委办、行业部门或市级负责人批准，且不能由拟定人本人批准' },
  { action: 'pay', from: ['approved'], to: 'paid', who: (f) => f.approver, whoText: '奖励由区安委办、行业部门或市级负责人登记发放' },
];

export const decideReward = (action: RewardAction, f: RewardFacts) => decideStep(REWARD_STEPS, REWARD_STATUS_LABELS, action, f);
export const rewardActions = (f: RewardFacts) => allowedSteps(REWARD_STEPS, f);
