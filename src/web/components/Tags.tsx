import { Tag } from 'antd';
import { RISK_CLASS_LABELS, ROLE_LABELS } from '../../shared/roles';
import type { RiskClass, Role } from '../../shared/roles';
import { RISK_COLORS } from '../format';
import { pick, useLang } from '../i18n';

export function RiskTag({ value }: { value: RiskClass }) {
  const { lang } = useLang();
  return <Tag color={RISK_COLORS[value]}>{pick(lang, RISK_CLASS_LABELS[value])}</Tag>;
}

export function RoleLabel({ role }: { role: Role }) {
  const { lang } = useLang();
  return <>{pick(lang, ROLE_LABELS[role])}</>;
}
