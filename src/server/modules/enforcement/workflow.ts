/**
 * The steps of an inspection (待检查 → 检查中 → 已完成) and of a case (立案 → 决定 → 执行 → 结案) as
 * transition tables. Pure: commands consult them, detail views list the allowed actions from them.
 */
import { CASE_STATUS_LABELS, INSPECTION_STATUS_LABELS, type CaseAction, type CaseStatus, type InspectionAction, type InspectionStatus } from '../../../shared/contracts/enforcement';
import { allowedSteps, decideStep, type Step } from '../../records/transitions';

export interface InspectionFacts {
  status: InspectionStatus;
  /** The actor is one of the inspection's inspectors. */
  assigned: boolean;
}

export const INSPECTION_STEPS: readonly Step<InspectionStatus, InspectionAction, InspectionFacts>[] = [
  { action: 'start', from: ['planned'], to: 'in_progress', who: (f) => f.assigned, whoText: '由本次检查的执法人员开始检查' },
  { action: 'finish', from: ['in_progress'], to: 'finished', who: (f) => f.assigned, whoText: '由本次检查的执法人员完成检查' },
];

export const decideInspection = (action: InspectionAction, f: InspectionFacts) => decideStep(INSPECTION_STEPS, INSPECTION_STATUS_LABELS, action, f);
export const inspectionActions = (f: InspectionFacts) => allowedSteps(INSPECTION_STEPS, f);

export interface CaseFacts {
  status: CaseStatus;
  /** The actor directs enforcement over the case's enterprise (scope.ts `directsEnforcement`, in scope). */
  decider: boolean;
  decision: string | null;
  fineFen: number | null;
  paidFen: number;
  /** The amount of the payment being recorded (record_payment only). */
  paying?: number;
}

const fineDue = (f: CaseFacts) => f.decision === 'fine' && f.paidFen < (f.fineFen ?? 0);

export const CASE_STEPS: readonly Step<CaseStatus, CaseAction, CaseFacts>[] = [
  { action: 'decide', from: ['filed'], to: 'decided', who: (f) => f.decider, whoText: '由区、部门或市级执法机构作出处罚决定' },
  {
    action: 'record_payment',
    from: ['decided'],
    // The fine paid in full: executed; a part payment stays decided.
    to: (f) => (f.paidFen + (f.paying ?? 0) >= (f.fineFen ?? 0) ? 'executed' : null),
    who: (f) => f.decider,
    whoText: '由执法机构登记缴款',
    unless: (f) => (f.decision !== 'fine' ? '该决定不含罚款，无需登记缴款' : null),
  },
  { action: 'record_appeal', from: ['decided', 'executed'], to: null, who: (f) => f.decider, whoText: '由执法机构登记复议、诉讼情况' },
  {
    action: 'close',
    from: ['decided', 'executed'],
    to: 'closed',
    who: (f) => f.decider,
    whoText: '由执法机构结案',
    unless: (f) => (fineDue(f) ? '罚款尚未缴清，不能结案' : null),
  },
];

export const decideCase = (action: CaseAction, f: CaseFacts) => decideStep(CASE_STEPS, CASE_STATUS_LABELS, action, f);
export const caseActions = (f: CaseFacts) => allowedSteps(CASE_STEPS, f);
