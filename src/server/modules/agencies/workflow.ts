/** The steps of an engagement (服务中 → 已出具报告) as a transition table: the agency's findings recorded while in service; its report filed, which closes it. */
import { ENGAGEMENT_STATUS_LABELS, type EngagementStatus } from '../../../shared/contracts/agencies';
import { allowedSteps, decideStep, type Step } from '../../records/transitions';

export type EngagementAction = 'findings' | 'conclude';

export interface EngagementFacts {
  status: EngagementStatus;
  /** The actor records engagements (scope.ts `recordsEngagements`) and sees this one. */
  recorder: boolean;
}

const WHO = '由委托企业，或管辖该企业的属地、行业部门登记';

export const ENGAGEMENT_STEPS: readonly Step<EngagementStatus, EngagementAction, EngagementFacts>[] = [
  { action: 'findings', from: ['in_service'], to: null, who: (f) => f.recorder, whoText: WHO },
  { action: 'conclude', from: ['in_service'], to: 'concluded', who: (f) => f.recorder, whoText: WHO },
];

export const decideEngagement = (action: EngagementAction, f: EngagementFacts) => decideStep(ENGAGEMENT_STEPS, ENGAGEMENT_STATUS_LABELS, action, f);
export const engagementActions = (f: EngagementFacts) => allowedSteps(ENGAGEMENT_STEPS, f);
