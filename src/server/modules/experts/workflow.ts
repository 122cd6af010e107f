/** The steps of an expert visit (已指派 → 检查中 → 已提交报告, or 已取消) as a transition table. */
import { VISIT_STATUS_LABELS, type VisitAction, type VisitStatus } from '../../../shared/contracts/experts';
import { allowedSteps, decideStep, type Step } from '../../records/transitions';

export interface VisitFacts {
  status: VisitStatus;
  /** The actor is one of the visit's experts. */
  assigned: boolean;
  /** The actor manages the programme's office (scope.ts `managesExperts`, the programme in scope). */
  manager: boolean;
  findings: number;
}

export const VISIT_STEPS: readonly Step<VisitStatus, VisitAction, VisitFacts>[] = [
  { action: 'start', from: ['assigned'], to: 'in_progress', who: (f) => f.assigned, whoText: '由指派的专家开始检查' },
  { action: 'submit', from: ['in_progress'], to: 'submitted', who: (f) => f.assigned, whoText: '由指派的专家提交检查报告' },
  {
    action: 'cancel',
    from: ['assigned', 'in_progress'],
    to: 'cancelled',
    who: (f) => f.manager,
    whoText: '由制定计划的单位取消指派',
    unless: (f) => (f.findings > 0 ? '已记录隐患的检查不能取消，请由专家提交报告' : null),
  },
];

export const decideVisit = (action: VisitAction, f: VisitFacts) => decideStep(VISIT_STEPS, VISIT_STATUS_LABELS, action, f);
export const visitActions = (f: VisitFacts) => allowedSteps(VISIT_STEPS, f);
