import { Tag } from 'antd';
import { CASE_STATUS_LABELS, INSPECTION_STATUS_LABELS, INSPECTION_TYPE_LABELS } from '../../../shared/contracts/enforcement';
import type { CaseStatus, InspectionStatus, InspectionType } from '../../../shared/contracts/enforcement';
import { pick, useLang, useT } from '../../i18n';

const STATUS_COLORS: Record<InspectionStatus, string> = { planned: 'blue', in_progress: 'gold', finished: 'green' };
const CASE_COLORS: Record<CaseStatus, string> = { filed: 'orange', decided: 'volcano', executed: 'purple', closed: 'green' };

export function InspectionStatusTag({ status }: { status: InspectionStatus }) {
  const { lang } = useLang();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="inspection-status">
      {pick(lang, INSPECTION_STATUS_LABELS[status])}
    </Tag>
  );
}

/** The inspection's type, and 四不两直 when it was unannounced. */
export function InspectionTypeTags({ type, unannounced }: { type: InspectionType; unannounced: boolean }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <>
      <Tag color={type === 'planned' || type === 'random' ? 'geekblue' : 'magenta'}>{pick(lang, INSPECTION_TYPE_LABELS[type])}</Tag>
      {unannounced && (
        <Tag color="cyan" data-testid="inspection-unannounced">
          {t('enf.unannounced')}
        </Tag>
      )}
    </>
  );
}

export function CaseStatusTag({ status }: { status: CaseStatus }) {
  const { lang } = useLang();
  return (
    <Tag color={CASE_COLORS[status]} data-testid="case-status">
      {pick(lang, CASE_STATUS_LABELS[status])}
    </Tag>
  );
}

/** Money the enforcement API gives in yuan (a fine, a payment). */
export function yuanText(yuan: number | null | undefined, lang: 'zh' | 'en'): string {
  if (yuan === null || yuan === undefined) return '—';
  const n = yuan.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 });
  return lang === 'zh' ? `${n} 元` : `¥${n}`;
}
