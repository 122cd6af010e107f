/**
 * The steps of an accident record as a transition table: casualty supplements while the window is
 * open and 瞒报/谎报 once, whatever the investigation's state; the investigation started, then
 * concluded. Who: the offices that record accidents (scope.ts `recordsAccidents`).
 */
import { INVESTIGATION_LABELS, type INVESTIGATION_STATES } from '../../../shared/contracts/accidents';
import { allowedSteps, decideStep, type Step } from '../../records/transitions';

type Investigation = (typeof INVESTIGATION_STATES)[number];
export type AccidentAction = 'edit' | 'casualties' | 'concealment' | 'investigate' | 'conclude';

export interface AccidentFacts {
  status: Investigation;
  recorder: boolean;
  /** The supplement window's days when it has closed, else null. */
  windowClosedAfterDays: number | null;
  concealed: boolean;
}

const WHO = '事故由属地安委办、街镇和行业部门登记';
const ALL: readonly Investigation[] = ['pending', 'investigating', 'concluded'];

export const ACCIDENT_STEPS: readonly Step<Investigation, AccidentAction, AccidentFacts>[] = [
  { action: 'edit', from: ALL, to: null, who: (f) => f.recorder, whoText: WHO },
  { action: 'casualties', from: ALL, to: null, who: (f) => f.recorder, whoText: WHO, unless: (f) => (f.windowClosedAfterDays === null ? null : `伤亡人数补报期已过（${f.windowClosedAfterDays}天）`) },
  { action: 'concealment', from: ALL, to: null, who: (f) => f.recorder, whoText: WHO, unless: (f) => (f.concealed ? '该事故已认定瞒报或谎报' : null) },
  { action: 'investigate', from: ['pending'], to: 'investigating', who: (f) => f.recorder, whoText: WHO },
  { action: 'conclude', from: ['investigating'], to: 'concluded', who: (f) => f.recorder, whoText: WHO },
];

export const decideAccident = (action: AccidentAction, f: AccidentFacts) => decideStep(ACCIDENT_STEPS, INVESTIGATION_LABELS, action, f);
export const accidentActions = (f: AccidentFacts) => allowedSteps(ACCIDENT_STEPS, f);
