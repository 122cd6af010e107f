import { WarningFilled } from '@ant-design/icons';
import { Tag } from 'antd';
import { RISK_LEVEL_LABELS } from '../../../shared/contracts/risks';
import type { RiskLevel } from '../../../shared/contracts/risks';
import { pick, useLang, useT } from '../../i18n';

/** The plan's four colours, as tags (yellow as gold, readable on white) and as the map draws them. */
export const LEVEL_TAG_COLORS: Record<RiskLevel, string> = { red: 'red', orange: 'orange', yellow: 'gold', blue: 'blue' };
export const LEVEL_COLORS: Record<RiskLevel, string> = { red: '#cf1322', orange: '#fa8c16', yellow: '#fadb14', blue: '#1677ff' };

export function RiskLevelTag({ level }: { level: RiskLevel }) {
  const { lang } = useLang();
  return (
    <Tag color={LEVEL_TAG_COLORS[level]} data-testid="risk-level" data-level={level}>
      {pick(lang, RISK_LEVEL_LABELS[level])}
    </Tag>
  );
}

/** 有未整改重大隐患: open major hazards are linked to the item. */
export function FlaggedTag({ flagged }: { flagged: boolean }) {
  const t = useT();
  if (!flagged) return null;
  return (
    <Tag color="error" icon={<WarningFilled />} data-testid="risk-flagged">
      {t('risk.flagged')}
    </Tag>
  );
}

export function ReviewDueTag({ due }: { due: boolean }) {
  const t = useT();
  return due ? <Tag color="warning">{t('risk.reviewDue')}</Tag> : null;
}
