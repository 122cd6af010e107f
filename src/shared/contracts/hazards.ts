import { z } from 'zod';

export const HAZARD_STATUSES = ['reported', 'rectifying', 'pending_acceptance', 'closed', 'voided'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];
export const OPEN_STATUSES: readonly HazardStatus[] = ['reported', 'rectifying', 'pending_acceptance'];

export const HAZARD_GRADES = ['general', 'major'] as const;
export type HazardGrade = (typeof HAZARD_GRADES)[number];

export const HAZARD_SOURCES = [
  'self_check',
  'routine_inspection',
  'enforcement_inspection',
  'expert_inspection',
  'tip',
  'third_party',
  'accident_investigation',
  'transfer',
  'other',
] as const;
export type HazardSource = (typeof HAZARD_SOURCES)[number];

export const SUPERVISION_LEVELS = ['none', 'district', 'city'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export const HAZARD_ACTIONS = ['assign', 'fix_on_spot', 'submit', 'accept', 'reject', 'extend', 'transfer', 'supervise', 'void'] as const;
export type HazardAction = (typeof HAZARD_ACTIONS)[number];

export const STATUS_LABELS: Record<HazardStatus, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'Reported' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  pending_acceptance: { zh: '待验收', en: 'Pending acceptance' },
  closed: { zh: '已销号', en: 'Closed' },
  voided: { zh: '已作废', en: 'Voided' },
};
export const GRADE_LABELS: Record<HazardGrade, { zh: string; en: string }> = {
  general: { zh: '一般隐患', en: 'General' },
  major: { zh: '重大隐患', en: 'Major' },
};
export const SOURCE_LABELS: Record<HazardSource, { zh: string; en: string }> = {
  self_check: { zh: '企业自查', en: 'Self-check' },
  routine_inspection: { zh: '日常检查', en: 'Routine inspection' },
  enforcement_inspection: { zh: '执法检查', en: 'Enforcement inspection' },
  expert_inspection: { zh: '专家检查（啄木鸟）', en: 'Expert inspection' },
  tip: { zh: '举报', en: 'Tip' },
  third_party: { zh: '第三方服务', en: 'Third party' },
  accident_investigation: { zh: '事故调查', en: 'Accident investigation' },
  transfer: { zh: '移交', en: 'Transfer' },
  other: { zh: '其他', en: 'Other' },
};
export const ACTION_LABELS: Record<HazardAction, { zh: string; en: string }> = {
  assign: { zh: '限期整改', en: 'Assign rectification' },
  fix_on_spot: { zh: '即查即改', en: 'Fixed on the spot' },
  submit: { zh: '提交整改', en: 'Submit rectification' },
  accept: { zh: '验收销号', en: 'Accept and close' },
  reject: { zh: '验收不通过', en: 'Reject' },
  extend: { zh: '延期', en: 'Extend deadline' },
  transfer: { zh: '移交', en: 'Transfer' },
  supervise: { zh: '挂牌督办', en: 'List for supervision' },
  void: { zh: '作废', en: 'Void' },
};
