import { Tag } from 'antd';
import { ACTION_LABELS, GRADE_LABELS, HAZARD_ACTIONS, STATUS_LABELS } from '../../../shared/contracts/hazards';
import type { HazardAction, HazardGrade, HazardStatus, SupervisionLevel } from '../../../shared/contracts/hazards';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';

export const STATUS_COLORS: Record<HazardStatus, string> = {
  reported: 'blue',
  rectifying: 'gold',
  pending_acceptance: 'purple',
  closed: 'green',
  voided: 'default',
};

export function StatusTag({ value }: { value: HazardStatus }) {
  const { lang } = useLang();
  return (
    <Tag color={STATUS_COLORS[value]} data-testid="hazard-status">
      {pick(lang, STATUS_LABELS[value])}
    </Tag>
  );
}

export function GradeTag({ value }: { value: HazardGrade }) {
  const { lang } = useLang();
  return value === 'major' ? <Tag color="red">{pick(lang, GRADE_LABELS.major)}</Tag> : <Tag>{pick(lang, GRADE_LABELS.general)}</Tag>;
}

export function OverdueTag({ overdue }: { overdue: boolean }) {
  const t = useT();
  return overdue ? (
    <Tag color="error" variant="solid">
      {t('hz.overdue')}
    </Tag>
  ) : null;
}

export function supervisionText(t: Translate, level: SupervisionLevel): string {
  return t(`hz.sup.${level}`);
}

export function SupervisionTag({ level }: { level: SupervisionLevel }) {
  const t = useT();
  if (level === 'none') return <span className="zb-muted">—</span>;
  return <Tag color={level === 'city' ? 'volcano' : 'orange'}>{supervisionText(t, level)}</Tag>;
}

/** An event's action in words: the workflow actions, and the report that starts every timeline. */
export function actionText(lang: Lang, t: Translate, action: string): string {
  if ((HAZARD_ACTIONS as readonly string[]).includes(action)) return pick(lang, ACTION_LABELS[action as HazardAction]);
  if (action === 'report') return t('hz.eventReport');
  if (action === 'resolve') return t('hz.eventResolve');
  return action;
}
