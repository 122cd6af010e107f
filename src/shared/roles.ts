export const ROLES = [
  'city_admin',
  'city_officer',
  'dept_officer',
  'district_officer',
  'street_officer',
  'inspector',
  'expert',
  'enterprise',
  'tip_custodian',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  city_admin: { zh: '市安委办管理员', en: 'City administrator' },
  city_officer: { zh: '市级工作人员', en: 'City officer' },
  dept_officer: { zh: '行业部门', en: 'Department officer' },
  district_officer: { zh: '区安委办', en: 'District officer' },
  street_officer: { zh: '街道/乡镇', en: 'Street/town officer' },
  inspector: { zh: '执法人员', en: 'Inspector' },
  expert: { zh: '专家（啄木鸟）', en: 'Expert' },
  enterprise: { zh: '企业用户', en: 'Enterprise user' },
  tip_custodian: { zh: '举报人信息保管员', en: 'Tip custodian' },
};

/** Which level of region a role's scope must name. */
export const ROLE_REGION_LEVEL: Record<Role, 'city' | 'district' | 'street' | 'any'> = {
  city_admin: 'city',
  city_officer: 'city',
  dept_officer: 'any',
  district_officer: 'district',
  street_officer: 'street',
  inspector: 'any',
  expert: 'any',
  enterprise: 'any',
  tip_custodian: 'city',
};

export const RISK_CLASSES = ['major', 'high', 'general', 'low'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];
export const RISK_CLASS_LABELS: Record<RiskClass, { zh: string; en: string }> = {
  major: { zh: '重大风险（红）', en: 'Major (red)' },
  high: { zh: '较大风险（橙）', en: 'High (orange)' },
  general: { zh: '一般风险（黄）', en: 'General (yellow)' },
  low: { zh: '低风险（蓝）', en: 'Low (blue)' },
};

export const STANDARDIZATION_LEVELS = ['level1', 'level2', 'level3', 'none'] as const;
export type StandardizationLevel = (typeof STANDARDIZATION_LEVELS)[number];
export const STANDARDIZATION_LABELS: Record<StandardizationLevel, { zh: string; en: string }> = {
  level1: { zh: '一级', en: 'Level 1' },
  level2: { zh: '二级', en: 'Level 2' },
  level3: { zh: '三级', en: 'Level 3' },
  none: { zh: '未达标', en: 'Not certified' },
};
