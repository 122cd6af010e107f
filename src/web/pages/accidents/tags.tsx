import { Space, Tag } from 'antd';
import { ACCIDENT_GRADE_LABELS, CONCEALMENT_LABELS, INVESTIGATION_LABELS, VERDICT_LABELS } from '../../../shared/contracts/accidents';
import type { Accident, AccidentGrade } from '../../../shared/contracts/accidents';
import { formatCount } from '../../format';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';

export type Verdict = keyof typeof VERDICT_LABELS;

// The higher the grade, the hotter: the 条例's four grades.
const GRADE_COLORS: Record<AccidentGrade, string> = { general: 'blue', larger: 'orange', major: 'red', extraordinary: 'magenta' };
// More accidents is the bad direction.
export const VERDICT_COLORS: Record<Verdict, string> = { falling: 'green', flat: 'default', rising: 'red' };
const INVESTIGATION_COLORS = { pending: 'default', investigating: 'processing', concluded: 'success' } as const;

export function AccidentGradeTag({ grade }: { grade: AccidentGrade }) {
  const { lang } = useLang();
  return (
    <Tag color={GRADE_COLORS[grade]} data-testid="acc-grade">
      {pick(lang, ACCIDENT_GRADE_LABELS[grade])}
    </Tag>
  );
}

/** 迟报 and 瞒报/谎报: what went wrong with the report, nothing when all was in order. */
export function ReportFlags({ accident }: { accident: Pick<Accident, 'reportedLate' | 'concealment'> }) {
  const t = useT();
  const { lang } = useLang();
  if (!accident.reportedLate && accident.concealment === 'none') return null;
  return (
    <Space size={4} wrap>
      {accident.reportedLate && (
        <Tag color="gold" data-testid="acc-late">
          {t('acc.late')}
        </Tag>
      )}
      {accident.concealment !== 'none' && (
        <Tag color="error" variant="solid" data-testid="acc-concealment">
          {pick(lang, CONCEALMENT_LABELS[accident.concealment])}
        </Tag>
      )}
    </Space>
  );
}

export function InvestigationTag({ value }: { value: Accident['investigation'] }) {
  const { lang } = useLang();
  return <Tag color={INVESTIGATION_COLORS[value]}>{pick(lang, INVESTIGATION_LABELS[value])}</Tag>;
}

export function VerdictTag({ verdict }: { verdict: Verdict }) {
  const { lang } = useLang();
  return (
    <Tag color={VERDICT_COLORS[verdict]} data-testid="acc-verdict">
      {pick(lang, VERDICT_LABELS[verdict])}
    </Tag>
  );
}

/** Deaths, missing and the seriously injured in a few words: the missing only when there are any. */
export function casualtyText(t: Translate, a: Pick<Accident, 'deaths' | 'missing' | 'seriousInjuries'>): string {
  const parts = [t('acc.deathsN', { n: a.deaths }), ...(a.missing ? [t('acc.missingN', { n: a.missing })] : []), t('acc.injuredN', { n: a.seriousInjuries })];
  return parts.join(' · ');
}

/** Direct loss in yuan (the API's unit), in 万 from ten thousand in Chinese. */
export function yuanText(t: Translate, lang: Lang, yuan: number): string {
  return t('acc.yuan', { n: formatCount(yuan, lang) });
}
